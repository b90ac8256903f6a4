// How fast the Fellegi–Sunter model fits (EM over grouped comparison patterns) and scores pairs, on
// comparison vectors simulated from a known model, and how close EM gets to that model.
// Usage: npm run bench:model [-- --pairs 5000000 --runs 3]
import { parseArgs } from 'node:util';
import {
  estimateU,
  expectationMaximization,
  type ModelParameters,
  scorePairs,
  simulateVectors,
} from '../src/linkage/model';
import { machine, median, printTable } from './lib';

const { values } = parseArgs({
  options: { pairs: { type: 'string', default: '5000000' }, runs: { type: 'string', default: '3' } },
});
const PAIRS = Number(values.pairs);
const RUNS = Number(values.runs);
const RANDOM_PAIRS = 1_000_000;

// Six fields with the comparators' levels; matches mostly agree exactly, non-matches mostly differ.
const TRUE_MODEL: ModelParameters = {
  lambda: 0.1,
  fields: [
    {
      name: 'given',
      levels: ['different', 'phonetic', 'jw_0.88', 'jw_0.94', 'exact'],
      m: [0.04, 0.02, 0.04, 0.1, 0.8],
      u: [0.9, 0.04, 0.03, 0.02, 0.01],
    },
    {
      name: 'surname',
      levels: ['different', 'phonetic', 'fuzzy', 'subset', 'swapped', 'exact'],
      m: [0.03, 0.02, 0.05, 0.08, 0.02, 0.8],
      u: [0.93, 0.03, 0.02, 0.01, 0.002, 0.008],
    },
    {
      name: 'birth_date',
      levels: ['different', 'year_only', 'one_field_differs', 'day_month_swapped', 'exact'],
      m: [0.03, 0.02, 0.06, 0.04, 0.85],
      u: [0.85, 0.1, 0.03, 0.015, 0.005],
    },
    {
      name: 'a_number',
      levels: ['different', 'one_edit', 'exact'],
      m: [0.06, 0.09, 0.85],
      u: [0.97, 0.025, 0.005],
    },
    {
      name: 'postcode',
      levels: ['different', 'first3', 'exact'],
      m: [0.15, 0.15, 0.7],
      u: [0.8, 0.15, 0.05],
    },
    { name: 'sex', levels: ['different', 'exact'], m: [0.05, 0.95], u: [0.5, 0.5] },
  ],
};

function seconds(work: () => void): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Median time of RUNS runs, and the last run's result. */
function measure<T>(work: () => T): { took: number; result: T } {
  let result: T | undefined;
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    times.push(
      seconds(() => {
        result = work();
      }),
    );
  }
  return { took: median(times), result: result! };
}

/** Largest absolute difference between fitted and true m (or u) over every field and level. */
function maxError(fitted: number[][], which: 'm' | 'u'): string {
  let worst = 0;
  fitted.forEach((row, f) => {
    row.forEach((p, level) => {
      worst = Math.max(worst, Math.abs(p - TRUE_MODEL.fields[f]![which][level]!));
    });
  });
  return worst.toFixed(4);
}

let simulated: ReturnType<typeof simulateVectors> | undefined;
const simulateTook = seconds(() => {
  simulated = simulateVectors(TRUE_MODEL, PAIRS, 1, 0.05);
});
const { data } = simulated!;
const random = simulateVectors({ ...TRUE_MODEL, lambda: 0 }, RANDOM_PAIRS, 2, 0.05).data;
const uFit = measure(() => estimateU(random));
const u = uFit.result;
const fixed = measure(() => expectationMaximization(data, u, { fixU: true }));
const free = measure(() => expectationMaximization(data, u, { fixU: false }));

// Term frequencies on the surname: a few common values and a long tail, for the exact agreements.
const tf = new Float64Array(PAIRS);
for (let p = 0; p < PAIRS; p++) {
  if (data.levels[p * data.fields.length + 1] === 5) tf[p] = p % 10 === 0 ? 0.05 : 0.0005 * ((p % 7) + 1);
}
const scored = measure(() => scorePairs(data, fixed.result));
const scoredTf = measure(() => scorePairs(data, fixed.result, [undefined, tf]));

const row = (step: string, pairs: number, took: number, note: string) => ({
  step,
  pairs,
  seconds: took.toFixed(3),
  'pairs per second': Math.round(pairs / took),
  note,
});
const fitNote = (fit: typeof fixed.result) =>
  `${fit.iterations} iterations${fit.converged ? '' : ' (not converged)'}, lambda ${fit.lambda.toFixed(4)}, ` +
  `max m error ${maxError(
    fit.fields.map((field) => field.m),
    'm',
  )}, ` +
  `max u error ${maxError(
    fit.fields.map((field) => field.u),
    'u',
  )}`;

printTable(
  `Linkage model, ${data.fields.length} fields, 5% missing, true lambda ${TRUE_MODEL.lambda}, median of ${RUNS} runs (${machine()})`,
  [
    row('simulateVectors (once)', PAIRS, simulateTook, 'seeded mulberry32'),
    row('estimateU (random pairs)', RANDOM_PAIRS, uFit.took, `max u error ${maxError(u, 'u')}`),
    row('EM, u fixed', PAIRS, fixed.took, fitNote(fixed.result)),
    row('EM, u estimated', PAIRS, free.took, fitNote(free.result)),
    row('scorePairs', PAIRS, scored.took, 'weight and probability'),
    row('scorePairs, surname tf', PAIRS, scoredTf.took, 'term-frequency u on exact surnames'),
  ],
);
if (Number.isNaN(scored.result.weight[0]! + scoredTf.result.weight[0]!)) console.log('NaN'); // keep results live

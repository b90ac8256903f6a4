import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ComparisonVectors,
  estimateU,
  expectationMaximization,
  explainPair,
  initialM,
  type ModelParameters,
  scorePairs,
  simulateVectors,
} from './model';

// A realistic model: matches mostly agree exactly, non-matches mostly differ; sex agrees by chance half
// the time, so it carries little evidence. Levels as the comparators name them.
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

function vectors(rows: number[][], model: ModelParameters = TRUE_MODEL): ComparisonVectors {
  return {
    fields: model.fields.map((field) => ({ name: field.name, levels: field.levels })),
    pairs: rows.length,
    levels: Int8Array.from(rows.flat()),
  };
}

function expectClose(actual: number[], expected: number[], within: number) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((x, i) => {
    expect(Math.abs(x - expected[i]!), `entry ${i}: ${x} vs ${expected[i]}`).toBeLessThan(within);
  });
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const log2Odds = (p: number) => Math.log2(p / (1 - p));

describe('estimateU and initialM', () => {
  it('estimateU counts levels with add-one smoothing, ignoring missing values', () => {
    const data = vectors([
      [0, 0, 0, 0, 0],
      [0, 4, 2, -1, 1],
      [4, -1, 0, -1, 1],
    ]);
    const u = estimateU(data);
    expect(u[0]).toEqual([3 / 8, 1 / 8, 1 / 8, 1 / 8, 2 / 8]); // 2 + 1 different, 1 + 1 exact, of 3 + 5
    expect(u[1]).toEqual([2 / 7, 1 / 7, 1 / 7, 1 / 7, 2 / 7]); // one missing: 2 + 5
    expect(u[3]).toEqual([2 / 4, 1 / 4, 1 / 4]);
    expect(u[4]).toEqual([2 / 5, 3 / 5]);
    expect(estimateU(vectors([]))[2]).toEqual([1 / 3, 1 / 3, 1 / 3]); // no data: uniform
  });

  it('initialM puts 0.9 on the exact level and halves downwards', () => {
    const m = initialM(TRUE_MODEL.fields);
    expect(m[0]).toEqual([0.0125, 0.0125, 0.025, 0.05, 0.9].map((x) => expect.closeTo(x, 12)));
    expect(m[2]).toEqual([0.05, 0.05, 0.9].map((x) => expect.closeTo(x, 12)));
    expect(m[4]).toEqual([expect.closeTo(0.1, 12), 0.9]);
    for (const row of m) expect(sum(row)).toBeCloseTo(1, 12);
  });

  it('simulateVectors is seeded and draws about lambda matches', () => {
    const a = simulateVectors(TRUE_MODEL, 10_000, 7, 0.1);
    const b = simulateVectors(TRUE_MODEL, 10_000, 7, 0.1);
    expect(a.data.levels).toEqual(b.data.levels);
    expect(a.isMatch).toEqual(b.isMatch);
    expect(sum(Array.from(a.isMatch)) / 10_000).toBeCloseTo(0.1, 1);
    const missing = a.data.levels.filter((level) => level === -1).length;
    expect(missing / a.data.levels.length).toBeCloseTo(0.1, 1);
    expect(simulateVectors({ ...TRUE_MODEL, lambda: 0 }, 1000, 7).isMatch.every((x) => x === 0)).toBe(true);
  });
});

describe('expectationMaximization', () => {
  // 200,000 blocked pairs, a tenth of them matches, 5% of values missing; u from a separate sample of
  // random pairs, none of them matches.
  const blocked = simulateVectors(TRUE_MODEL, 200_000, 1, 0.05).data;
  const randomPairs = simulateVectors({ ...TRUE_MODEL, lambda: 0 }, 200_000, 2, 0.05).data;
  const u = estimateU(randomPairs);

  it('with u from random pairs fixed, recovers every m and lambda within 0.02', () => {
    const fitted = expectationMaximization(blocked, u, { fixU: true });
    expect(fitted.converged).toBe(true);
    expect(Math.abs(fitted.lambda - TRUE_MODEL.lambda)).toBeLessThan(0.02);
    fitted.fields.forEach((field, f) => {
      const truth = TRUE_MODEL.fields[f]!;
      expect(field.name).toBe(truth.name);
      expectClose(field.m, truth.m, 0.02);
      expect(field.u).toEqual(u[f]); // already normalized, so kept as given
    });
  });

  it('estimating u too, recovers every m and u within 0.02', () => {
    const fitted = expectationMaximization(blocked, u, { fixU: false, maxIterations: 500 });
    expect(fitted.converged).toBe(true);
    expect(Math.abs(fitted.lambda - TRUE_MODEL.lambda)).toBeLessThan(0.02);
    fitted.fields.forEach((field, f) => {
      const truth = TRUE_MODEL.fields[f]!;
      expectClose(field.m, truth.m, 0.02);
      expectClose(field.u, truth.u, 0.02);
    });
  });

  it('stops at maxIterations without claiming convergence', () => {
    const fitted = expectationMaximization(blocked, u, { maxIterations: 2 });
    expect(fitted.iterations).toBe(2);
    expect(fitted.converged).toBe(false);
  });

  it('groups patterns the same way whatever the key (dense table, number map, string map)', () => {
    // Appending fields missing from every pair changes nothing but how big the pattern key space is.
    const small = simulateVectors(TRUE_MODEL, 20_000, 3, 0.05).data;
    const widened = (extra: number): ComparisonVectors => {
      const k = small.fields.length;
      const levels = new Int8Array(small.pairs * (k + extra)).fill(-1);
      for (let p = 0; p < small.pairs; p++) {
        levels.set(small.levels.subarray(p * k, p * k + k), p * (k + extra));
      }
      const many = Array.from({ length: 120 }, (_, i) => `level_${i}`);
      const fields = [
        ...small.fields,
        ...Array.from({ length: extra }, (_, i) => ({ name: `empty_${i}`, levels: many })),
      ];
      return { fields, pairs: small.pairs, levels };
    };
    const base = expectationMaximization(small, u, { fixU: false });
    for (const extra of [2, 7]) {
      const data = widened(extra);
      const uWide = [...u, ...Array.from({ length: extra }, () => new Array<number>(120).fill(1 / 120))];
      const fitted = expectationMaximization(data, uWide, { fixU: false });
      expect(fitted.lambda).toBe(base.lambda);
      expect(fitted.iterations).toBe(base.iterations);
      base.fields.forEach((field, f) => {
        expect(fitted.fields[f]!.m).toEqual(field.m);
        expect(fitted.fields[f]!.u).toEqual(field.u);
      });
    }
  });

  it('rejects levels outside the field and u of the wrong shape', () => {
    expect(() => expectationMaximization(vectors([[5, 0, 0, 0, 0]]), u)).toThrow(RangeError);
    expect(() => expectationMaximization(vectors([[0, 0, 0, 0, -2]]), u)).toThrow(RangeError);
    expect(() => expectationMaximization(vectors([[0, 0, 0, 0, 0]]), u.slice(1))).toThrow(RangeError);
  });

  it('keeps m and u summing to 1 within (0, 1), whatever the data', () => {
    const data = fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 4 }).chain((sizes) =>
      fc.record({
        sizes: fc.constant(sizes),
        rows: fc.array(fc.tuple(...sizes.map((n) => fc.integer({ min: -1, max: n - 1 }))), {
          maxLength: 60,
        }),
        fixU: fc.boolean(),
        initialLambda: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(data, ({ sizes, rows, fixU, initialLambda }) => {
        const comparison: ComparisonVectors = {
          fields: sizes.map((n, f) => ({
            name: `f${f}`,
            levels: Array.from({ length: n }, (_, l) => `l${l}`),
          })),
          pairs: rows.length,
          levels: Int8Array.from(rows.flat()),
        };
        const fitted = expectationMaximization(comparison, estimateU(comparison), { fixU, initialLambda });
        expect(fitted.lambda).toBeGreaterThan(0);
        expect(fitted.lambda).toBeLessThan(1);
        for (const field of fitted.fields) {
          for (const p of [field.m, field.u]) {
            expect(Math.abs(sum(p) - 1)).toBeLessThan(1e-9);
            for (const x of p) {
              expect(x).toBeGreaterThan(0);
              expect(x).toBeLessThan(1);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('scorePairs', () => {
  const prior = log2Odds(TRUE_MODEL.lambda);
  const fieldWeight = (f: number, level: number) => {
    const field = TRUE_MODEL.fields[f]!;
    return Math.log2(field.m[level]! / field.u[level]!);
  };

  it('gives probabilities in [0, 1] that rise with the weight', () => {
    const { data } = simulateVectors(TRUE_MODEL, 5000, 4, 0.1);
    const { weight, probability } = scorePairs(data, TRUE_MODEL);
    const order = Array.from(weight.keys()).sort((a, b) => weight[a]! - weight[b]!);
    let previous = 0;
    for (const p of order) {
      expect(probability[p]).toBeGreaterThanOrEqual(0);
      expect(probability[p]).toBeLessThanOrEqual(1);
      expect(probability[p]).toBeGreaterThanOrEqual(previous);
      expect(probability[p]).toBeCloseTo(1 / (1 + 2 ** -weight[p]!), 12);
      previous = probability[p]!;
    }
  });

  it('scores exact agreement everywhere above agreement nowhere', () => {
    const { weight, probability } = scorePairs(
      vectors([
        [4, 4, 2, 2, 1],
        [0, 0, 0, 0, 0],
      ]),
      TRUE_MODEL,
    );
    expect(weight[0]).toBeGreaterThan(weight[1]!);
    expect(weight[0]).toBeCloseTo(prior + sum([4, 4, 2, 2, 1].map((level, f) => fieldWeight(f, level))), 10);
    expect(probability[0]).toBeGreaterThan(0.99);
    expect(probability[1]).toBeLessThan(0.01);
  });

  it('leaves the weight alone for a missing field: nothing missing minus that field, or the prior alone', () => {
    const { weight, probability } = scorePairs(
      vectors([
        [4, 1, 2, 0, 1],
        [4, -1, 2, 0, 1],
        [-1, -1, -1, -1, -1],
      ]),
      TRUE_MODEL,
    );
    expect(weight[1]).toBeCloseTo(weight[0]! - fieldWeight(1, 1), 12);
    expect(weight[2]).toBeCloseTo(prior, 12);
    expect(probability[2]).toBeCloseTo(TRUE_MODEL.lambda, 12);
  });

  it('keeps a prior far below a millionth: two records of a national store rarely match', () => {
    const { probability } = scorePairs(vectors([[-1, -1, -1, -1, -1]]), { ...TRUE_MODEL, lambda: 1.2e-7 });
    expect(probability[0]! / 1.2e-7).toBeCloseTo(1, 6);
  });

  it('counts agreement on a common value less than on a rare one (term frequencies)', () => {
    const data = vectors([
      [4, 0, 0, 0, 0],
      [4, 0, 0, 0, 0],
      [4, 0, 0, 0, 0],
      [3, 0, 0, 0, 0],
    ]);
    const tf = [Float64Array.from([0.2, 0.0001, 0, 0.5]), undefined];
    const plain = scorePairs(data, TRUE_MODEL).weight;
    const { weight } = scorePairs(data, TRUE_MODEL, tf);
    expect(weight[0]).toBeLessThan(weight[1]!);
    const given = TRUE_MODEL.fields[0]!;
    expect(weight[0]! - plain[0]!).toBeCloseTo(Math.log2(given.u[4]! / 0.2), 12);
    expect(weight[1]! - plain[1]!).toBeCloseTo(Math.log2(given.u[4]! / 0.0001), 12);
    expect(weight[2]).toBe(plain[2]); // no frequency known: the field's average u
    expect(weight[3]).toBe(plain[3]); // not an exact agreement: no adjustment
    expect(() => scorePairs(data, TRUE_MODEL, [new Float64Array(3)])).toThrow(RangeError);
  });

  it('rejects parameters for other fields', () => {
    const data = vectors([[4, 4, 2, 2, 1]]);
    const reordered = { ...TRUE_MODEL, fields: [...TRUE_MODEL.fields].reverse() };
    expect(() => scorePairs(data, reordered)).toThrow(RangeError);
    expect(() => scorePairs(data, { ...TRUE_MODEL, fields: TRUE_MODEL.fields.slice(1) })).toThrow(RangeError);
  });

  it('never returns NaN, whatever the levels, parameters and frequencies', () => {
    const probabilities = (n: number) =>
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((xs) => {
        const total = sum(xs);
        return total > 0 ? xs.map((x) => x / total) : xs.map(() => 1 / n);
      });
    const case_ = fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 1, maxLength: 5 }).chain((sizes) =>
      fc.record({
        lambda: fc.double({ min: 0, max: 1, noNaN: true }),
        fields: fc.tuple(
          ...sizes.map((n, f) =>
            fc.record({
              name: fc.constant(`f${f}`),
              levels: fc.constant(Array.from({ length: n }, (_, l) => `l${l}`)),
              m: probabilities(n),
              u: probabilities(n),
            }),
          ),
        ),
        rows: fc.array(fc.tuple(...sizes.map((n) => fc.integer({ min: -1, max: n - 1 }))), {
          maxLength: 30,
        }),
        frequency: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(case_, ({ lambda, fields, rows, frequency }) => {
        const params: ModelParameters = { lambda, fields };
        const data = vectors(rows, params);
        const tf = fields.map(() => new Float64Array(rows.length).fill(frequency));
        for (const result of [scorePairs(data, params), scorePairs(data, params, tf)]) {
          for (let p = 0; p < rows.length; p++) {
            expect(Number.isFinite(result.weight[p])).toBe(true);
            expect(result.probability[p]).toBeGreaterThanOrEqual(0);
            expect(result.probability[p]).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('explainPair', () => {
  it('adds up, with the prior, to the weight scorePairs gives', () => {
    const { data } = simulateVectors(TRUE_MODEL, 500, 5, 0.2);
    const tf = [undefined, new Float64Array(500).fill(0.003)];
    const prior = log2Odds(TRUE_MODEL.lambda);
    for (const frequencies of [undefined, tf]) {
      const { weight } = scorePairs(data, TRUE_MODEL, frequencies);
      for (let p = 0; p < data.pairs; p++) {
        const parts = explainPair(data, p, TRUE_MODEL, frequencies);
        expect(prior + sum(parts.map((part) => part.weight))).toBeCloseTo(weight[p]!, 10);
      }
    }
  });

  it('names each level and its m and u, and gives missing fields no weight', () => {
    const parts = explainPair(vectors([[4, -1, 0, 1, 1]]), 0, TRUE_MODEL);
    expect(parts[0]).toEqual({ field: 'given', level: 'exact', m: 0.8, u: 0.01, weight: Math.log2(80) });
    expect(parts[1]).toEqual({ field: 'birth_date', level: null, m: null, u: null, weight: 0 });
    expect(parts[2]).toMatchObject({ field: 'a_number', level: 'different', m: 0.06, u: 0.97 });
    expect(parts[2]!.weight).toBeLessThan(0);
    expect(() => explainPair(vectors([[4, -1, 0, 1, 1]]), 1, TRUE_MODEL)).toThrow(RangeError);
  });
});

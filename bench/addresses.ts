// Address library: parse + standardize speed on one core, component accuracy and verdict agreement on the
// generator's ground truth, and component accuracy on the hand-labelled sets in test/fixtures.
// Usage: npm run bench:addresses [-- --children 100000 --runs 7]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { evaluateAddresses, fromGeneratorTruth, type LabelledAddress } from '../src/addresses/evaluate';
import { parseAddress } from '../src/addresses/parse';
import { standardize } from '../src/addresses/standardize';
import { generateCaseload } from '../src/synth';
import { machine, median, printTable } from './lib';

const { values } = parseArgs({
  options: { children: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' } },
});
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-addresses-'));
generateCaseload({ children: Number(values.children), seed: 600, out });
const truth = fromGeneratorTruth(
  parse(fs.readFileSync(path.join(out, 'truth', 'addresses.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[],
);
fs.rmSync(out, { recursive: true, force: true });
const labelled = (file: string) =>
  JSON.parse(fs.readFileSync(path.join('test', 'fixtures', file), 'utf8')).addresses as LabelledAddress[];

// Speed: every generated address parsed and standardized, several times; the median run counts.
const texts = truth.map((row) => row.raw_text);
let checksum = 0;
const rates: number[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const started = performance.now();
  for (const text of texts) checksum += standardize(parseAddress(text)).delivery_line.length;
  rates.push(texts.length / ((performance.now() - started) / 1000));
}
if (checksum === 0) throw new Error('nothing was parsed');

const generated = evaluateAddresses(truth);
const sets = [
  { set: `generated (${values.children} children)`, result: generated },
  {
    set: 'hand-labelled (test/fixtures/addresses-labelled.json)',
    result: evaluateAddresses(labelled('addresses-labelled.json')),
  },
  {
    set: 'held out (test/fixtures/addresses-heldout.json)',
    result: evaluateAddresses(labelled('addresses-heldout.json')),
  },
];
printTable(`Address parse + standardize, one core (${machine()})`, [
  {
    addresses: texts.length,
    runs: rates.length,
    'median addresses/s': Math.round(median(rates)),
    'slowest run': Math.round(Math.min(...rates)),
    target: 100_000,
  },
]);
printTable(
  'Address accuracy',
  sets.map(({ set, result }) => ({
    set,
    addresses: result.addresses,
    'fully right': `${(result.componentAccuracy * 100).toFixed(2)} %`,
    'verdict agreement': result.verdictsJudged ? `${(result.verdictAgreement * 100).toFixed(2)} %` : '–',
  })),
);
console.log(
  'Verdict disagreements on the generated set (truth→verdict):',
  JSON.stringify(generated.confusion),
);

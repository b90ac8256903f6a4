// Identity resolution on a FEBRL-style public benchmark set (bench/febrl.ts), through the generic engine the
// `whereabouts linkage run` command uses, blocking chosen from the data: quality against the set's truth, with the
// exact social-security-id join as the baseline, and speed. The caseload's benchmark is `npm run bench:linkage`.
// Usage: npm run bench:linkage-public [-- --originals 50000 --duplicates 50000 --runs 3 --workers 2]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { LinkConfigSchema } from '../src/linkage/config';
import { loadDataset } from '../src/linkage/dataset';
import { DECISION, linkedPairs, runLinkageInWorkers } from '../src/linkage/engine';
import { clusterScores, pairsSharingValue, pairwiseScores } from '../src/linkage/evaluate';
import { FEBRL_COLUMNS, FEBRL_LINK_CONFIG, febrlRecords } from './febrl';
import { machine, median, printTable } from './lib';

const { values } = parseArgs({
  options: {
    originals: { type: 'string', default: '50000' },
    duplicates: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
  },
});
const { records, entity } = febrlRecords({
  originals: Number(values.originals),
  duplicates: Number(values.duplicates),
});
// Read back from a file as the command reads its input.
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-febrl-'));
const input = path.join(out, 'records.csv');
fs.writeFileSync(input, stringify(records, { header: true, columns: [...FEBRL_COLUMNS] }));
const config = LinkConfigSchema.parse(FEBRL_LINK_CONFIG);
const data = await loadDataset(config, [input]);
fs.rmSync(out, { recursive: true, force: true });

const baseline = pairwiseScores(pairsSharingValue(data.ids, data.values.get('soc_sec_id')!), entity);
const runs = [];
let quality = baseline;
let entities = { precision: 0, recall: 0, entities: 0 };
let rules: string[] = [];
for (let r = 0; r < Number(values.runs); r++) {
  const started = performance.now();
  const run = await runLinkageInWorkers(config, data, { crossOnly: false, workers: Number(values.workers) });
  runs.push({ seconds: (performance.now() - started) / 1000, pairs: run.pairs.count, run });
  quality = pairwiseScores(linkedPairs(run, data.ids), entity);
  entities = clusterScores(run.clusters.entity, data.ids, entity);
  rules = run.pairs.rules.map((rule) => `${rule.rule} (${rule.pairs.toLocaleString('en-US')})`);
}
const middle = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
printTable(
  `Identity resolution, FEBRL-style set: ${data.ids.length.toLocaleString('en-US')} records, ${Number(values.originals).toLocaleString('en-US')} originals and ${Number(values.duplicates).toLocaleString('en-US')} duplicates (${machine()})`,
  [
    {
      method: 'exact soc_sec_id join (baseline)',
      precision: baseline.precision.toFixed(4),
      recall: baseline.recall.toFixed(4),
      'links written': baseline.predicted,
      seconds: '–',
    },
    {
      method: 'Whereabouts linkage (automatic links, blocking chosen from the data)',
      precision: quality.precision.toFixed(4),
      recall: quality.recall.toFixed(4),
      'links written': quality.predicted,
      seconds: median(runs.map((run) => run.seconds)).toFixed(1),
    },
    {
      method: `the same, as entities (${entities.entities.toLocaleString('en-US')})`,
      precision: entities.precision.toFixed(4),
      recall: entities.recall.toFixed(4),
      'links written': '–',
      seconds: '–',
    },
  ],
);
printTable('The median run', [
  {
    'pairs compared': middle.pairs,
    'for review': middle.run.decision.filter((d) => d === DECISION.review).length,
    'blocking rules (pairs)': rules.join('; '),
    'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024),
    'runs (s)': runs.map((run) => run.seconds.toFixed(1)).join(' · '),
  },
]);

// Identity resolution on the generated caseload's person records: quality against the ground truth, with
// the exact A-number join as the baseline, and speed.
// Usage: npm run bench:linkage [-- --children 100000 --runs 3 --blocking system|auto --workers 2]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PERSON_BLOCKING, PERSON_PRIOR_BLOCKING } from '../src/identity/person-config';
import { LinkConfigSchema } from '../src/linkage/config';
import { loadDataset } from '../src/linkage/dataset';
import { DECISION, linkedPairs, runLinkageInWorkers } from '../src/linkage/engine';
import { clusterScores, pairsSharingValue, pairwiseScores, readTruth } from '../src/linkage/evaluate';
import { generateCaseload } from '../src/synth';
import { PERSON_LINK_CONFIG, writePersonRecords } from '../src/synth/person-records';
import { machine, median, printTable } from './lib';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    // system: the fixed rules ingest links by (src/identity/person-config.ts); auto: chosen from the data.
    blocking: { type: 'string', default: 'system' },
    // Worker threads comparing pairs (1: on the main thread).
    workers: { type: 'string', default: '2' },
  },
});
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-linkage-'));
generateCaseload({ children: Number(values.children), seed: 600, out });
const people = path.join(out, 'people');
writePersonRecords(out, people);
const config = LinkConfigSchema.parse(
  values.blocking === 'auto' ? PERSON_LINK_CONFIG : { ...PERSON_LINK_CONFIG, blocking: PERSON_BLOCKING },
);
const data = await loadDataset(config, [path.join(people, 'records.csv')]);
const truth = readTruth(path.join(people, 'truth.csv'));
fs.rmSync(out, { recursive: true, force: true });

// The baseline: records that carry the same A-number are one child.
const baseline = pairwiseScores(pairsSharingValue(data.ids, data.values.get('a_number')!), truth);

const runs = [];
let quality = baseline;
let entities = { precision: 0, recall: 0, entities: 0 };
let rules: { rule: string; pairs: number; 'pairs of one child': number; 'blocks skipped': number }[] = [];
for (let r = 0; r < Number(values.runs); r++) {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const run = await runLinkageInWorkers(config, data, {
    crossOnly: false,
    workers: Number(values.workers),
    ...(values.blocking === 'auto' ? {} : { priorRules: PERSON_PRIOR_BLOCKING }),
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  quality = pairwiseScores(linkedPairs(run, data.ids), truth);
  entities = clusterScores(run.clusters.entity, data.ids, truth);
  // What each rule adds (pairs an earlier rule found are not made again), and how many join one child.
  const child = data.ids.map((id) => truth.get(id));
  rules = run.pairs.rules.map((rule) => {
    let same = 0;
    for (let p = rule.first; p < rule.first + rule.pairs; p++)
      if (child[run.pairs.left[p]!] === child[run.pairs.right[p]!]) same++;
    return {
      rule: rule.rule,
      pairs: rule.pairs,
      'pairs of one child': same,
      'blocks skipped': rule.skippedBlocks,
    };
  });
  runs.push({
    seconds,
    cpu: (cpu.user + cpu.system) / 1e6,
    pairs: run.pairs.count,
    steps: run.seconds,
    reviews: run.decision.filter((d) => d === DECISION.review).length,
  });
}
const rss = Math.round(process.resourceUsage().maxRSS / 1024);
printTable(
  `Identity resolution, ${data.ids.length.toLocaleString('en-US')} person records from ${Number(values.children).toLocaleString('en-US')} children (${machine()})`,
  [
    {
      method: 'exact A-number join (baseline)',
      precision: baseline.precision.toFixed(4),
      recall: baseline.recall.toFixed(4),
      'links written': baseline.predicted,
      seconds: '–',
    },
    {
      method: `Whereabouts linkage (automatic links, ${values.blocking} blocking)`,
      precision: quality.precision.toFixed(4),
      recall: quality.recall.toFixed(4),
      'links written': quality.predicted,
      seconds: median(runs.map((run) => run.seconds)).toFixed(1),
    },
    {
      method: `the same, as children (records in one entity; ${entities.entities.toLocaleString('en-US')} entities)`,
      precision: entities.precision.toFixed(4),
      recall: entities.recall.toFixed(4),
      'links written': '–',
      seconds: '–',
    },
  ],
);
const middle = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
printTable('Pairs per blocking rule', rules);
printTable('Where the time goes (the median run)', [
  {
    'pairs compared': middle.pairs,
    'for review': middle.reviews,
    ...Object.fromEntries(Object.entries(middle.steps).map(([step, s]) => [step, s.toFixed(1)])),
    'CPU s (all threads)': middle.cpu.toFixed(1),
    'peak RSS MB': rss,
    'load average': os.loadavg()[0]!.toFixed(1),
    'runs (s)': runs.map((run) => run.seconds.toFixed(1)).join(' · '),
  },
]);

// How long the synthetic caseload takes to write, and how much memory it needs.
// Usage: npm run bench:generate [-- --children 600000 --runs 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCaseload } from '../src/synth';
import { machine, median, printTable, timed } from './lib';

const { values } = parseArgs({
  options: { children: { type: 'string', default: '600000' }, runs: { type: 'string', default: '3' } },
});
const CHILDREN = Number(values.children);
const RUNS = Number(values.runs);

const seconds: number[] = [];
let rows = 0;
let bytes = 0;
for (let run = 0; run < RUNS; run++) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-generate-'));
  const { seconds: took, result: manifest } = await timed(async () =>
    generateCaseload({ children: CHILDREN, seed: 600, out }),
  );
  seconds.push(took);
  rows = Object.values(manifest.files).reduce((sum, n) => sum + n, 0);
  bytes = fs.readdirSync(out, { recursive: true }).reduce<number>((sum, file) => {
    const stat = fs.statSync(path.join(out, String(file)));
    return stat.isFile() ? sum + stat.size : sum;
  }, 0);
  fs.rmSync(out, { recursive: true, force: true });
}
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
printTable(
  `Synthetic caseload, ${CHILDREN.toLocaleString('en-US')} children, median of ${RUNS} runs (${machine()})`,
  [
    {
      children: CHILDREN,
      'rows written': rows,
      'MB written': Math.round(bytes / 1e6),
      'seconds (median)': median(seconds).toFixed(1),
      'runs (s)': seconds.map((s) => s.toFixed(1)).join(' / '),
      'peak RSS MB': peakRssMb,
      target: '< 90 s, < 2048 MB',
    },
  ],
);

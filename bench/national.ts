// The whole system at national scale: generate → ingest → link → monitor → two nightly increments → report, on
// PGlite and on PostgreSQL, with the report's figures and the stored children next to the ground truth; then the
// API under load over the store the pipeline built (case reads, searches, the dashboard; bench/api-phase.ts).
// Usage: npm run bench:national [-- --children 600000 --engine both|pglite|postgres --api-seconds 15]
// (--api-seconds 0 leaves the API phase out)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { type Database, openDatabase } from '../src/db';
import { evaluateStore } from '../src/identity/evaluate-store';
import { runCaseloadPipeline, type StageResult } from '../src/pipeline/caseload-pipeline';
import { compareWithTruth, readTruthChildren } from '../src/reports';
import { generateCaseload } from '../src/synth';
import { loadApi } from './api-phase';
import { machine, onEngines, printTable, timed } from './lib';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    engine: { type: 'string', default: 'both' },
    seed: { type: 'string', default: '600' },
    'api-seconds': { type: 'string', default: '15' },
  },
});
const CHILDREN = Number(values.children);
const caseload = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-national-'));
const generated = await timed(async () =>
  generateCaseload({ children: CHILDREN, seed: Number(values.seed), out: caseload }),
);
const generateStage: StageResult = {
  stage: 'generate the caseload',
  rows: generated.result.files.records ?? 0,
  unit: 'records',
  seconds: generated.seconds,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
const truth = readTruthChildren(caseload);

async function measure(engine: string, open: () => Promise<Database>) {
  const db = await open();
  try {
    await prepareDatabase(db);
    const result = await runCaseloadPipeline(db, caseload, {
      onStage: (stage) => console.error(`${engine}: ${stage.stage} — ${stage.seconds.toFixed(1)} s`),
    });
    const stages = [generateStage, ...result.stages];
    printTable(
      `${engine}: ${CHILDREN.toLocaleString('en-US')} children, ${new Date().toISOString().slice(0, 10)} (${machine()}, load ${os.loadavg()[0]!.toFixed(1)})`,
      stages.map((stage) => ({
        stage: stage.stage,
        rows: `${stage.rows.toLocaleString('en-US')} ${stage.unit}`,
        seconds: stage.seconds.toFixed(1),
        'rows/s': stage.seconds > 0 ? Math.round(stage.rows / stage.seconds) : '–',
        'peak RSS MB': stage.peakRssMb,
      })),
    );
    const pipelineSeconds = result.stages.reduce((sum, stage) => sum + stage.seconds, 0);
    console.log(`Whole pipeline after generation: ${pipelineSeconds.toFixed(1)} s.`);
    printTable(
      `${engine}: the report's figures against the ground truth`,
      compareWithTruth(result.report, truth).map((figure) => ({
        figure: figure.figure,
        truth: figure.truth,
        reported: figure.reported,
        error: `${(100 * figure.error).toFixed(2)} %`,
        'within 0.5 %': Math.abs(figure.error) <= 0.005 ? 'yes' : 'no',
      })),
    );
    // Identity resolution as stored: records placed in one child, pairwise against the generator's truth.
    const linked = await evaluateStore(db, caseload);
    printTable(`${engine}: records in one child, against the ground truth`, [
      {
        records: linked.records,
        children: linked.children,
        'true children': linked.trueChildren,
        precision: linked.precision.toFixed(4),
        recall: linked.recall.toFixed(4),
      },
    ]);
    const apiSeconds = Number(values['api-seconds']);
    if (apiSeconds > 0) {
      const api = await loadApi(db, {
        seconds: apiSeconds,
        connections: 50,
        routes: new Set(['case', 'search', 'dashboard']),
        engine,
      });
      printTable(`${engine}: the API under load, 50 connections for ${apiSeconds} s per route`, api.rows);
    }
  } finally {
    await db.close();
  }
}

try {
  // On disk, as a deployment keeps it: a national store does not fit PGlite's in-memory file system.
  const pgliteDir = path.join(caseload, 'pglite');
  await onEngines(values.engine, (engine, url) =>
    engine === 'pglite'
      ? measure('PGlite', () => openDatabase({ engine, dataDir: pgliteDir }))
      : measure('PostgreSQL', () => openDatabase({ engine, url: url! })),
  );
} finally {
  fs.rmSync(caseload, { recursive: true, force: true });
}

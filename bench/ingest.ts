// Ingest throughput of a generated caseload, every feed, parse + validate + store + events + state,
// on PGlite and on PostgreSQL. Usage: npm run bench:ingest [-- --children 600000 --engine both|pglite|postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { type Database, openDatabase } from '../src/db';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '../src/ingest';
import { generateCaseload } from '../src/synth';
import { machine, printTable, startPostgres, timed } from './lib';

const { values } = parseArgs({
  options: { children: { type: 'string', default: '600000' }, engine: { type: 'string', default: 'both' } },
});
const CHILDREN = Number(values.children);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-ingest-'));
generateCaseload({ children: CHILDREN, seed: 600, out });
const files = listFeedFiles([path.join(out, 'feeds')]);

async function measure(db: Database) {
  await prepareDatabase(db);
  let rows = 0;
  const { seconds } = await timed(async () => {
    for (const { file, format } of await recognizeFiles(files))
      rows += (await ingestFile(db, file, format, { settle: false })).rowsRead;
    await settleIngest(db);
  });
  await db.close();
  return { rows, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

const results = [];
if (values.engine !== 'postgres')
  results.push({
    engine: 'PGlite',
    target: 30_000,
    ...(await measure(await openDatabase({ engine: 'pglite' }))),
  });
if (values.engine !== 'pglite') {
  const postgres = startPostgres();
  try {
    results.push({
      engine: 'PostgreSQL 15',
      target: 150_000,
      ...(await measure(await openDatabase({ engine: 'postgres', url: postgres.url }))),
    });
  } finally {
    postgres.stop();
  }
}
fs.rmSync(out, { recursive: true, force: true });
printTable(
  `Ingest of a generated caseload, ${CHILDREN.toLocaleString('en-US')} children, all feeds (${machine()})`,
  results.map((r) => ({
    engine: r.engine,
    rows: r.rows,
    seconds: r.seconds.toFixed(1),
    'rows/s': Math.round(r.rows / r.seconds),
    'target rows/s': r.target,
    'peak RSS MB (process)': r.peakRssMb,
  })),
);

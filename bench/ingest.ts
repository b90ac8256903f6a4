// Ingest throughput of a generated caseload, every feed, parse + validate + store + events + state,
// on PGlite and on PostgreSQL. Usage:
//   npm run bench:ingest [-- --children 600000 --engine both|pglite|postgres --link identifiers|model]
// --link identifiers (the default) is a bulk load (docs/decisions/0012): records joined by exact identifiers per
// chunk; model links each chunk against the store as a nightly delivery does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { type Database, openDatabase } from '../src/db';
import type { LinkMode } from '../src/identity/link-records';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '../src/ingest';
import { generateCaseload } from '../src/synth';
import { machine, printTable, startPostgres, timed } from './lib';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    engine: { type: 'string', default: 'both' },
    link: { type: 'string', default: 'identifiers' },
  },
});
const CHILDREN = Number(values.children);
if (values.link !== 'identifiers' && values.link !== 'model') throw new Error('--link identifiers|model');
const LINK: LinkMode = values.link;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-ingest-'));
generateCaseload({ children: CHILDREN, seed: 600, out });
const files = listFeedFiles([path.join(out, 'feeds')]);

async function measure(db: Database) {
  await prepareDatabase(db);
  let rows = 0;
  const { seconds } = await timed(async () => {
    for (const { file, format } of await recognizeFiles(files))
      rows += (await ingestFile(db, file, format, { settle: false, link: LINK })).rowsRead;
    await settleIngest(db);
  });
  await db.close();
  return {
    rows,
    seconds,
    load: os.loadavg()[0]!.toFixed(1),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
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
    link: LINK,
    rows: r.rows,
    seconds: r.seconds.toFixed(1),
    'rows/s': Math.round(r.rows / r.seconds),
    'target rows/s': r.target,
    'load (1 min, at end)': r.load,
    'peak RSS MB (process)': r.peakRssMb,
  })),
);

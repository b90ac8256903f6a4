// How fast each engine takes rows in bulk: the ceiling that ingest and the sweeps work under.
// Usage: npm run bench:storage [-- --rows 200000 --runs 3]
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { type Database, openDatabase } from '../src/db';
import { machine, median, printTable, startPostgres, timed } from './lib';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' } },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const CHUNK = 10_000;

async function insertRejections(db: Database): Promise<void> {
  const [batch] = await db.query<{ id: number }>(
    `insert into ingest_batches (source, kind, format_version, file_name, sha256) values ('bench', 'bench', '1', 'bench', '') returning id`,
  );
  for (let start = 0; start < ROWS; start += CHUNK) {
    const size = Math.min(CHUNK, ROWS - start);
    const lines = Array.from({ length: size }, (_, i) => start + i);
    await db.query(
      `insert into rejections (batch_id, line, field, reason, raw)
       select $1, line, 'dob', 'dob 2031-02-30: not a date', raw from unnest($2::int[], $3::text[]) as t(line, raw)`,
      [batch!.id, lines, lines.map((line) => `row ${line},Maria,Lopez Garcia,2031-02-30`)],
    );
  }
}

async function measure(open: () => Promise<Database>): Promise<number> {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const db = await open();
    await prepareDatabase(db);
    await db.exec('truncate rejections, ingest_batches cascade');
    const { seconds } = await timed(() => insertRejections(db));
    rates.push(ROWS / seconds);
    await db.close();
  }
  return median(rates);
}

const postgres = startPostgres();
try {
  const pglite = await measure(() => openDatabase({ engine: 'pglite' }));
  const pg = await measure(() => openDatabase({ engine: 'postgres', url: postgres.url }));
  printTable(
    `Bulk insert, batched INSERT … SELECT unnest(…), ${ROWS.toLocaleString('en-US')} rows in chunks of ${CHUNK.toLocaleString('en-US')}, median of ${RUNS} runs (${machine()})`,
    [
      { engine: 'PGlite (in memory)', 'rows/s': Math.round(pglite) },
      { engine: 'PostgreSQL 15', 'rows/s': Math.round(pg) },
    ],
  );
} finally {
  postgres.stop();
}

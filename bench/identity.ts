// Incremental linking: batches of new person records linked against a store of existing identities, as
// ingest does for every chunk, by a process whose identity index has read the store (its cold start is timed
// apart). The store and the batches come from a generated caseload's person records; each store identity
// belongs to its true child, so a batch's links can be checked against the truth.
// Usage: npm run bench:identity [-- --store 1000000 --batch 10000 --runs 3 --engine both|pglite|postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { prepareDatabase } from '../src/bootstrap';
import { type Database, openDatabase } from '../src/db';
import { type Identity, identityFromFields, storeIdentities } from '../src/identity/identities';
import { IdentityIndex } from '../src/identity/identity-index';
import { linkIdentities } from '../src/identity/link-records';
import { generateCaseload } from '../src/synth';
import { writePersonRecords } from '../src/synth/person-records';
import { machine, median, printTable, startPostgres } from './lib';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'both' },
  },
});
const STORE = Number(values.store);
const BATCH = Number(values.batch);
const RUNS = Number(values.runs);

// About 2.5 person records per generated child. The files stay until the end: the store's rows are read again for
// each engine's load and let go after it, so the batches are measured in a process holding what a linking process
// holds (a million parsed rows kept alive would make every collection in the measured batches longer).
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-identity-'));
process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
generateCaseload({ children: Math.ceil((STORE + BATCH * RUNS) / 2.4), seed: 600, out });
writePersonRecords(out, path.join(out, 'people'));
const readRows = () =>
  parse(fs.readFileSync(path.join(out, 'people', 'records.csv'), 'utf8'), {
    columns: true,
  }) as Record<string, string>[];
/** Each record's true child, by record id. */
const readTruth = () =>
  new Map(
    (
      parse(fs.readFileSync(path.join(out, 'people', 'truth.csv'), 'utf8'), { columns: true }) as Record<
        string,
        string
      >[]
    ).map((row) => [row.id!, Number(row.entity!.replace(/\D/g, ''))]),
  );

// Every person record names someone, so each has an identity.
const identityOfRow = (row: Record<string, string>): Identity => identityFromFields(row)!;

// A fixed shuffle, so the batches are records of children spread over the whole caseload: the store is the rows at
// the first places of the order (`storeRowIndexes`), the batches the ones after.
const { storeRowIndexes, batches } = (() => {
  const rows = readRows();
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const order = rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const stored = Int32Array.from(order.slice(0, Math.min(STORE, order.length - BATCH * RUNS)));
  return {
    storeRowIndexes: stored,
    batches: Array.from({ length: RUNS }, (_, r) =>
      order.slice(stored.length + r * BATCH, stored.length + (r + 1) * BATCH).map((i) => rows[i]!),
    ),
  };
})();
const batchTruth = (() => {
  const truth = readTruth();
  return new Map(batches.flat().map((row) => [row.id!, truth.get(row.id!)!]));
})();

async function loadStore(db: Database): Promise<number> {
  const rows = readRows();
  const truth = readTruth();
  const seen = new Set<string>();
  const identities: { identity: Identity; child: number; record: number }[] = [];
  storeRowIndexes.forEach((at, i) => {
    const row = rows[at]!;
    const identity = identityOfRow(row);
    if (seen.has(identity.signature)) return;
    seen.add(identity.signature);
    identities.push({ identity, child: truth.get(row.id!)!, record: i + 1 });
  });
  // Each child with the identifiers its identities carry, as linking leaves a child (the first of each, as
  // linking fills a missing one).
  const identifiers = new Map<number, [string | null, string | null]>();
  for (const { identity, child } of identities) {
    const held = identifiers.get(child) ?? [null, null];
    identifiers.set(child, [held[0] ?? identity.values[5] ?? null, held[1] ?? identity.values[6] ?? null]);
  }
  const children = [...identifiers.keys()];
  for (let at = 0; at < children.length; at += 50_000) {
    const slice = children.slice(at, at + 50_000);
    await db.query(
      `insert into children (id, a_number, orr_id) overriding system value
       select * from unnest($1::bigint[], $2::text[], $3::text[])`,
      [slice, slice.map((c) => identifiers.get(c)![0]), slice.map((c) => identifiers.get(c)![1])],
    );
  }
  await db.query(`select setval(pg_get_serial_sequence('children', 'id'), $1)`, [
    children.reduce((a, b) => Math.max(a, b)) + 1,
  ]);
  for (let at = 0; at < identities.length; at += 50_000) {
    await storeIdentities(
      db,
      identities
        .slice(at, at + 50_000)
        .map((x) => ({ identity: x.identity, childId: x.child, recordId: x.record })),
    );
  }
  return identities.length;
}

async function measure(engine: string, db: Database) {
  await prepareDatabase(db);
  const loadStarted = performance.now();
  const identities = await loadStore(db);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  // A linking process's cold start: the whole store read into its identity index (docs/decisions/0026). The
  // batches after it are what a running process (the server, the worker, a long ingest) does.
  const indexStarted = performance.now();
  await db.transaction((tx) => IdentityIndex.of(db).sync(tx));
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  const seconds: number[] = [];
  let correct = 0;
  let joinable = 0;
  for (const [r, batch] of batches.entries()) {
    const people = batch.map((row, i) => ({
      record: { id: 10_000_000 + r * BATCH + i },
      identity: identityOfRow(row),
    }));
    const started = performance.now();
    await db.transaction((tx) => linkIdentities(tx, people, IdentityIndex.of(db)));
    seconds.push((performance.now() - started) / 1000);
    // A batch record whose true child is in the store should have joined that child (ids are the truth's).
    const linked = await db.query<{ source_record_id: number; child_id: number }>(
      'select source_record_id, child_id from identity_links where source_record_id >= $1 and source_record_id < $2',
      [10_000_000 + r * BATCH, 10_000_000 + (r + 1) * BATCH],
    );
    const stored = new Set(
      (await db.query<{ id: number }>('select id from children where id <= $1', [2 ** 31])).map((c) =>
        Number(c.id),
      ),
    );
    for (const link of linked) {
      const trueChild = batchTruth.get(batch[Number(link.source_record_id) - 10_000_000 - r * BATCH]!.id!)!;
      if (!stored.has(trueChild)) continue;
      joinable++;
      if (Number(link.child_id) === trueChild) correct++;
    }
  }
  await db.close();
  return {
    engine,
    'store identities': identities,
    'load s': loadSeconds.toFixed(0),
    'index cold start s': indexSeconds.toFixed(1),
    'batch records': BATCH,
    'seconds per batch (runs)': seconds.map((s) => s.toFixed(2)).join(' · '),
    'records/s (median)': Math.round(BATCH / median(seconds)),
    'target records/s': 10_000,
    'joined their true child': `${((100 * correct) / joinable).toFixed(2)} %`,
  };
}

const results = [];
if (values.engine !== 'postgres')
  results.push(await measure('PGlite', await openDatabase({ engine: 'pglite' })));
if (values.engine !== 'pglite') {
  const postgres = startPostgres();
  try {
    results.push(
      await measure('PostgreSQL 15', await openDatabase({ engine: 'postgres', url: postgres.url })),
    );
  } finally {
    postgres.stop();
  }
}
printTable(
  `Incremental linking against a store of ${storeRowIndexes.length.toLocaleString('en-US')} person records (${machine()})`,
  results,
);
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

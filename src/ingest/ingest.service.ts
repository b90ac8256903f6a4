import path from 'node:path';
import { applyRecordEvidence, placesOfAddresses, storeAddresses } from '../addresses/addresses.repository';
import { recordEvents } from '../cases/events';
import { refreshChildState, storeSponsors } from '../cases/projection';
import type { Database, Sql } from '../db';
import { analyzeAfterBulkChange, BULK_CHANGE_SHARE } from '../db/statistics';
import type { FeedFormat, FeedSource } from '../feeds';
import { FEED_FORMATS } from '../feeds';
import { IdentityIndex } from '../identity/identity-index';
import { type LinkMode, linkRecords } from '../identity/link-records';
import { withReportLast } from '../reports/summaries';
import { printProfile } from '../shared/profile';
import { contentHashOf } from './content-hash';
import {
  addressesOfChildren,
  type Batch,
  createBatch,
  findBatchOfSameFile,
  finishBatch,
  markEventsWritten,
  markPending,
  type PreparedRecord,
  type RejectedRow,
  recordsWithoutEvents,
  recordsWithoutLinks,
  type StoredRecord,
  storeChunk,
  takePending,
} from './ingest.repository';
import { type FeedRow, readFeedRows, recognizeFile, sha256OfFile } from './read-feed';

/** Rows per transaction: small enough to lose little on a crash, large enough for set-based speed. */
export const CHUNK_ROWS = 20_000;

export interface BatchSummary {
  batchId: number;
  file: string;
  source: string;
  kind: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  resumedFromRow: number;
  children: number[];
  /** The same file (same content) was stored completely before; nothing was written this time. */
  alreadyStored?: boolean;
}

export interface IngestOptions {
  source?: FeedSource;
  onRows?: (rowsRead: number) => void;
  /**
   * Bring the touched children's state and their addresses' evidence up to date before returning (the
   * default). A caller ingesting many files passes false and calls `settleIngest` once after the last one:
   * each child's state is then computed once instead of once per file and chunk.
   */
  settle?: boolean;
  /**
   * How records find their children (default `model`). A bulk load passes `identifiers` and runs `linkAll`
   * after the last file: the whole-store run compares everything once instead of each chunk against the store.
   */
  link?: LinkMode;
}

/** Children (and addresses) settled per transaction: bounds the statements' memory on a national caseload. */
const SETTLE_SLICE = 50_000;

/**
 * A bulk settle's largest slice (a tenth of the children or more, `settleChildren`). Its statements read the tables
 * whole, with hash joins, so fewer slices read them fewer times: 300,000 children settled in 103 s in slices of
 * 50,000, in 91 s in two slices (evidence 22 → 15 s).
 */
const BULK_SETTLE_SLICE = 200_000;

/**
 * Recomputes the state of every child whose events changed since it was last settled, then the cross-record
 * evidence of the places involved: the addresses the children lived at before and live at now, and every address
 * the stored chunks named. Each slice commits with its removal from the pending lists, so a crash here loses
 * nothing: the next ingest settles the rest. Returns the children settled. `asOf`: the time the children's
 * whereabouts are judged as of (`refreshChildState`; default now).
 */
export async function settleIngest(db: Database, options: { asOf?: Date } = {}): Promise<number> {
  const t = stepTimer();
  const settled = await settleChildren(db, options.asOf);
  t('state');
  await settleAddresses(db);
  t('evidence');
  // After a bulk load the planner's statistics are stale: the tip-triage query took 10.5 s instead of 1.9 s at
  // 20,000 children before this.
  await analyzeAfterBulkChange(db, settled);
  t('analyze');
  t.report(`settled ${settled} children`);
  return settled;
}

/**
 * The children's state, slice by slice; each slice hands the addresses its children lived at before and live at
 * now to the addresses' pass (`settleAddresses`), whose evidence then sees every slice's children. A bulk settle
 * runs two slices side by side, one per core (a slice's statements run on one; docs/decisions/0030).
 */
async function settleChildren(db: Database, asOf: Date | undefined): Promise<number> {
  const [counts] = await db.query<{ pending: number; children: number }>(
    `select (select count(*) from ingest_pending_children)::int as pending,
            (select count(*) from children)::int as children`,
  );
  // A bulk settle (a first load, a large re-delivery) is planned without nested loops, in larger slices (decision
  // 0029). Its statements join tens of thousands of rows, for which hash joins are right whatever the statistics
  // say — and they can say a filled table is empty: after a settle is interrupted and a vacuum then finds the tables
  // it fills without a live row (pages left, no rows counted), the planner takes them for empty until the next
  // ANALYZE, and the report's trigger compared each settled child with every other in a nested loop (55,368
  // children: stopped after five minutes; 12 s planned without them).
  const { pending, children: caseload } = counts!;
  if (pending === 0) return 0;
  const bulk = pending >= BULK_CHANGE_SHARE * caseload;
  // Pairs of equal slices, so that neither side waits with nothing to do at the end.
  const pairs = Math.ceil(pending / (2 * BULK_SETTLE_SLICE));
  const slice = bulk ? Math.ceil(pending / (2 * pairs)) : SETTLE_SLICE;
  // Stored first and committed: slices side by side would otherwise wait for each other's new sponsors.
  if (bulk) await storeSponsors(db, null);
  let failed = false; // one side's failure stops the other after its slice
  const settleSlices = async () => {
    let settled = 0;
    while (!failed) {
      const count = await db
        .transaction(async (tx) => {
          const children = await takePending(tx, 'children', slice);
          if (children.length > 0) await settleSlice(tx, children, bulk, asOf);
          return children.length;
        })
        .catch((error) => {
          failed = true;
          throw error;
        });
      if (count === 0) break;
      settled += count;
    }
    return settled;
  };
  const [one, other] = bulk ? await allOf(settleSlices(), settleSlices()) : [await settleSlices(), 0];
  return one + other;
}

/** One slice's children: their state, search terms and report rows; their addresses, old and new, marked pending. */
async function settleSlice(
  tx: Sql,
  children: number[],
  bulk: boolean,
  asOf: Date | undefined,
): Promise<void> {
  // What both slices of a bulk settle write to (the report's counters, the pending addresses) is written last, and
  // the addresses in order: the other slice waits for those rows only while this one finishes.
  const settle = async () => {
    const before = await addressesOfChildren(tx, children);
    await refreshChildState(tx, children, { sponsorsStored: bulk, asOf });
    const after = await addressesOfChildren(tx, children);
    await markPending(
      tx,
      [],
      [...new Set([...before, ...after])].sort((a, b) => a - b),
    );
  };
  if (bulk) {
    await tx.query('set local enable_nestloop = off');
    await withReportLast(tx, children, settle);
  } else {
    await settle(); // alone: the state's trigger refreshes the report of the changed children only
  }
}

/** The evidence of the pending addresses' places: those the settled children and the stored chunks named. */
async function settleAddresses(db: Database): Promise<void> {
  const [counts] = await db.query<{ pending: number; addresses: number }>(
    `select (select count(*) from ingest_pending_addresses)::int as pending,
            (select count(*) from addresses)::int as addresses`,
  );
  // Most of the store's addresses pending (a first load): every place at once, planned without nested loops like
  // the bulk settle's slices, took 4.1 s at 150,000 children against 7.3 s slice by slice.
  if (counts!.pending > 0 && counts!.pending >= counts!.addresses / 2) {
    await db.transaction(async (tx) => {
      await tx.query('set local enable_nestloop = off');
      await applyRecordEvidence(tx, null);
    });
    return;
  }
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const addresses = await takePending(tx, 'addresses', SETTLE_SLICE);
      if (addresses.length > 0) await applyRecordEvidence(tx, await placesOfAddresses(tx, addresses));
      return addresses.length;
    });
    if (count === 0) return;
  }
}

/** Files in the order the agencies' records arise: ICE (A-numbers) first, then ORR releases (both ids). */
const KIND_ORDER = [
  'ice_apprehensions',
  'orr_releases',
  'ice_ntas',
  'orr_post_release',
  'eoir_case_events',
  'mail_returns',
  'tips',
];

export function orderForIngest(files: { file: string; format: FeedFormat }[]) {
  const rank = (kind: string) => (KIND_ORDER.indexOf(kind) + KIND_ORDER.length + 1) % (KIND_ORDER.length + 1);
  const stem = (file: string) => file.replace(/\.(csv|jsonl)$/, ''); // orr_releases_v1 before orr_releases_v1_late
  return [...files].sort(
    (a, b) => rank(a.format.kind) - rank(b.format.kind) || stem(a.file).localeCompare(stem(b.file)),
  );
}

export async function recognizeFiles(files: string[], source?: FeedSource) {
  const formats = source ? FEED_FORMATS.filter((format) => format.source === source) : FEED_FORMATS;
  const recognized = [];
  for (const file of files) recognized.push({ file, format: await recognizeFile(file, formats) });
  return orderForIngest(recognized);
}

/**
 * Stores one file as a batch: every row becomes a source record, a duplicate, or a rejection with its reason.
 * Each chunk is written in two transactions: its records stored and linked to children, with the checkpoint;
 * then their events and addresses, with a second checkpoint. The next chunk's first part runs beside this
 * chunk's second (docs/decisions/0024). Running the same command after a crash writes what the interruption
 * left out and finishes the job, with nothing twice and nothing missing.
 */
export async function ingestFile(
  db: Database,
  file: string,
  format: FeedFormat,
  options: IngestOptions = {},
): Promise<BatchSummary> {
  const sha256 = await sha256OfFile(file);
  const earlier = await findBatchOfSameFile(db, format.kind, sha256);
  if (earlier?.status === 'complete') {
    // The same file again: every row is what it was then, stored or rejected; nothing new is written.
    if (options.settle !== false) await settleIngest(db); // what an interrupted run left unsettled
    return {
      ...summarize(earlier, file, earlier.rowsRead, []),
      accepted: 0,
      duplicates: earlier.accepted + earlier.duplicates,
      alreadyStored: true,
    };
  }
  const batch =
    earlier ??
    (await createBatch(db, {
      source: format.source,
      kind: format.kind,
      formatVersion: format.version,
      fileName: path.basename(file),
      sha256,
    }));
  // An interruption between a chunk's parts left records stored without their links, or linked without their
  // events: they are linked and written now, and their children marked again (a settle since, another file's run,
  // may have computed their state without them).
  if (earlier)
    await db.transaction(async (tx) => {
      await linkRecords(tx, await recordsWithoutLinks(tx, batch), IdentityIndex.of(db), options.link);
      const { records: missing, children } = await recordsWithoutEvents(tx, batch);
      await writeEvents(tx, batch, missing);
      await markPending(tx, children, []);
    });
  const resumedFromRow = batch.checkpointLine;
  const touched = new Set<number>();
  let rowsRead = 0;
  let records: PreparedRecord[] = [];
  let rejected: RejectedRow[] = [];
  let readStarted = performance.now();
  const none: Chunk = { stored: Promise.resolve([]), linked: Promise.resolve(), written: Promise.resolve() };
  let recent: [Chunk, Chunk, Chunk] = [none, none, none]; // the last three chunks handed off, the newest last

  /**
   * Hands the rows read so far to the database and returns: the next chunk is read and validated while this one
   * is written. A chunk goes in three parts, each its own transaction on its own connection: its records stored
   * (with the checkpoint), linked (and their children marked for the settle), and its events written with the
   * addresses they name. Each part follows the same part of the chunk before, so parts of one kind commit in file
   * order, and a chunk's links follow its records and its events its links. Three chunks are in the database at
   * once, one per part: this one's records, the one before's links, the one before that's events.
   */
  const handOff = async () => {
    const t = stepTimer(readStarted);
    const [oldest, middle, previous] = recent;
    await Promise.all([previous.stored, middle.linked, oldest.written]); // a failure surfaces here; the file stops
    t('wait');
    const [chunkRecords, chunkRejected, readThrough] = [records, rejected, rowsRead];
    const stored = db
      .transaction(async (tx) => {
        const { stored } = await storeChunk(tx, batch, chunkRecords, chunkRejected, readThrough);
        t('store');
        return stored;
      })
      .then((storedRecords) => {
        options.onRows?.(readThrough); // the rows read so far are stored (or rejected) and checkpointed
        return storedRecords;
      });
    const linked = allOf(stored, previous.linked).then(async ([storedRecords]) => {
      t('queue');
      const payloadAt = new Map(chunkRecords.map((record) => [record.line, record.payload]));
      await db.transaction(async (tx) => {
        const children = await linkRecords(
          tx,
          storedRecords.map(({ id, line }) => ({ id, kind: batch.kind, payload: payloadAt.get(line)! })),
          IdentityIndex.of(db),
          options.link,
        );
        t('link');
        await markPending(tx, children, []);
        t('pending');
        for (const child of children) touched.add(child);
      });
    });
    const written = allOf(stored, linked, previous.written).then(async ([storedRecords]) => {
      t('queue');
      await db.transaction((tx) => writeEvents(tx, batch, storedRecords, t));
      t('commit');
      t.report(`${batch.kind} ${chunkRecords.length}+${chunkRejected.length}`);
    });
    for (const part of [stored, linked, written]) part.catch(() => {}); // observed by a later hand-off or the end
    recent = [middle, previous, { stored, linked, written }];
    records = [];
    rejected = [];
    readStarted = performance.now();
  };

  try {
    for await (const row of readFeedRows(file, format)) {
      rowsRead++;
      if (rowsRead <= resumedFromRow) continue; // stored before the interruption
      const outcome = prepare(row, format);
      if ('reason' in outcome) rejected.push(outcome);
      else records.push(outcome);
      if (records.length + rejected.length >= CHUNK_ROWS) await handOff();
    }
    await handOff();
  } finally {
    // The last chunk's events follow every part before them: once they settle, no transaction is left running.
    await recent[2].written.catch(() => {});
  }
  await recent[2].written;
  const finished = await finishBatch(db, batch.id);
  if (options.settle !== false) await settleIngest(db);
  return summarize(finished, file, resumedFromRow, [...touched]);
}

/**
 * A chunk's third part: the events of its stored, linked records and the addresses they name, judged here with
 * the records that name them. The children's state and the evidence other records give (units at the building,
 * returned mail, many children at one door) wait for settleIngest, which computes each child once however many
 * chunks touched it.
 */
async function writeEvents(
  tx: Sql,
  batch: Batch,
  stored: StoredRecord[],
  t: ReturnType<typeof stepTimer> = stepTimer(),
): Promise<void> {
  if (stored.length === 0) return;
  const recorded = await recordEvents(tx, stored);
  t('events');
  const named = await storeAddresses(tx, recorded.addresses, recorded.returnedMailAddresses);
  t('addresses');
  await markPending(tx, [], named.ids);
  await markEventsWritten(
    tx,
    batch.id,
    stored.reduce((last, record) => Math.max(last, record.id), 0),
  );
  t('pending');
}

/** A chunk's three parts in the database (`ingestFile`). */
interface Chunk {
  stored: Promise<StoredRecord[]>;
  linked: Promise<unknown>;
  written: Promise<unknown>;
}

/** Waits for all, then fails with the first failure, so no part is left running when a file stops. */
async function allOf<T extends unknown[]>(...parts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(parts);
  const failed = settled.find((part) => part.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((part) => (part as PromiseFulfilledResult<unknown>).value) as T;
}

/** WHEREABOUTS_INGEST_PROFILE=1 prints each chunk's and each settle's time per step on stderr. */
function stepTimer(readStarted?: number) {
  let last = performance.now();
  // Seconds per step, in first-seen order; a step marked again (a loop's) adds up.
  const steps = new Map(readStarted === undefined ? [] : [['read', (last - readStarted) / 1000]]);
  const mark = (step: string) => {
    const now = performance.now();
    steps.set(step, (steps.get(step) ?? 0) + (now - last) / 1000);
    last = now;
  };
  mark.report = (what: string) => printProfile('ingest', what, steps);
  return mark;
}

function summarize(batch: Batch, file: string, resumedFromRow: number, children: number[]): BatchSummary {
  return {
    batchId: batch.id,
    file,
    source: batch.source,
    kind: batch.kind,
    rowsRead: batch.rowsRead,
    accepted: batch.accepted,
    rejected: batch.rejected,
    duplicates: batch.duplicates,
    resumedFromRow,
    children,
  };
}

/** Validates one row with its format's schema: a record to store, or a rejection naming every problem. */
function prepare(row: FeedRow, format: FeedFormat): PreparedRecord | RejectedRow {
  if ('problem' in row)
    return {
      line: row.line,
      reason: row.problem.reason,
      raw: row.raw,
      ...(row.problem.field ? { field: row.problem.field } : {}),
    };
  // A field the format does not define would be lost if the row were stored: refuse the row instead.
  const unknown =
    format.encoding === 'csv' ? [] : Object.keys(row.values).filter((key) => !format.columns.includes(key));
  // The compiled quick checks clean almost every row; a row they refuse goes through zod for its messages.
  const quick = unknown.length === 0 ? format.quickParse(row.values) : undefined;
  if (quick) return storable(row.line, quick, format);
  const parsed = format.schema.safeParse(row.values);
  if (!parsed.success || unknown.length > 0) {
    const issues = parsed.success ? [] : parsed.error.issues;
    const fields = [...new Set([...issues.map((issue) => String(issue.path[0] ?? '')), ...unknown])].filter(
      Boolean,
    );
    const reasons = issues.map((issue) => issue.message);
    if (unknown.length)
      reasons.push(`${unknown.join(', ')}: not a field of ${format.kind} v${format.version}`);
    return {
      line: row.line,
      ...(fields.length > 0 ? { field: fields.join(', ') } : {}),
      reason: reasons.join('; '),
      raw: row.raw.slice(0, 2000),
    };
  }
  return storable(row.line, parsed.data, format);
}

function storable(line: number, payload: Record<string, unknown>, format: FeedFormat): PreparedRecord {
  return {
    line,
    sourceKey: format.sourceKey(payload),
    contentHash: contentHashOf(payload),
    payload,
  };
}

import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** One file or HTTP delivery from an agency, with its row accounting: accepted + rejected + duplicates = rows read. */
export const ingestBatches = pgTable('ingest_batches', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  source: text('source').notNull(),
  kind: text('kind').notNull(),
  formatVersion: text('format_version').notNull(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  status: text('status').notNull().default('running'),
  rowsRead: integer('rows_read').notNull().default(0),
  accepted: integer('accepted').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  duplicates: integer('duplicates').notNull().default(0),
  checkpointLine: integer('checkpoint_line').notNull().default(0),
  /**
   * The batch's records up to this id have their events (and addresses) written: a chunk's records are stored and
   * linked in one transaction and their events written in the next (docs/decisions/0024).
   */
  eventsThroughRecord: bigint('events_through_record', { mode: 'number' }).notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** Rows exactly as received. Never updated: a changed row with the same key is stored as a new version. */
export const sourceRecords = pgTable(
  'source_records',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    batchId: bigint('batch_id', { mode: 'number' })
      .notNull()
      .references(() => ingestBatches.id),
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    sourceKey: text('source_key').notNull(),
    version: integer('version').notNull().default(1),
    contentHash: text('content_hash').notNull(),
    line: integer('line').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Also serves the duplicate check (same key, same content): one index instead of two keeps bulk inserts fast.
    uniqueIndex('source_records_key_version').on(table.source, table.kind, table.sourceKey, table.version),
    index('source_records_batch').on(table.batchId),
  ],
);

/** Rows that could not be stored, with the place and a reason a person can act on. */
export const rejections = pgTable(
  'rejections',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    batchId: bigint('batch_id', { mode: 'number' })
      .notNull()
      .references(() => ingestBatches.id),
    line: integer('line').notNull(),
    field: text('field'),
    reason: text('reason').notNull(),
    raw: text('raw').notNull(),
    rejectedAt: timestamp('rejected_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [index('rejections_batch').on(table.batchId, table.line)],
);

/**
 * Children whose state (and the evidence of the addresses they live at) is behind their events: written with
 * each chunk, settled once for many chunks and files (`settleIngest`), removed in the transaction that settles
 * them. What a crash leaves here is settled by the next ingest.
 */
export const ingestPendingChildren = pgTable('ingest_pending_children', {
  childId: bigint('child_id', { mode: 'number' }).primaryKey(),
});

/** Addresses named by stored chunks whose cross-record evidence has not been recomputed since. */
export const ingestPendingAddresses = pgTable('ingest_pending_addresses', {
  addressId: bigint('address_id', { mode: 'number' }).primaryKey(),
});

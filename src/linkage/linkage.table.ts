import { bigint, doublePrecision, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sourceRecords } from '../ingest/ingest.table';

/** Which child each source record is about, how that was decided, and the evidence. */
export const identityLinks = pgTable(
  'identity_links',
  {
    // Written in bulk with the records it links: no foreign keys (docs/decisions/0003).
    sourceRecordId: bigint('source_record_id', { mode: 'number' }).primaryKey(),
    childId: bigint('child_id', { mode: 'number' }).notNull(),
    method: text('method').notNull(),
    matchWeight: doublePrecision('match_weight'),
    evidence: jsonb('evidence').notNull().default({}),
    decidedBy: text('decided_by').notNull().default('system'),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('identity_links_child').on(table.childId)],
);

/** Pairs the model could not decide, waiting for a person, with each field's comparison as evidence. */
export const reviewPairs = pgTable(
  'review_pairs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leftRecordId: bigint('left_record_id', { mode: 'number' })
      .notNull()
      .references(() => sourceRecords.id),
    rightRecordId: bigint('right_record_id', { mode: 'number' })
      .notNull()
      .references(() => sourceRecords.id),
    matchWeight: doublePrecision('match_weight').notNull(),
    matchProbability: doublePrecision('match_probability').notNull(),
    evidence: jsonb('evidence').notNull().default({}),
    status: text('status').notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (table) => [index('review_pairs_status').on(table.status)],
);

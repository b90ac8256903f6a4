import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Text compared byte by byte (collation "C"): a signature or blocking key is a code, not words, and its index builds and
 * probes two to three times faster than under a language's collation (docs/decisions/0014).
 */
const byteOrderText = customType<{ data: string }>({ dataType: () => 'text collate "C"' });

/**
 * Each distinct way a person has been written down (the same name, birth date and identifiers in ICE's
 * apprehension, its NTA and every court event are one identity), normalized for comparison, with the child
 * it belongs to. Linkage compares identities, not rows: a court feed repeats the respondent on every event.
 */
export const personIdentities = pgTable(
  'person_identities',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The normalized fields, joined: the same person written the same way is one identity. */
    signature: byteOrderText('signature').notNull(),
    // Derived and bulk-written: no foreign keys (docs/decisions/0003).
    childId: bigint('child_id', { mode: 'number' }).notNull(),
    firstRecordId: bigint('first_record_id', { mode: 'number' }).notNull(),
    given: text('given'),
    surnames: text('surnames'),
    dob: text('dob'),
    sex: text('sex'),
    country: text('country'),
    aNumber: text('a_number'),
    orrId: text('orr_id'),
  },
  (table) => [
    uniqueIndex('person_identities_signature').on(table.signature),
    index('person_identities_child').on(table.childId),
  ],
);

/**
 * Every identity moved to another child, in the order moved: a trigger on person_identities writes it
 * (src/identity/identity-index.ts), so a linking process's identity index learns the moves other processes made
 * by reading the ones above the last it read.
 */
export const identityMoves = pgTable('identity_moves', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  identityId: bigint('identity_id', { mode: 'number' }).notNull(),
  childId: bigint('child_id', { mode: 'number' }).notNull(),
});

/** Which child each source record is about, how that was decided, and the evidence. */
export const identityLinks = pgTable(
  'identity_links',
  {
    // Written in bulk with the records it links: no foreign keys (docs/decisions/0003).
    sourceRecordId: bigint('source_record_id', { mode: 'number' }).primaryKey(),
    childId: bigint('child_id', { mode: 'number' }).notNull(),
    identityId: bigint('identity_id', { mode: 'number' }),
    /** new_child | linked | same_identity | decided (a person's review decision) */
    method: text('method').notNull(),
    matchWeight: doublePrecision('match_weight'),
    evidence: jsonb('evidence').notNull().default({}),
    decidedBy: text('decided_by').notNull().default('system'),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('identity_links_child').on(table.childId),
    index('identity_links_identity').on(table.identityId),
  ],
);

/**
 * Pairs of identities the model could not decide, waiting for a person, with each field's comparison as
 * evidence (left and right are the identities' first records). A decision (same, different) binds every
 * later run: linking never overturns it.
 */
export const reviewPairs = pgTable(
  'review_pairs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leftIdentityId: bigint('left_identity_id', { mode: 'number' }).notNull(),
    rightIdentityId: bigint('right_identity_id', { mode: 'number' }).notNull(),
    // Written in bulk by linking, like identity_links: no foreign keys (docs/decisions/0003).
    leftRecordId: bigint('left_record_id', { mode: 'number' }).notNull(),
    rightRecordId: bigint('right_record_id', { mode: 'number' }).notNull(),
    matchWeight: doublePrecision('match_weight').notNull(),
    matchProbability: doublePrecision('match_probability').notNull(),
    evidence: jsonb('evidence').notNull().default({}),
    /** pending | same | different */
    status: text('status').notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('review_pairs_identities').on(table.leftIdentityId, table.rightIdentityId),
    index('review_pairs_status').on(table.status),
    index('review_pairs_right').on(table.rightIdentityId),
    check('review_pairs_ordered', sql`${table.leftIdentityId} < ${table.rightIdentityId}`),
  ],
);

/** The model linking uses: m and u per field level, the prior, and common values' shares, as estimated. */
export const linkageModels = pgTable('linkage_models', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  estimatedAt: timestamp('estimated_at', { withTimezone: true }).notNull().defaultNow(),
  identities: integer('identities').notNull(),
  model: jsonb('model').notNull(),
});

import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { addresses } from '../addresses/addresses.table';
import { firstNameSql } from '../shared/text';
import { EVENT_TYPES } from './event-types';

/** One row per real child: the resolved identity and its best-known identifiers. */
export const children = pgTable(
  'children',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    givenNames: text('given_names'),
    surnames: text('surnames'),
    dob: date('dob'),
    sex: text('sex'),
    country: text('country'),
    aNumber: text('a_number'),
    orrId: text('orr_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('children_a_number').on(table.aNumber),
    index('children_orr_id').on(table.orrId),
    // A tip's candidates are the children of the first given name it mentions (src/monitoring/rules.ts).
    index('children_first_name').on(sql.raw(firstNameSql('given_names'))),
  ],
);

/**
 * The people children are released to. A sponsor named on release forms is known by the phone number's ten
 * digits (`phone_key`): the name is spelled differently from one form to the next, the number is not. The
 * first form's name, relationship and category are kept.
 */
export const sponsors = pgTable(
  'sponsors',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    relationship: text('relationship'),
    category: smallint('category'),
    phone: text('phone'),
    phoneKey: text('phone_key'),
    addressId: bigint('address_id', { mode: 'number' }).references(() => addresses.id),
  },
  (table) => [uniqueIndex('sponsors_phone_key').on(table.phoneKey)],
);

/** Typed facts about a child, each pointing at the source record it came from. Append-only. */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign keys on this derived, bulk-written table (docs/decisions/0003): ingest writes both ends.
    childId: bigint('child_id', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    sourceRecordId: bigint('source_record_id', { mode: 'number' }),
    data: jsonb('data').notNull().default({}),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('events_child').on(table.childId, table.occurredAt),
    index('events_type').on(table.type, table.occurredAt),
    check(
      'events_type_known',
      sql`${table.type} in ${sql.raw(`(${EVENT_TYPES.map((type) => `'${type}'`).join(', ')})`)}`,
    ),
  ],
);

/** The current picture of each child, derived from events; can be rebuilt from them at any time. */
export const childState = pgTable(
  'child_state',
  {
    // Derived, rebuilt in bulk by every settle: no foreign keys (decision 0003), here neither to the sponsors and
    // addresses it points to, which are never deleted.
    childId: bigint('child_id', { mode: 'number' }).primaryKey(),
    status: text('status').notNull(),
    sponsorId: bigint('sponsor_id', { mode: 'number' }),
    addressId: bigint('address_id', { mode: 'number' }),
    addressVerdict: text('address_verdict'),
    /** The sponsor address as typed on the release form, and its verdict (the Inspector General's figure). */
    releaseAddressId: bigint('release_address_id', { mode: 'number' }),
    releaseAddressVerdict: text('release_address_verdict'),
    transferredAt: timestamp('transferred_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    ntaIssuedAt: timestamp('nta_issued_at', { withTimezone: true }),
    ntaServedAt: timestamp('nta_served_at', { withTimezone: true }),
    ntaFiledAt: timestamp('nta_filed_at', { withTimezone: true }),
    nextHearingAt: timestamp('next_hearing_at', { withTimezone: true }),
    failedToAppearCount: smallint('failed_to_appear_count').notNull().default(0),
    lastFailedToAppearAt: timestamp('last_failed_to_appear_at', { withTimezone: true }),
    lastHearingAttendedAt: timestamp('last_hearing_attended_at', { withTimezone: true }),
    hasAttorney: boolean('has_attorney').notNull().default(false),
    lastSafetyCallAt: timestamp('last_safety_call_at', { withTimezone: true }),
    /** reached | not_reached | concerns */
    lastSafetyCallOutcome: text('last_safety_call_outcome'),
    lastVerifiedContactAt: timestamp('last_verified_contact_at', { withTimezone: true }),
    whereabouts: text('whereabouts').notNull().default('unknown'),
    runaway: boolean('runaway').notNull().default(false),
    /** Turned 18: the juvenile case is over whatever the court did. As of now here; the sweep judges it as of its time. */
    agedOut: boolean('aged_out').notNull().default(false),
    /** The child's birth date, copied from `children` so that the sweep and the queues read one row per child. */
    dob: date('dob'),
    runawayReportedAt: timestamp('runaway_reported_at', { withTimezone: true }),
    /** Tips that may concern this child and have not been triaged yet. */
    untriagedTips: smallint('untriaged_tips').notNull().default(0),
    protected1367: boolean('protected_1367').notNull().default(false),
    riskFlags: jsonb('risk_flags').notNull().default([]),
    fieldOfficeCode: text('field_office_code'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('child_state_office').on(table.fieldOfficeCode, table.status),
    // The shared-sponsor and shared-address rule looks up everyone at a place.
    index('child_state_sponsor').on(table.sponsorId),
    index('child_state_address').on(table.addressId),
    index('child_state_release_address').on(table.releaseAddressId),
    check('child_state_whereabouts', sql`${table.whereabouts} in ('verified', 'unverified', 'unknown')`),
  ],
);

/**
 * What a child can be found by (GET /api/v1/children?q=): the A-number (9 digits), the ORR case id, and
 * normalized terms of the child's names (`n:`), the sponsor's name (`s:`) and the address texts (`a:`), kept
 * beside child_state by the projection. A GIN index on the terms array works on PGlite and PostgreSQL alike,
 * with no extension (pg_trgm and unaccent are not in every deployment).
 */
export const childSearch = pgTable(
  'child_search',
  {
    childId: bigint('child_id', { mode: 'number' }).primaryKey(), // derived: no foreign keys (decision 0003)
    aNumber: text('a_number'),
    orrId: text('orr_id'),
    terms: text('terms').array().notNull(),
    fieldOfficeCode: text('field_office_code'),
    protected1367: boolean('protected_1367').notNull().default(false),
    /** A digest of what the row was made from: a refresh whose inputs did not change skips the terms. */
    inputs: text('inputs').notNull(),
  },
  (table) => [
    index('child_search_a_number').on(table.aNumber),
    index('child_search_orr_id').on(table.orrId),
    // A small pending list (128 kB, not 4 MB): every search reads all of it, three times (name, sponsor, address),
    // and with few writes nothing flushes it — 218 pending pages made a search 10–30 ms instead of 1–2 ms at
    // 600,000 children. Bulk loads pay a little more for flushing often (docs/decisions/0018).
    index('child_search_terms').using('gin', table.terms).with({ gin_pending_list_limit: 128 }),
  ],
);

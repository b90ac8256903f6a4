import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Append-only: each entry's hash covers the previous entry's hash, so an edit, gap or reordering shows. */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    childId: bigint('child_id', { mode: 'number' }),
    purpose: text('purpose'),
    result: text('result').notNull(),
    detail: jsonb('detail').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  // With the sequence: the audit view lists a person's or a child's entries newest first, and a walk of the whole
  // log by sequence filtering for a rare actor took seconds at millions of entries.
  (table) => [
    index('audit_log_actor').on(table.actor, table.seq),
    index('audit_log_child').on(table.childId, table.seq),
  ],
);

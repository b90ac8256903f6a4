import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.table';
import { children } from '../cases/cases.table';
import { fieldOffices } from './field-offices.table';

/** A policy rule that holds for a child. At most one open alert per (rule, child); history is kept. */
export const alerts = pgTable(
  'alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    rule: text('rule').notNull(),
    childId: bigint('child_id', { mode: 'number' })
      .notNull()
      .references(() => children.id),
    severity: text('severity').notNull(),
    detail: jsonb('detail').notNull().default({}),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    // One open alert per (rule, child); the sweep's anti-joins look open alerts up by it.
    uniqueIndex('alerts_open_rule_child').on(table.rule, table.childId).where(sql`${table.closedAt} is null`),
    index('alerts_child').on(table.childId),
  ],
);

/** How many alerts of each rule are open: kept by the sweep as it opens and closes them (no scan per batch). */
export const openAlertCounts = pgTable('open_alert_counts', {
  rule: text('rule').primaryKey(),
  open: integer('open').notNull(),
});

/** A piece of work in a field office's queue. */
export const tasks = pgTable(
  'tasks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    alertId: bigint('alert_id', { mode: 'number' }).references(() => alerts.id),
    childId: bigint('child_id', { mode: 'number' })
      .notNull()
      .references(() => children.id),
    /** The ERO area the child is in; `agency` says whether ICE or ORR staff there do the work. */
    officeCode: text('office_code').references(() => fieldOffices.code),
    agency: text('agency').notNull().default('ice'),
    kind: text('kind').notNull(),
    severity: text('severity').notNull().default('medium'),
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.id),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** open | in_progress | done | escalated (docs/policy.md, task lifecycle) */
    state: text('state').notNull().default('open'),
    /** Why the task is done: an officer's outcome (TASK_OUTCOMES) or `condition_cleared` by the sweep. */
    outcome: text('outcome'),
    outcomeNote: text('outcome_note'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    /** Who finished it (a username), or `sweep` when the condition cleared. */
    doneBy: text('done_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('tasks_queue').on(table.officeCode, table.state, table.dueAt),
    index('tasks_alert').on(table.alertId),
    index('tasks_child').on(table.childId),
    index('tasks_assignee').on(table.assigneeId).where(sql`${table.state} <> 'done'`),
    // The office beside the due time: the field offices' overdue counts are read from the index alone.
    index('tasks_open_due')
      .on(table.dueAt, table.officeCode)
      .where(sql`${table.state} in ('open', 'in_progress')`),
  ],
);

/**
 * Each tips-feed tip as the tip-triage rule reads it (its latest record): the first given name it mentions
 * (`firstNameSql`, as the `children_first_name` index reads the children's), the caller's age estimate, town and phone digits, and
 * whether a `tip_triaged` event decided it concerns a child (then it matches no one). Kept by the sweep.
 */
export const tips = pgTable(
  'tips',
  {
    tip: text('tip').primaryKey(),
    receivedOn: date('received_on'),
    /** null when the tip mentions no name: it can match no one. */
    name: text('name'),
    age: integer('age'),
    town: text('town'),
    phone: text('phone'),
    decided: boolean('decided').notNull(),
  },
  // A child's tips found by the child's first name, among those still to triage.
  (table) => [index('tips_name').on(table.name).where(sql`not ${table.decided}`)],
);

/**
 * Tip records stored since a sweep last judged their tip: a trigger on source_records adds them, the next sweep
 * takes them. One row per record (not per tip), so a tip's new version stored while a sweep takes the queue is
 * never lost in a conflict with the row being taken.
 */
export const tipsPending = pgTable('tips_pending', {
  recordId: bigint('record_id', { mode: 'number' }).primaryKey(),
  tip: text('tip').notNull(),
});

/**
 * The children each tip may concern, with what matched (`name`, `age`, `town`, `phone`): the tip-triage rule's
 * answer, kept by the sweep — a tip judged when it arrives, a child re-judged when the sweep is about the child.
 */
export const tipCandidates = pgTable(
  'tip_candidates',
  {
    tip: text('tip').notNull(),
    childId: bigint('child_id', { mode: 'number' })
      .notNull()
      .references(() => children.id, { onDelete: 'cascade' }),
    evidence: text('evidence').array().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tip, table.childId] }),
    index('tip_candidates_child').on(table.childId),
  ],
);

import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/*
 * The dashboard's figures kept counted, so a request adds up a few thousand counters instead of scanning
 * every child. Database triggers keep them exact on every write to the rows they summarize
 * (src/reports/summaries.ts, docs/decisions/0011-report-summaries.md); the figure lists still read the rows.
 */

/** What each child contributes to the counts, so a change can take back exactly what was added. */
export const reportChildFigures = pgTable(
  'report_child_figures',
  {
    childId: bigint('child_id', { mode: 'number' }).primaryKey(), // derived: no foreign keys (decision 0003)
    /** The field office code, or `unassigned`. */
    office: text('office').notNull(),
    /** USPS state of the child's address (current, else release), or '' when none is known. */
    state: text('state').notNull(),
    /** One bit per time-independent figure (the order of SUMMARY_FIGURES in summaries.ts). */
    figures: integer('figures').notNull(),
    /** STALE_CONTACT_SINCE (figures.ts): the child counts as stale once this is 90 days past. */
    staleSince: timestamp('stale_since', { withTimezone: true }),
  },
  (table) => [index('report_child_figures_stale').on(table.staleSince, table.office, table.state)],
);

/** Children per office, state and figure. */
export const reportFigureCounts = pgTable(
  'report_figure_counts',
  {
    office: text('office').notNull(),
    state: text('state').notNull(),
    figure: text('figure').notNull(),
    children: integer('children').notNull(),
  },
  (table) => [primaryKey({ columns: [table.office, table.state, table.figure] })],
);

/** Released children with open cases per office, state and the month (UTC) their contact went stale from. */
export const reportStaleMonths = pgTable(
  'report_stale_months',
  {
    office: text('office').notNull(),
    state: text('state').notNull(),
    /** `-infinity` for children never contacted. */
    month: date('month', { mode: 'string' }).notNull(),
    children: integer('children').notNull(),
  },
  (table) => [primaryKey({ columns: [table.office, table.state, table.month] })],
);

/** Events of the kinds the trends chart shows, per month (UTC) and type. */
export const reportEventMonths = pgTable(
  'report_event_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    type: text('type').notNull(),
    events: integer('events').notNull(),
  },
  (table) => [primaryKey({ columns: [table.month, table.type] })],
);

/** Open and in-progress tasks per office and the month (UTC) they fall due. */
export const reportTaskMonths = pgTable(
  'report_task_months',
  {
    office: text('office').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    tasks: integer('tasks').notNull(),
  },
  (table) => [primaryKey({ columns: [table.office, table.month] })],
);

/** Which version of the summaries' definitions the counts were built with; a change rebuilds them. */
export const reportSummaryVersion = pgTable('report_summary_version', {
  version: text('version').primaryKey(),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The places each child is linked to, as the shared-place rule knows them: the door of the current address (its
 * delivery point) and the sponsor (by the sponsor's phone key). Kept with the figures, so a change takes back
 * exactly what was counted.
 */
export const reportChildPlaces = pgTable(
  'report_child_places',
  {
    childId: bigint('child_id', { mode: 'number' }).notNull(), // derived: no foreign keys (decision 0003)
    kind: text('kind').notNull(),
    place: text('place').notNull(),
  },
  (table) => [primaryKey({ columns: [table.childId, table.kind] })],
);

/** Children per place: the sponsor and address risk page reads the crowded ones, most children first. */
export const reportPlaceCounts = pgTable(
  'report_place_counts',
  {
    kind: text('kind').notNull(),
    place: text('place').notNull(),
    children: integer('children').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.kind, table.place] }),
    // Most children first, in the page's order: a page walks the index and stops when it is full. Only places
    // shared by two or more children: most places hold one, and their counts change without an index write.
    index('report_place_counts_crowded')
      .on(sql`(-${table.children})`, table.kind, table.place)
      .where(sql`${table.children} >= 2`),
  ],
);

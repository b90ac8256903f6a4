import { createHash } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import { childState } from '../cases/cases.table';
import type { Database, Sql } from '../db';
import { LOCKS } from '../db/locks';
import { FIGURES, type FigureDefinition, QUALITY_CHECKS, STALE_CONTACT_SINCE } from './figures';

/*
 * The report summaries (summaries.table.ts) are kept by statement-level triggers on the rows they count:
 * child_state, children, addresses and locate attempts for the figures and the places' children; events for the
 * trends; tasks for the offices' workload. Each trigger works on the statement's transition tables in a few
 * set-based statements, so a batch of 100,000 children costs a few grouped inserts and a single task update a few
 * row updates, and no writer (ingest, sweep, outcome, relink, rebuild, a person's task work) has to remember to call anything.
 * Why triggers rather than calls at the end of each writer: docs/decisions/0011-report-summaries.md.
 */

/** `children` counts every child (the offices the report lists); the rest are the figures and checks. */
const ALL_CHILDREN: FigureDefinition = { label: 'Children', condition: 'true' };

/** Every figure but stale_contact, which moves with the clock and is counted per month instead. */
export const SUMMARY_FIGURES: [string, FigureDefinition][] = [
  ['children', ALL_CHILDREN],
  ...Object.entries(FIGURES),
  ...Object.entries(QUALITY_CHECKS).filter(([id]) => id !== 'stale_contact'),
];
for (const [id, figure] of SUMMARY_FIGURES)
  if (figure.condition.includes('$1') || figure.condition.includes('risk_flags'))
    throw new Error(`figure ${id} depends on the time or on risk flags: it cannot be kept counted`);
if (SUMMARY_FIGURES.length > 31) throw new Error('more figures than bits in report_child_figures.figures');

/** The trends chart's event types. */
export const TREND_EVENT_TYPES = ['released_to_sponsor', 'nta_issued', 'failed_to_appear'] as const;
const OPEN_TASK = `state in ('open', 'in_progress') and office_code is not null`;
const monthOf = (column: string) => `date_trunc('month', ${column} at time zone 'UTC')::date`;

const TREND_TYPES_SQL = TREND_EVENT_TYPES.map((type) => `'${type}'`).join(', ');

/** One trigger per table and operation, each seeing the statement's rows as before_rows / after_rows. */
const triggersOn = (table: string, fn: string, operations: ('insert' | 'update' | 'delete')[]) =>
  operations
    .map((operation) => {
      const name = `report_${table}_${operation}`;
      const rows = {
        insert: 'new table as after_rows',
        update: 'old table as before_rows new table as after_rows',
        delete: 'old table as before_rows',
      }[operation];
      return `drop trigger if exists ${name} on ${table};
create trigger ${name} after ${operation} on ${table} referencing ${rows}
  for each statement execute function ${fn}();`;
    })
    .join('\n');
const TRIGGERS = [
  triggersOn('child_state', 'report_child_state_changed', ['insert', 'update', 'delete']),
  triggersOn('children', 'report_children_changed', ['update']),
  triggersOn('addresses', 'report_addresses_changed', ['update']),
  triggersOn('events', 'report_events_changed', ['insert', 'update', 'delete']),
  triggersOn('tasks', 'report_tasks_changed', ['insert', 'update', 'delete']),
].join('\n');

/**
 * The child_state columns a figure may read: all but the sweep's risk flags and the time of the last write.
 * From the table's definition, so a column added later is compared too.
 */
const COMPARED_STATE_COLUMNS = Object.values(getTableColumns(childState))
  .map((column) => column.name)
  .filter((name) => name !== 'risk_flags' && name !== 'updated_at')
  .join(', ');

const bits = SUMMARY_FIGURES.map(([id], bit) => `(${1 << bit}, '${id}')`).join(', ');
const figureBits = SUMMARY_FIGURES.map(
  ([, figure], bit) => `(case when (${figure.condition}) then ${1 << bit} else 0 end)`,
).join('\n         | ');

/** Adds (sign 1) or takes back (sign -1) the contributions in the relation `rows` to the counters. */
const applyContributions = (rows: string, sign: 1 | -1) => `
    counted as (
      insert into report_figure_counts (office, state, figure, children)
      select c.office, c.state, f.figure, ${sign} * count(*)::int
      from ${rows} c join (values ${bits}) f(bit, figure) on c.figures & f.bit <> 0
      group by 1, 2, 3 order by 1, 2, 3
      on conflict (office, state, figure) do update set children = report_figure_counts.children + excluded.children
      returning 1)
    insert into report_stale_months (office, state, month, children)
    select c.office, c.state, ${monthOf('c.stale_since')}, ${sign} * count(*)::int
    from ${rows} c where c.stale_since is not null
    group by 1, 2, 3 order by 1, 2, 3
    on conflict (office, state, month) do update set children = report_stale_months.children + excluded.children`;

/** Adds (sign 1) or takes back (sign -1) the children in the relation `rows` to their places' counts. */
const countPlaces = (rows: string, sign: 1 | -1) => `
    insert into report_place_counts (kind, place, children)
    select kind, place, ${sign} * count(*)::int from ${rows} group by 1, 2 order by 1, 2
    on conflict (kind, place) do update set children = report_place_counts.children + excluded.children`;

const SCRIPT = `
create or replace function report_refresh_children(ids bigint[]) returns void language plpgsql as $fn$
begin
  perform report_refresh_figures(ids);
  perform report_refresh_places(ids);
end $fn$;

-- A child's figures: what its state, identifiers, addresses' states and locate attempts say.
create or replace function report_refresh_figures(ids bigint[]) returns void language plpgsql as $fn$
begin
  if coalesce(array_length(ids, 1), 0) = 0 then return; end if;
  perform pg_advisory_xact_lock(${LOCKS.reportCounters});
  with gone as (
    delete from report_child_figures r using (select distinct unnest(ids) as id) u where r.child_id = u.id
    returning r.office, r.state, r.figures, r.stale_since),
  ${applyContributions('gone', -1)};

  with fresh as (
    insert into report_child_figures (child_id, office, state, figures, stale_since)
    select cs.child_id, coalesce(cs.field_office_code, 'unassigned'),
           case when place.state ~ '^[A-Z]{2}$' then place.state else '' end,
           ${figureBits},
           ${STALE_CONTACT_SINCE}
    from child_state cs join children ch on ch.id = cs.child_id
      left join addresses a on a.id = cs.address_id
      left join addresses r on r.id = cs.release_address_id
      cross join lateral (select coalesce(a.state, r.state) as state) place
    where cs.child_id in (select unnest(ids))
    returning office, state, figures, stale_since),
  ${applyContributions('fresh', 1)};
end $fn$;

-- A child's places: the door it lives at and its sponsor's phone, nothing else.
create or replace function report_refresh_places(ids bigint[]) returns void language plpgsql as $fn$
begin
  if coalesce(array_length(ids, 1), 0) = 0 then return; end if;
  perform pg_advisory_xact_lock(${LOCKS.reportCounters});
  with gone as (
    delete from report_child_places r using (select distinct unnest(ids) as id) u where r.child_id = u.id
    returning r.kind, r.place)
  ${countPlaces('gone', -1)};

  with fresh as (
    insert into report_child_places (child_id, kind, place)
    select cs.child_id, p.kind, p.place
    from child_state cs
      left join addresses a on a.id = cs.address_id
      left join sponsors sp on sp.id = cs.sponsor_id
      cross join lateral (values ('address', a.delivery_point), ('sponsor', sp.phone_key)) p(kind, place)
    where cs.child_id in (select unnest(ids)) and p.place is not null
    returning kind, place)
  ${countPlaces('fresh', 1)};
end $fn$;

create or replace function report_child_state_changed() returns trigger language plpgsql as $fn$
begin
  if current_setting('whereabouts.report_held', true) = 'on' then
    null; -- the writer refreshes its children itself (withReportLast)
  elsif TG_OP = 'INSERT' then
    perform report_refresh_children(array(select child_id from after_rows));
  elsif TG_OP = 'DELETE' then
    perform report_refresh_children(array(select child_id from before_rows));
  elsif current_setting('whereabouts.risk_flags_only', true) = 'on' then
    null; -- the sweep rewriting risk flags, which no figure reads: nothing to compare
  else
    -- The sweep rewrites risk flags (which no figure reads); the projection rewrites unchanged rows. A set
    -- difference (hashed), not a join: transition tables have no index, and a nested loop over them is n². Of the
    -- columns themselves: hashing each row's JSON took 16 times as long (20,000 rows: 1.5 s against 0.09 s).
    perform report_refresh_figures(array(
      select child_id from (
        select ${COMPARED_STATE_COLUMNS} from after_rows
        except select ${COMPARED_STATE_COLUMNS} from before_rows) changed));
    -- The places only when the child moved or changed sponsor: not when the sweep re-judges whereabouts.
    perform report_refresh_places(array(
      select child_id from (
        select child_id, address_id, sponsor_id from after_rows
        except select child_id, address_id, sponsor_id from before_rows) moved));
  end if;
  return null;
end $fn$;

create or replace function report_children_changed() returns trigger language plpgsql as $fn$
begin
  -- Of a child's own columns, the figures read only whether it has an identifier at all; linking fills in
  -- identifiers of thousands of children a batch, almost all of which already had one.
  perform report_refresh_figures(array(
    select id from (
      select id, a_number is null and orr_id is null from after_rows
      except select id, a_number is null and orr_id is null from before_rows) changed));
  return null;
end $fn$;

create or replace function report_addresses_changed() returns trigger language plpgsql as $fn$
begin
  perform report_refresh_children(array(
    with moved as (select id, state, delivery_point from after_rows except select id, state, delivery_point from before_rows)
    select cs.child_id from child_state cs where cs.address_id in (select id from moved)
    union select cs.child_id from child_state cs where cs.release_address_id in (select id from moved)));
  return null;
end $fn$;

create or replace function report_events_changed() returns trigger language plpgsql as $fn$
begin
  if TG_OP <> 'DELETE' then
    insert into report_event_months (month, type, events)
    select ${monthOf('occurred_at')}, type, count(*)::int from after_rows where type in (${TREND_TYPES_SQL})
    group by 1, 2 order by 1, 2
    on conflict (month, type) do update set events = report_event_months.events + excluded.events;
    perform report_refresh_figures(array(select distinct child_id from after_rows where type = 'locate_attempt'));
  end if;
  if TG_OP <> 'INSERT' then
    insert into report_event_months (month, type, events)
    select ${monthOf('occurred_at')}, type, -count(*)::int from before_rows where type in (${TREND_TYPES_SQL})
    group by 1, 2 order by 1, 2
    on conflict (month, type) do update set events = report_event_months.events + excluded.events;
    perform report_refresh_figures(array(select distinct child_id from before_rows where type = 'locate_attempt'));
  end if;
  return null;
end $fn$;

create or replace function report_tasks_changed() returns trigger language plpgsql as $fn$
begin
  if TG_OP <> 'DELETE' then
    insert into report_task_months (office, month, tasks)
    select office_code, ${monthOf('due_at')}, count(*)::int from after_rows where ${OPEN_TASK}
    group by 1, 2 order by 1, 2
    on conflict (office, month) do update set tasks = report_task_months.tasks + excluded.tasks;
  end if;
  if TG_OP <> 'INSERT' then
    insert into report_task_months (office, month, tasks)
    select office_code, ${monthOf('due_at')}, -count(*)::int from before_rows where ${OPEN_TASK}
    group by 1, 2 order by 1, 2
    on conflict (office, month) do update set tasks = report_task_months.tasks + excluded.tasks;
  end if;
  return null;
end $fn$;
${TRIGGERS}
`;

/**
 * Runs `work`, which writes the state of `childIds` and of no other child, with the state trigger's report refresh
 * held back, then refreshes those children's report rows, last in the caller's transaction. A refresh holds the
 * counters' lock until the commit; done last, another writer (a bulk settle's other slice) waits for the refresh
 * and the commit only, not for everything written after the state.
 */
export async function withReportLast(sql: Sql, childIds: number[], work: () => Promise<void>): Promise<void> {
  await sql.query("select set_config('whereabouts.report_held', 'on', true)");
  await work();
  await sql.query("select set_config('whereabouts.report_held', 'off', true)");
  await sql.query('select report_refresh_children($1::bigint[])', [childIds]);
}

/** The whole summary: every child's contribution and every counter, from the rows. */
const REBUILD = `
  delete from report_child_figures; delete from report_figure_counts; delete from report_stale_months;
  delete from report_event_months; delete from report_task_months; delete from report_child_places;
  delete from report_place_counts;
  select report_refresh_children(array(select child_id from child_state));
  insert into report_event_months (month, type, events)
    select ${monthOf('occurred_at')}, type, count(*)::int from events where type in (${TREND_TYPES_SQL}) group by 1, 2;
  insert into report_task_months (office, month, tasks)
    select office_code, ${monthOf('due_at')}, count(*)::int from tasks where ${OPEN_TASK} group by 1, 2;`;

const VERSION = createHash('sha256').update(SCRIPT).update(REBUILD).digest('hex').slice(0, 16);

/**
 * Installs the triggers and, when they are new or their definitions changed (a figure was redefined), builds
 * the summaries from the rows. Run at every start (prepareDatabase); a no-op when nothing changed.
 */
export async function installReportSummaries(db: Database): Promise<void> {
  const [current] = await db.query<{ version: string }>('select version from report_summary_version');
  if (current?.version === VERSION) return;
  await db.transaction(async (tx) => {
    await tx.exec(SCRIPT);
    await rebuildReportSummaries(tx);
    await tx.query('delete from report_summary_version');
    await tx.query('insert into report_summary_version (version) values ($1)', [VERSION]);
  });
}

/** Recounts every summary from the rows (the triggers keep them after that). */
export async function rebuildReportSummaries(sql: Sql): Promise<void> {
  await sql.exec(REBUILD);
}

import type { Sql } from '../db';
import { AppError } from '../shared/errors';
import {
  FIGURES,
  type FigureDefinition,
  type FigureId,
  QUALITY_CHECKS,
  type QualityCheckId,
  STALE_CONTACT_AFTER,
} from './figures';
import { SUMMARY_FIGURES, TREND_EVENT_TYPES } from './summaries';

export interface NationalReport {
  asOf: string;
  transferred: number;
  released: number;
  no_nta: number;
  nta_not_filed: number;
  failed_to_appear: number;
  address_defects: number;
  runaways: number;
  whereabouts_unknown: number;
  /** Share of children who failed to appear that had a locate attempt afterwards (0–1). */
  locate_attempt_share: number;
  by_field_office: Record<string, Record<FigureId | 'locate_attempt_share', number>>;
  data_quality: Record<string, Record<QualityCheckId, number>>;
}

const UNASSIGNED = 'unassigned';

function countsQuery(definitions: Record<string, FigureDefinition>): string {
  const columns = Object.entries(definitions).map(
    ([id, figure]) => `count(*) filter (where ${figure.condition})::int as "${id}"`,
  );
  return `select coalesce(cs.field_office_code, '${UNASSIGNED}') as office, ${columns.join(', ')}
          from child_state cs join children ch on ch.id = cs.child_id
          where $1::timestamptz is not null
          group by 1 order by 1`;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Number((part / whole).toFixed(4)));

/**
 * The national figures and the data-quality scorecard, per field office and in total, counted from every
 * child's state in one pass each: what the summaries (nationalReport) must always equal.
 */
export async function nationalReportFromRows(sql: Sql, asOf = new Date()): Promise<NationalReport> {
  const at = asOf.toISOString();
  const figureRows = await sql.query<Record<string, number | string>>(countsQuery(FIGURES), [at]);
  const qualityRows = await sql.query<Record<string, number | string>>(countsQuery(QUALITY_CHECKS), [at]);
  return assembleNationalReport(at, figureRows, qualityRows);
}

/** Every summary figure and the stale contacts as columns of one row per office, from the summaries. */
const NATIONAL_REPORT = `select office, ${[...SUMMARY_FIGURES.map(([id]) => id), 'stale_contact']
  .map((id) => `coalesce(sum(children) filter (where figure = '${id}'), 0)::int as "${id}"`)
  .join(', ')}
  from (select office, figure, children from report_figure_counts
        union all ${staleContactsQuery('office')}) counted
  group by office having sum(children) filter (where figure = 'children') > 0
  order by office`;

/** The national figures and the data-quality scorecard, from the summaries the triggers keep (summaries.ts). */
export async function nationalReport(sql: Sql, asOf = new Date()): Promise<NationalReport> {
  const at = asOf.toISOString();
  // One prepared statement returning a row per office: the dashboard's busiest call, where two statements
  // planned each time and a row per office and figure, assembled in JavaScript, cost more than the counting.
  const rows = await sql.query<Record<string, number | string>>(NATIONAL_REPORT, [at], {
    prepare: 'national-report',
  });
  return assembleNationalReport(at, rows, rows);
}

/**
 * Released children with open cases whose last verified contact lies more than 90 days before `$1`, per office
 * or state, as rows (office or state, 'stale_contact', children): whole months from the counters, the month the
 * cut falls in from the children's rows (an index).
 */
function staleContactsQuery(by: 'office' | 'state'): string {
  return `select ${by}, 'stale_contact' as figure, sum(children)::int as children from (
       with cut as (select $1::timestamptz - interval '${STALE_CONTACT_AFTER}' as at),
            cut_month as (select at, date_trunc('month', at at time zone 'UTC') as month from cut)
       select s.${by}, s.children from report_stale_months s, cut_month m where s.month < m.month::date
       union all
       select c.${by}, 1 from report_child_figures c, cut_month m
       where c.stale_since >= m.month at time zone 'UTC' and c.stale_since < m.at) counted
     group by 1`;
}

function assembleNationalReport(
  at: string,
  figureRows: Record<string, number | string>[],
  qualityRows: Record<string, number | string>[],
): NationalReport {
  const figureIds = Object.keys(FIGURES) as FigureId[];
  const byOffice: NationalReport['by_field_office'] = {};
  const total = Object.fromEntries(figureIds.map((id) => [id, 0])) as Record<FigureId, number>;
  for (const row of figureRows) {
    const office = String(row.office);
    const counts = Object.fromEntries(figureIds.map((id) => [id, Number(row[id])])) as Record<
      FigureId,
      number
    >;
    byOffice[office] = {
      ...counts,
      locate_attempt_share: share(counts.locate_attempted_after_fta, counts.failed_to_appear),
    };
    for (const id of figureIds) total[id] += counts[id];
  }
  const qualityIds = Object.keys(QUALITY_CHECKS) as QualityCheckId[];
  const dataQuality: NationalReport['data_quality'] = {};
  for (const row of qualityRows) {
    dataQuality[String(row.office)] = Object.fromEntries(
      qualityIds.map((id) => [id, Number(row[id])]),
    ) as Record<QualityCheckId, number>;
  }
  return {
    asOf: at,
    transferred: total.transferred,
    released: total.released,
    no_nta: total.no_nta,
    nta_not_filed: total.nta_not_filed,
    failed_to_appear: total.failed_to_appear,
    address_defects: total.address_defects,
    runaways: total.runaways,
    whereabouts_unknown: total.whereabouts_unknown,
    locate_attempt_share: share(total.locate_attempted_after_fta, total.failed_to_appear),
    by_field_office: byOffice,
    data_quality: dataQuality,
  };
}

/** A figure's or quality check's definition, or an input error naming the ones there are. */
export function figureDefinition(figure: string): FigureDefinition {
  const definition =
    (FIGURES as Record<string, FigureDefinition>)[figure] ??
    (QUALITY_CHECKS as Record<string, FigureDefinition>)[figure];
  if (!definition) {
    const known = [...Object.keys(FIGURES), ...Object.keys(QUALITY_CHECKS)].join(', ');
    throw new AppError('input_invalid', `There is no figure "${figure}". Figures: ${known}.`);
  }
  return definition;
}

/** The children behind one figure or quality check (optionally in one office): the figure's drill-down. */
export async function childrenBehind(
  sql: Sql,
  figure: FigureId | QualityCheckId,
  options: { asOf?: Date; office?: string; limit?: number } = {},
): Promise<number[]> {
  const rows = await listChildrenBehind(sql, figure, { ...options, limit: options.limit ?? 1_000_000 });
  return rows.map((row) => row.id);
}

export interface ListedChild {
  id: number;
  givenNames: string | null;
  surnames: string | null;
  aNumber: string | null;
  orrId: string | null;
  fieldOfficeCode: string | null;
  status: string;
  protected1367: boolean;
}

/** One page of the children behind a figure, in id order, after the cursor `after` (a child id). */
export async function listChildrenBehind(
  sql: Sql,
  figure: FigureId | QualityCheckId,
  options: { asOf?: Date; office?: string; after?: number; limit?: number } = {},
): Promise<ListedChild[]> {
  const definition = figureDefinition(figure);
  return sql.query<ListedChild>(
    `select cs.child_id as id, ch.given_names as "givenNames", ch.surnames, ch.a_number as "aNumber",
            ch.orr_id as "orrId", cs.field_office_code as "fieldOfficeCode", cs.status,
            cs.protected_1367 as "protected1367"
     from child_state cs join children ch on ch.id = cs.child_id
     where $1::timestamptz is not null and (${definition.condition})
       and ($2::text is null or coalesce(cs.field_office_code, '${UNASSIGNED}') = $2)
       and cs.child_id > $4
     order by cs.child_id limit $3`,
    [
      (options.asOf ?? new Date()).toISOString(),
      options.office ?? null,
      options.limit ?? 100,
      options.after ?? 0,
    ],
  );
}

export interface MonthlyCounts {
  month: string;
  released: number;
  ntaIssued: number;
  failedToAppear: number;
}

/** Releases, Notices to Appear issued and failures to appear in each of the last `months` months, from the events. */
export async function monthlyTrendsFromRows(
  sql: Sql,
  asOf = new Date(),
  months = 24,
): Promise<MonthlyCounts[]> {
  const rows = await sql.query<{ month: string; released: number; nta: number; fta: number }>(
    `with months as (
       select to_char(m, 'YYYY-MM') as month
       from generate_series(date_trunc('month', $1::timestamptz at time zone 'UTC') - make_interval(months => $2::int - 1),
                            date_trunc('month', $1::timestamptz at time zone 'UTC'), interval '1 month') as m),
     counted as (
       select to_char(occurred_at at time zone 'UTC', 'YYYY-MM') as month,
              count(*) filter (where type = 'released_to_sponsor')::int as released,
              count(*) filter (where type = 'nta_issued')::int as nta,
              count(*) filter (where type = 'failed_to_appear')::int as fta
       from events
       where type in ('released_to_sponsor', 'nta_issued', 'failed_to_appear')
         and occurred_at >= date_trunc('month', $1::timestamptz at time zone 'UTC') at time zone 'UTC' - make_interval(months => $2::int - 1)
         and occurred_at <= $1::timestamptz
       group by 1)
     select m.month, coalesce(c.released, 0)::int as released, coalesce(c.nta, 0)::int as nta, coalesce(c.fta, 0)::int as fta
     from months m left join counted c using (month) order by m.month`,
    [asOf.toISOString(), months],
  );
  return rows.map((row) => ({
    month: row.month,
    released: Number(row.released),
    ntaIssued: Number(row.nta),
    failedToAppear: Number(row.fta),
  }));
}

/**
 * A figure counted by the state of the child's address (where the child lives now, else the release
 * address); children with no address in a known state are counted apart, as `noState`.
 */
export async function figureByStateFromRows(
  sql: Sql,
  figure: FigureId | QualityCheckId,
  asOf = new Date(),
): Promise<{ states: Record<string, number>; noState: number }> {
  const definition = figureDefinition(figure);
  const rows = await sql.query<{ state: string | null; n: number }>(
    `select coalesce(a.state, r.state) as state, count(*)::int as n
     from child_state cs join children ch on ch.id = cs.child_id
       left join addresses a on a.id = cs.address_id
       left join addresses r on r.id = cs.release_address_id
     where $1::timestamptz is not null and (${definition.condition})
     group by 1`,
    [asOf.toISOString()],
  );
  const states: Record<string, number> = {};
  let noState = 0;
  for (const row of rows) {
    if (row.state && /^[A-Z]{2}$/.test(row.state))
      states[row.state] = (states[row.state] ?? 0) + Number(row.n);
    else noState += Number(row.n);
  }
  return { states, noState };
}

export interface OfficeWorkload {
  code: string;
  name: string;
  openTasks: number;
  overdueTasks: number;
}

/** Each field office's open and overdue tasks as of a time, counted from the tasks. */
export async function officeWorkloadFromRows(sql: Sql, asOf = new Date()): Promise<OfficeWorkload[]> {
  const rows = await sql.query<OfficeWorkload>(
    `select o.code, o.name,
            count(t.id)::int as "openTasks",
            count(t.id) filter (where t.due_at < $1::timestamptz)::int as "overdueTasks"
     from field_offices o
       left join tasks t on t.office_code = o.code and t.state in ('open', 'in_progress')
     group by o.code, o.name order by o.code`,
    [asOf.toISOString()],
  );
  return rows.map((row) => ({
    ...row,
    openTasks: Number(row.openTasks),
    overdueTasks: Number(row.overdueTasks),
  }));
}

/** A figure counted by the state of the child's address, from the summaries (as figureByStateFromRows). */
export async function figureByState(
  sql: Sql,
  figure: FigureId | QualityCheckId,
  asOf = new Date(),
): Promise<{ states: Record<string, number>; noState: number }> {
  figureDefinition(figure);
  const counted =
    figure === 'stale_contact'
      ? await sql.query<{ state: string; children: number }>(staleContactsQuery('state'), [
          asOf.toISOString(),
        ])
      : await sql.query<{ state: string; children: number }>(
          `select state, sum(children)::int as children from report_figure_counts where figure = $1 group by 1`,
          [figure],
        );
  const states: Record<string, number> = {};
  let noState = 0;
  for (const row of counted) {
    if (Number(row.children) === 0) continue;
    if (row.state) states[row.state] = Number(row.children);
    else noState += Number(row.children);
  }
  return { states, noState };
}

/**
 * Monthly trends from the summaries (as monthlyTrendsFromRows): whole months from the counters, the month of
 * `asOf` (which may end before the month does) from the events themselves.
 */
export async function monthlyTrends(sql: Sql, asOf = new Date(), months = 24): Promise<MonthlyCounts[]> {
  const rows = await sql.query<{ month: string; released: number; nta: number; fta: number }>(
    `with bounds as (
       select date_trunc('month', $1::timestamptz at time zone 'UTC') as this_month),
     counted as (
       select to_char(month, 'YYYY-MM') as month, type, events
       from report_event_months, bounds
       where month >= (this_month - make_interval(months => $2::int - 1))::date and month < this_month::date
       union all
       -- the month's start written out, not read from bounds: a bound from the CTE is no index condition, and
       -- the national store's 800,000 such events were read to find this month's
       select to_char($1::timestamptz at time zone 'UTC', 'YYYY-MM'), type, count(*)::int
       from events
       where type in (${TREND_EVENT_TYPES.map((type) => `'${type}'`).join(', ')})
         and occurred_at >= date_trunc('month', $1::timestamptz at time zone 'UTC') at time zone 'UTC'
         and occurred_at <= $1::timestamptz
       group by 1, 2)
     select to_char(m, 'YYYY-MM') as month,
            coalesce(sum(c.events) filter (where c.type = 'released_to_sponsor'), 0)::int as released,
            coalesce(sum(c.events) filter (where c.type = 'nta_issued'), 0)::int as nta,
            coalesce(sum(c.events) filter (where c.type = 'failed_to_appear'), 0)::int as fta
     from bounds, generate_series(this_month - make_interval(months => $2::int - 1), this_month, interval '1 month') m
       left join counted c on c.month = to_char(m, 'YYYY-MM')
     group by 1 order by 1`,
    [asOf.toISOString(), months],
  );
  return rows.map((row) => ({
    month: row.month,
    released: Number(row.released),
    ntaIssued: Number(row.nta),
    failedToAppear: Number(row.fta),
  }));
}

/** Each field office's open and overdue tasks, from the summaries (as officeWorkloadFromRows). */
export async function officeWorkload(sql: Sql, asOf = new Date()): Promise<OfficeWorkload[]> {
  const rows = await sql.query<OfficeWorkload>(
    `with this_month as (select date_trunc('month', $1::timestamptz at time zone 'UTC') as month),
     counted as (
       select office, sum(tasks)::int as open, sum(tasks) filter (where month < (select month from this_month)::date)::int as overdue
       from report_task_months group by office
       union all
       select office_code, 0, count(*)::int from tasks
       where state in ('open', 'in_progress') and office_code is not null
         and due_at >= (select month from this_month) at time zone 'UTC' and due_at < $1::timestamptz
       group by office_code)
     select o.code, o.name, coalesce(sum(c.open), 0)::int as "openTasks", coalesce(sum(c.overdue), 0)::int as "overdueTasks"
     from field_offices o left join counted c on c.office = o.code
     group by o.code, o.name order by o.code`,
    [asOf.toISOString()],
    { prepare: 'office-workload' },
  );
  return rows.map((row) => ({
    ...row,
    openTasks: Number(row.openTasks),
    overdueTasks: Number(row.overdueTasks),
  }));
}

import type { Database, Sql } from '../db';
import { holdLock } from '../db/locks';
import { withIndexesRebuilt } from '../db/rebuilt-indexes';
import { analyzeAfterBulkChange } from '../db/statistics';
import { type Policy, RULE_IDS, type RuleId } from './policy.schema';
import {
  CHILD_RULE_IDS,
  CHILD_RULES,
  type ChildRule,
  type ChildRuleId,
  SHARED_PLACE_DETAIL,
  sharedPlaceHolders,
} from './rules';
import { judgeTips } from './tip-triage';

export interface SweepOptions {
  /** The moment the policy is evaluated at; defaults to now. Tests and replays pass a fixed time. */
  asOf?: Date;
  /** Evaluate only these children (an incremental sweep after a batch); all children when absent. */
  childIds?: number[];
  /**
   * Open the alerts with the alerts' and tasks' indexes built after the rows are in when at least this many open
   * and no fewer than are stored (default 50,000: a first load's first sweep).
   */
  bulkOpening?: number;
}

export interface RuleCounts {
  opened: number;
  closed: number;
  open: number;
}

export interface SweepResult {
  asOf: string;
  scope: 'full' | 'incremental';
  rules: Record<RuleId, RuleCounts>;
  tasksCreated: number;
  tasksClosed: number;
  tasksEscalated: number;
}

/**
 * Applies every enabled rule to every child (or to the given children) in one transaction, set-based:
 * the children each rule holds for now are compared with the open alerts; new ones open (with their tasks),
 * cleared ones close (and their unfinished tasks with them), overdue tasks escalate.
 */
export async function runSweep(
  db: Database,
  policy: Policy,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const result = await db.transaction((sql) => sweepIn(sql, policy, options));
  // A first sweep opens alerts and tasks for a large part of the caseload: what the next statements plan with.
  const changed = Object.values(result.rules).reduce((sum, rule) => sum + rule.opened + rule.closed, 0);
  await analyzeAfterBulkChange(db, changed, SWEEP_WRITES);
  return result;
}

/**
 * The tables a sweep writes in bulk (directly or through the report triggers), whose statistics it renews. Not the
 * rest: at 600,000 children the search terms' ANALYZE alone (a sample of 300,000 rows, docs/decisions/0021) took
 * 3.4 s of a first sweep for a table the sweep never writes.
 */
const SWEEP_WRITES = [
  'alerts',
  'tasks',
  'child_state',
  'tips',
  'tip_candidates',
  'open_alert_counts',
  'report_child_figures',
  'report_task_months',
];

/** The sweep inside the caller's transaction: an officer's outcome and the alerts it clears commit together. */
export async function sweepIn(sql: Sql, policy: Policy, options: SweepOptions = {}): Promise<SweepResult> {
  await holdLock(sql, 'sweep'); // one sweep at a time across processes: two could open the same alert
  const asOf = (options.asOf ?? new Date()).toISOString();
  const scope = options.childIds ?? null;
  const scoped = scope !== null;
  // Only the differences are written: the alerts to open (with their detail) and the alerts to close.
  await sql.exec(`create temp table if not exists alert_changes (rule text not null, child_id bigint not null,
                    alert_id bigint, detail jsonb) on commit delete rows;
                  create temp table if not exists sweep_scope (child_id bigint primary key) on commit delete rows;
                  create temp table if not exists place_seeds (child_id bigint primary key) on commit delete rows;
                  create temp table if not exists place_holders (child_id bigint primary key) on commit delete rows;
                  create temp table if not exists sweep_judged (child_id bigint primary key, holds text[] not null)
                    on commit delete rows;
                  delete from alert_changes; delete from sweep_scope; delete from place_seeds; delete from place_holders;
                  delete from sweep_judged;`);
  if (scoped) {
    await sql.query('insert into sweep_scope select distinct unnest($1::bigint[])', [scope]);
    await sql.exec('analyze sweep_scope');
  }
  await refreshWhereabouts(sql, policy, asOf, scope);
  await judgeChildRules(sql, policy, asOf, scoped);
  await judgeSharedPlaces(sql, policy, scoped);
  await judgeTips(sql, policy, scoped);
  await sql.exec('analyze alert_changes'); // the statements below join it: a million rows or a handful
  const { closed, tasksClosed } = await closeClearedAlerts(sql, asOf);
  const { opened, tasksCreated } = (await opensMostAlerts(sql, options.bulkOpening ?? BULK_OPENING))
    ? await withIndexesRebuilt(sql, ['alerts', 'tasks'], () => openNewAlerts(sql, policy, asOf))
    : await openNewAlerts(sql, policy, asOf);
  await refreshRiskFlags(sql);
  const tasksEscalated = await escalateOverdueTasks(sql, policy, asOf);
  const open = await countOpenAlerts(sql, opened, closed);

  const count = (rows: { rule: string; n: number }[], id: string) =>
    rows.find((row) => row.rule === id)?.n ?? 0;
  const rules = Object.fromEntries(
    RULE_IDS.map((id) => [
      id,
      { opened: count(opened, id), closed: count(closed, id), open: count(open, id) },
    ]),
  ) as Record<RuleId, RuleCounts>;
  return { asOf, scope: scoped ? 'incremental' : 'full', rules, tasksCreated, tasksClosed, tasksEscalated };
}

/**
 * The open alerts per rule, kept as a running count (`open_alert_counts`) changed by what this sweep opened and
 * closed, instead of counting every open alert in the country after each batch. The first sweep on a database
 * counts them once.
 */
async function countOpenAlerts(
  sql: Sql,
  opened: { rule: string; n: number }[],
  closed: { rule: string; n: number }[],
): Promise<{ rule: string; n: number }[]> {
  const [known] = await sql.query<{ n: number }>('select count(*)::int as n from open_alert_counts');
  if (Number(known?.n ?? 0) === 0) {
    await sql.exec(`insert into open_alert_counts (rule, open)
                    select rule, count(*)::int from alerts where closed_at is null group by rule`);
  } else {
    const change = new Map<string, number>();
    for (const row of opened) change.set(row.rule, (change.get(row.rule) ?? 0) + Number(row.n));
    for (const row of closed) change.set(row.rule, (change.get(row.rule) ?? 0) - Number(row.n));
    await sql.query(
      `insert into open_alert_counts (rule, open) select * from unnest($1::text[], $2::int[])
       on conflict (rule) do update set open = open_alert_counts.open + excluded.open`,
      [[...change.keys()], [...change.values()]],
    );
  }
  return sql.query<{ rule: string; n: number }>('select rule, open as n from open_alert_counts');
}

/**
 * Whether this sweep opens many alerts, at least as many as are stored: a first load's first sweep (1.2 million
 * alerts and 1.4 million tasks at 600,000 children), whose alerts and tasks are better indexed after they are in.
 */
async function opensMostAlerts(sql: Sql, atLeast: number): Promise<boolean> {
  const [{ opening } = { opening: 0 }] = await sql.query<{ opening: number }>(
    'select count(*)::int as opening from alert_changes where alert_id is null',
  );
  if (opening < atLeast) return false;
  const [{ stored } = { stored: 0 }] = await sql.query<{ stored: number }>(
    'select count(*)::int as stored from (select from alerts limit $1) a', // counts no further than it needs
    [opening + 1],
  );
  return opening >= stored;
}

const BULK_OPENING = 50_000;

/**
 * Closes the alerts whose condition no longer holds, and their unfinished tasks, in one statement: both found
 * by id (indexed), not by scanning for the closing time.
 */
async function closeClearedAlerts(sql: Sql, asOf: string) {
  const [result] = await sql.query<{ by_rule: { rule: string; n: number }[] | null; tasks: number }>(
    `with closed as (
       update alerts a set closed_at = $1::timestamptz
       from alert_changes c where c.alert_id = a.id
       returning a.id, a.rule),
     finished as (
       update tasks t set state = 'done', outcome = 'condition_cleared', done_at = $1::timestamptz, done_by = 'sweep',
                          updated_at = $1::timestamptz
       where t.alert_id in (select id from closed) and t.state in ('open', 'in_progress', 'escalated')
       returning t.id)
     select (select jsonb_agg(jsonb_build_object('rule', rule, 'n', n)) from (select rule, count(*)::int as n from closed group by rule) r) as by_rule,
            (select count(*)::int from finished) as tasks`,
    [asOf],
  );
  return { closed: result?.by_rule ?? [], tasksClosed: result?.tasks ?? 0 };
}

/**
 * Opens the alerts the rules found and, in the same statement, their tasks: the tasks are made from the rows the
 * insert returns, not looked up again (at 600,000 children a lookup of the just-opened alerts by opening time,
 * planned on the statistics of an empty table, read the whole index once per task template).
 */
async function openNewAlerts(sql: Sql, policy: Policy, asOf: string) {
  const ids = RULE_IDS.filter((id) => policy.rules[id].enabled);
  const templates = ids.flatMap((id) =>
    policy.rules[id].tasks.map((task) => ({ rule: id, severity: policy.rules[id].severity, ...task })),
  );
  const [result] = await sql.query<{ by_rule: { rule: string; n: number }[] | null; tasks: number }>(
    `with severity as (select * from unnest($2::text[], $3::text[]) as s(rule, severity)),
     opened as (
       insert into alerts (rule, child_id, severity, detail, opened_at)
       select c.rule, c.child_id, s.severity, c.detail, $1::timestamptz
       from alert_changes c join severity s on s.rule = c.rule
       where c.alert_id is null
       returning id, rule, child_id),
     tasks as (
       insert into tasks (alert_id, child_id, office_code, agency, kind, severity, due_at, state, created_at, updated_at)
       select a.id, a.child_id, cs.field_office_code, t.agency, t.kind, t.severity,
              $1::timestamptz + make_interval(days => t.due_days), 'open', $1::timestamptz, $1::timestamptz
       from opened a
       join child_state cs on cs.child_id = a.child_id
       join unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])
            with ordinality as t(rule, severity, kind, agency, due_days, condition, ord) on t.rule = a.rule
       where t.condition is null
          or (t.condition = 'no_attorney' and not cs.has_attorney)
          or (t.condition = 'whereabouts_unknown' and cs.whereabouts = 'unknown')
          or (t.condition = 'concerns_raised' and cs.last_safety_call_outcome = 'concerns')
          or (t.condition = 'not_reached' and cs.last_safety_call_outcome = 'not_reached')
       order by a.id, t.ord -- each alert's tasks numbered in the policy's order
       returning 1)
     select (select jsonb_agg(jsonb_build_object('rule', rule, 'n', n))
             from (select rule, count(*)::int as n from opened group by rule) r) as by_rule,
            (select count(*)::int from tasks) as tasks`,
    [
      asOf,
      ids,
      ids.map((id) => policy.rules[id].severity),
      templates.map((t) => t.rule),
      templates.map((t) => t.severity),
      templates.map((t) => t.kind),
      templates.map((t) => t.office),
      templates.map((t) => t.due_days),
      templates.map((t) => t.when ?? null),
    ],
  );
  return { opened: result?.by_rule ?? [], tasksCreated: result?.tasks ?? 0 };
}

async function escalateOverdueTasks(sql: Sql, policy: Policy, asOf: string): Promise<number> {
  const rows = await sql.query(
    `update tasks set state = 'escalated', escalated_at = $1::timestamptz, updated_at = $1::timestamptz
     where state in ('open', 'in_progress') and due_at < $1::timestamptz - make_interval(days => $2::int)
     returning id`,
    [asOf, policy.escalation.overdue_days],
  );
  return rows.length;
}

/**
 * Whereabouts depend on the time and the policy's windows, and turning 18 ends the juvenile case (OPEN_CASE_SQL),
 * so the sweep re-judges both as of its own time, in either direction, before any rule reads them. One statement
 * writes only the rows whose judgement changes; an incremental sweep finds its children by key (an array, which
 * the planner reads through the primary key: a join with the scope's table scanned the whole table at 600,000).
 */
async function refreshWhereabouts(
  sql: Sql,
  policy: Policy,
  asOf: string,
  scope: number[] | null,
): Promise<void> {
  const judged = `case when cs.runaway then 'unknown'
                       when cs.last_verified_contact_at >= $1::timestamptz - make_interval(days => $2::int) then 'verified'
                       when cs.last_verified_contact_at >= $1::timestamptz - make_interval(days => $3::int) then 'unverified'
                       else 'unknown' end`;
  const agedOut = `coalesce(cs.dob + interval '18 years' <= $1::timestamptz, false)`;
  const params = [asOf, policy.whereabouts.verified_within_days, policy.whereabouts.unknown_after_days];
  await sql.query(
    `update child_state cs set whereabouts = ${judged}, aged_out = ${agedOut}
     where ${scope ? 'cs.child_id = any($4::bigint[])' : 'true'}
       and (cs.whereabouts <> ${judged} or cs.aged_out <> ${agedOut})`,
    scope ? [...params, scope] : params,
  );
}

/**
 * `child_state.risk_flags`: the rules with an open alert, rewritten only for the children whose alerts changed or
 * whose flags disagreed with what holds. The one-pass judgement trusts them: only the sweep opens and closes alerts.
 */
async function refreshRiskFlags(sql: Sql): Promise<void> {
  // One join of the children in question with their open alerts: a correlated subquery per child ran for
  // minutes at 600,000 children.
  // No figure reads the flags (reports/summaries.ts checks it), so the report triggers may skip this statement.
  await sql.exec(
    `select set_config('whereabouts.risk_flags_only', 'on', true);
     update child_state cs set risk_flags = f.flags
     from (select c.child_id,
                  coalesce(jsonb_agg(a.rule order by a.rule) filter (where a.rule is not null), '[]'::jsonb) as flags
           -- the judged children too: a flag out of step with the alerts is mended the first time it is noticed
           from (select child_id from alert_changes union select child_id from sweep_judged) c
             left join alerts a on a.child_id = c.child_id and a.closed_at is null
           group by c.child_id) f
     where cs.child_id = f.child_id and cs.risk_flags <> f.flags;
     select set_config('whereabouts.risk_flags_only', 'off', true);`,
  );
}

/**
 * The eight rules that read one child's row, judged in one pass over the children (or the batch's): the rules
 * that hold for each child are compared with the rules of the child's open alerts (`risk_flags`, which the sweep
 * keeps), and only the children where the two differ are judged rule by rule against their open alerts. In the
 * steady state that is a single scan that writes nothing; an alert's detail is built only when it opens.
 */
async function judgeChildRules(sql: Sql, policy: Policy, asOf: string, scoped: boolean): Promise<void> {
  const params: unknown[] = [asOf];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = CHILD_RULE_IDS.map((id) => {
    const rule = CHILD_RULES[id] as ChildRule<ChildRuleId>;
    return {
      id,
      holds: policy.rules[id].enabled ? `coalesce(${rule.holds(policy.rules[id], param)}, false)` : 'false',
    };
  });
  // The rules that hold, and whether each agrees with an open alert: one pass, no array built for the children
  // where everything agrees (all but a few in the steady state). The batch's children are read by key (`offset 0`
  // keeps the lookup per child: joined, the planner hashed all of child_state for 10,000 children, 0.1 → 2.8 s).
  const judged = `
     select cs.child_id,
            array_remove(array[${conditions.map((c) => `case when ${c.holds} then '${c.id}' end`).join(',\n')}]::text[], null) as holds
     from ${scoped ? 'sweep_scope s cross join lateral (select * from child_state where child_id = s.child_id offset 0) cs' : 'child_state cs'}
     where $1::timestamptz is not null -- typed even when no enabled rule reads the time
       and (${conditions.map((c) => `${c.holds} <> (cs.risk_flags ? '${c.id}')`).join('\n or ')})`;
  if (scoped) {
    await sql.query(`insert into sweep_judged (child_id, holds) ${judged}`, params);
  } else {
    // Every child: a plain SELECT, which PostgreSQL may scan with parallel workers (an INSERT … SELECT may not).
    // The planner cannot tell that all but a few rows fail the test, so it is told that gathering rows is cheap.
    const rows = await withSettings(sql, { parallel_setup_cost: '0', parallel_tuple_cost: '0.0001' }, () =>
      sql.query<{ child_id: number; holds: string[] }>(judged, params),
    );
    if (rows.length > 0)
      await sql.query(
        `insert into sweep_judged (child_id, holds)
         select (j->>0)::bigint, array(select jsonb_array_elements_text(j->1)) from jsonb_array_elements($1::jsonb) j`,
        [JSON.stringify(rows.map((row) => [row.child_id, row.holds]))],
      );
  }
  await sql.exec('analyze sweep_judged');
  await sql.query(
    `insert into alert_changes (rule, child_id, alert_id)
     select coalesce(h.rule, a.rule), coalesce(h.child_id, a.child_id), a.id
     from (select j.child_id, r.rule from sweep_judged j cross join unnest(j.holds) as r(rule)) h
       -- each judged child's open alerts by the child's key, not every open alert of the eight rules
       full join (select a.id, a.rule, a.child_id from sweep_judged j
                    cross join lateral (select id, rule, child_id from alerts where child_id = j.child_id
                                          and closed_at is null offset 0) a
                  where a.rule = any($1::text[])) a
         on a.child_id = h.child_id and a.rule = h.rule
     where h.child_id is null or a.id is null`,
    [CHILD_RULE_IDS],
  );
  const enabled = CHILD_RULE_IDS.filter((id) => policy.rules[id].enabled);
  if (enabled.length === 0) return;
  await sql.exec(
    `analyze alert_changes; -- a million new alerts in a first sweep: joined by hash, not looked up one by one
     update alert_changes c
     set detail = case c.rule ${enabled.map((id) => `when '${id}' then ${CHILD_RULES[id].detail}`).join('\n')} end
     from child_state cs
     where cs.child_id = c.child_id and c.alert_id is null`,
  );
}

/** Runs `work` with planner settings changed, then puts them back as they were (transaction-local). */
async function withSettings<T>(
  sql: Sql,
  settings: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const names = Object.keys(settings);
  const [before] = await sql.query<{ values: string[] }>(
    'select array(select current_setting(name) from unnest($1::text[]) as name) as values',
    [names],
  );
  const set = (values: string[]) =>
    sql.query('select set_config(name, value, true) from unnest($1::text[], $2::text[]) as s(name, value)', [
      names,
      values,
    ]);
  await set(Object.values(settings));
  const result = await work(); // if it fails, the transaction's rollback restores the settings
  await set(before!.values);
  return result;
}

/**
 * The shared-place rule. A child who arrives at, or leaves, a sponsor or a door changes the count there for
 * everyone else, so an incremental sweep asks about the places of the batch's children and of the children their
 * open shared-place alerts name (where they lived before): everyone at such a place that is crowded holds, and
 * everyone asked about or holding whose alert no longer holds has it closed. Children at a place that is not
 * crowded are not read at all (a hub sponsor's hundreds of children are judged only when the hub is involved).
 */
async function judgeSharedPlaces(sql: Sql, policy: Policy, scoped: boolean): Promise<void> {
  const id = 'shared_sponsor_or_address';
  if (scoped) {
    await sql.exec(
      `insert into place_seeds
       select child_id from sweep_scope
       union
       select member::bigint
       from sweep_scope s
         cross join lateral (select detail from alerts where rule = '${id}' and child_id = s.child_id
                               and closed_at is null offset 0) a
         cross join lateral jsonb_array_elements(a.detail) as place
         cross join lateral jsonb_array_elements_text(place->'children') as member
       on conflict do nothing;
       analyze place_seeds`,
    );
  }
  const rule = policy.rules[id];
  const openAlerts = `select id, child_id from alerts where rule = '${id}' and closed_at is null`;
  if (!rule.enabled) {
    // A rule switched off holds for no one: its open alerts close.
    await sql.exec(
      `insert into alert_changes (rule, child_id, alert_id) select '${id}', child_id, id from (${openAlerts}) a
       ${scoped ? 'where a.child_id in (select child_id from place_seeds)' : ''}`,
    );
    return;
  }
  // Who holds, then (incremental) everyone asked about or holding: their open alerts are the other side.
  await sql.query(`insert into place_holders ${sharedPlaceHolders(scoped)}`, [rule.min_children]);
  if (scoped)
    await sql.exec('insert into place_seeds select child_id from place_holders on conflict do nothing');
  await sql.exec(
    `insert into alert_changes (rule, child_id, alert_id)
     select '${id}', coalesce(h.child_id, a.child_id), a.id
     from place_holders h
       full join (${openAlerts} ${scoped ? 'and child_id in (select child_id from place_seeds)' : ''}) a
         on a.child_id = h.child_id
     where h.child_id is null or a.id is null`,
  );
  await sql.query(
    `update alert_changes c set detail = ${SHARED_PLACE_DETAIL} where c.rule = '${id}' and c.alert_id is null`,
    [rule.min_children],
  );
}

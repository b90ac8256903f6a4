import type { Database, Sql } from '../db';
import { type Policy, RULE_IDS, type RuleId } from './policy.schema';
import { RULE_QUERIES, type RuleQuery, UNSCOPED_RULES } from './rules';

export interface SweepOptions {
  /** The moment the policy is evaluated at; defaults to now. Tests and replays pass a fixed time. */
  asOf?: Date;
  /** Evaluate only these children (an incremental sweep after a batch); all children when absent. */
  childIds?: number[];
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
  return db.transaction((sql) => sweepIn(sql, policy, options));
}

/** The sweep inside the caller's transaction: an officer's outcome and the alerts it clears commit together. */
export async function sweepIn(sql: Sql, policy: Policy, options: SweepOptions = {}): Promise<SweepResult> {
  const asOf = (options.asOf ?? new Date()).toISOString();
  const scope = options.childIds ?? null;
  {
    await sql.exec(`create temp table if not exists rule_holds (rule text not null, child_id bigint not null, detail jsonb not null)
                    on commit delete rows`);
    await sql.exec('delete from rule_holds');
    await sql.exec(
      'create temp table if not exists sweep_scope (child_id bigint primary key) on commit delete rows',
    );
    await sql.exec('delete from sweep_scope');
    const scoped = scope !== null;
    if (scoped) {
      await sql.query('insert into sweep_scope select distinct unnest($1::bigint[])', [scope]);
      await addFormerNeighbours(sql);
      await sql.exec('analyze sweep_scope');
    }
    await refreshWhereabouts(sql, policy, asOf, scoped);
    const enabled = RULE_IDS.filter((id) => policy.rules[id].enabled);
    for (const id of enabled) {
      const ruleQuery = RULE_QUERIES[id] as (rule: Policy['rules'][RuleId], scoped: boolean) => RuleQuery;
      const query = ruleQuery(policy.rules[id], scoped && !UNSCOPED_RULES.has(id));
      await sql.query(
        `insert into rule_holds (rule, child_id, detail) select '${id}', child_id, detail from (${query.text}) q
         where $1::timestamptz is not null`, // types $1 for rules that do not otherwise use the time
        [asOf, ...query.params],
      );
    }

    await sql.exec('analyze rule_holds'); // a temp table has no statistics until asked; the joins below need them
    const { closed, tasksClosed } = await closeClearedAlerts(sql, asOf, scoped);
    const opened = await openNewAlerts(sql, policy, asOf);
    const tasksCreated = await createTasksForNewAlerts(sql, policy, asOf);
    const tasksEscalated = await escalateOverdueTasks(sql, policy, asOf);
    const open = await sql.query<{ rule: string; n: number }>(
      'select rule, count(*)::int as n from alerts where closed_at is null group by rule',
    );

    const count = (rows: { rule: string; n: number }[], id: string) =>
      rows.find((row) => row.rule === id)?.n ?? 0;
    const rules = Object.fromEntries(
      RULE_IDS.map((id) => [
        id,
        { opened: count(opened, id), closed: count(closed, id), open: count(open, id) },
      ]),
    ) as Record<RuleId, RuleCounts>;
    return { asOf, scope: scope ? 'incremental' : 'full', rules, tasksCreated, tasksClosed, tasksEscalated };
  }
}

/**
 * Closes the open alerts whose condition no longer holds, and their unfinished tasks, in one statement: the
 * tasks are found through the closed alerts' ids (indexed), not by scanning for the closing time.
 */
async function closeClearedAlerts(sql: Sql, asOf: string, scoped: boolean) {
  const [result] = await sql.query<{ by_rule: { rule: string; n: number }[] | null; tasks: number }>(
    `with closed as (
       update alerts a set closed_at = $1::timestamptz
       where a.closed_at is null
         ${scoped ? `and (a.child_id in (select child_id from sweep_scope) or a.rule in (${[...UNSCOPED_RULES].map((id) => `'${id}'`).join(', ')}))` : ''}
         and not exists (select 1 from rule_holds h where h.rule = a.rule and h.child_id = a.child_id)
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

async function openNewAlerts(sql: Sql, policy: Policy, asOf: string) {
  const ids = RULE_IDS.filter((id) => policy.rules[id].enabled);
  // First drop the holds that already have an open alert, then insert the rest: an anti-join against
  // `alerts` inside the insert into `alerts` can degrade to a scan of the growing table per row.
  await sql.query(
    `delete from rule_holds h using alerts a where a.rule = h.rule and a.child_id = h.child_id and a.closed_at is null`,
  );
  return sql.query<{ rule: string; n: number }>(
    `with severity as (select * from unnest($2::text[], $3::text[]) as s(rule, severity)),
     opened as (
       insert into alerts (rule, child_id, severity, dedupe_key, detail, opened_at)
       select h.rule, h.child_id, s.severity, h.rule || ':' || h.child_id, h.detail, $1::timestamptz
       from rule_holds h join severity s on s.rule = h.rule
       returning rule)
     select rule, count(*)::int as n from opened group by rule`,
    [asOf, ids, ids.map((id) => policy.rules[id].severity)],
  );
}

async function createTasksForNewAlerts(sql: Sql, policy: Policy, asOf: string): Promise<number> {
  const templates = RULE_IDS.filter((id) => policy.rules[id].enabled).flatMap((id) =>
    policy.rules[id].tasks.map((task) => ({ rule: id, severity: policy.rules[id].severity, ...task })),
  );
  const rows = await sql.query(
    `insert into tasks (alert_id, child_id, office_code, agency, kind, severity, due_at, state, created_at, updated_at)
     select a.id, a.child_id, cs.field_office_code, t.agency, t.kind, t.severity,
            $1::timestamptz + make_interval(days => t.due_days), 'open', $1::timestamptz, $1::timestamptz
     from alerts a
     join child_state cs on cs.child_id = a.child_id
     join unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])
          as t(rule, severity, kind, agency, due_days, condition) on t.rule = a.rule
     where a.opened_at = $1::timestamptz and a.closed_at is null
       and (t.condition is null
         or (t.condition = 'no_attorney' and not cs.has_attorney)
         or (t.condition = 'whereabouts_unknown' and cs.whereabouts = 'unknown')
         or (t.condition = 'concerns_raised' and cs.last_safety_call_outcome = 'concerns')
         or (t.condition = 'not_reached' and cs.last_safety_call_outcome = 'not_reached'))
     returning id`,
    [
      asOf,
      templates.map((t) => t.rule),
      templates.map((t) => t.severity),
      templates.map((t) => t.kind),
      templates.map((t) => t.office),
      templates.map((t) => t.due_days),
      templates.map((t) => t.when ?? null),
    ],
  );
  return rows.length;
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
 * Whereabouts depend on the time and the policy's windows, so the sweep re-evaluates them as of its own time
 * before any rule reads them (only rows whose value changes are written).
 */
async function refreshWhereabouts(sql: Sql, policy: Policy, asOf: string, scoped: boolean): Promise<void> {
  await sql.query(
    `with judged as (
       select child_id,
              case when runaway then 'unknown'
                   when last_verified_contact_at >= $1::timestamptz - make_interval(days => $2::int) then 'verified'
                   when last_verified_contact_at >= $1::timestamptz - make_interval(days => $3::int) then 'unverified'
                   else 'unknown' end as whereabouts
       from child_state
       ${scoped ? 'where child_id in (select child_id from sweep_scope)' : ''})
     update child_state cs set whereabouts = j.whereabouts
     from judged j where j.child_id = cs.child_id and cs.whereabouts <> j.whereabouts`,
    [asOf, policy.whereabouts.verified_within_days, policy.whereabouts.unknown_after_days],
  );
}

/**
 * A child who moves, or leaves a sponsor, changes the count at the place left behind: the children an open
 * shared-place alert of a child in scope names are swept with it, so their alerts close when the place empties.
 */
async function addFormerNeighbours(sql: Sql): Promise<void> {
  await sql.exec(
    `insert into sweep_scope
     select distinct member::bigint
     from alerts a
       cross join lateral jsonb_array_elements(a.detail) as place
       cross join lateral jsonb_array_elements_text(place->'children') as member
     where a.rule = 'shared_sponsor_or_address' and a.closed_at is null
       and a.child_id in (select child_id from sweep_scope)
     on conflict do nothing`,
  );
}

import type { Sql } from '../db';

/**
 * When identity resolution merges children, the work people did for a child that disappears is kept: its alerts
 * (open and closed: the history), its tasks, and its events that no source record carries (recorded outcomes,
 * triage decisions) move to its heir — the child that took most of its identities. A child has at most one open
 * alert per rule: where the heir already has one (or two merged children bring the same rule), the heir's own, or
 * else the oldest, stays open; the others close now, and their unfinished tasks move to the alert that stays. The
 * running open-alert counts follow. Risk flags are mended by the next sweep of the heir.
 * `merges` are (gone, heir) pairs; the caller then deletes the gone children.
 */
export async function handOverMergedChildren(
  sql: Sql,
  merges: { gone: number; heir: number }[],
): Promise<void> {
  if (merges.length === 0) return;
  const params = [merges.map((m) => m.gone), merges.map((m) => m.heir)];
  const merged = 'merged as (select * from unnest($1::bigint[], $2::bigint[]) as m(gone, heir))';
  await sql.query(
    `with ${merged},
     open as (
       select a.id, a.rule, coalesce(m.heir, a.child_id) as heir, m.gone is null as own, a.opened_at
       from alerts a left join merged m on m.gone = a.child_id
       where a.closed_at is null
         and (a.child_id in (select gone from merged) or a.child_id in (select heir from merged))),
     kept as (
       select id, rule, first_value(id) over (partition by heir, rule order by own desc, opened_at, id) as kept_id
       from open),
     closed as (
       update alerts a set closed_at = now() from kept k where a.id = k.id and k.id <> k.kept_id
       returning a.id, a.rule),
     moved_tasks as (
       update tasks t set alert_id = k.kept_id, updated_at = now()
       from kept k where t.alert_id = k.id and k.id <> k.kept_id and t.state <> 'done')
     update open_alert_counts o set open = o.open - c.n
     from (select rule, count(*)::int as n from closed group by rule) c where o.rule = c.rule`,
    params,
  );
  for (const table of ['alerts', 'tasks', 'events'])
    await sql.query(
      `with ${merged} update ${table} x set child_id = m.heir from merged m where x.child_id = m.gone`,
      params,
    );
}

import type { Database, Sql } from '../db';
import type { Policy } from './policy.schema';
import { childrenNamed, TIP_COLUMNS, TIP_TRIAGE_DETAIL, tipMatches } from './rules';

/*
 * Tip triage, kept rather than recomputed (docs/decisions/0013-tip-candidates.md). Tips carry no identifier and are
 * never linked to a child at ingest; the rule's answer — which children each tip may concern, and why — is the
 * table `tip_candidates`, judged from two sides:
 * - a tip, when it arrives (a trigger queues every stored tips-feed record in `tips_pending`) or when a child is
 *   decided to be the one it concerns: against every child of the first name it mentions;
 * - a child, whenever a sweep is about the child (an incremental sweep's children are those whose data changed):
 *   against every tip still to triage that mentions the child's first name.
 * A full sweep judges every tip. Only the differences are written, and only the children whose candidacies
 * changed (and the sweep's own) are compared with their open alerts.
 */

const TIP_RECORD = `s.source = 'tips' and s.kind = 'tips'`;

/**
 * The queue of tips to judge: a statement-level trigger on source_records adds the key of every tip stored, by
 * whatever writes it (ingest, a tip taken on the intake page, a test); the tips stored before the trigger existed
 * are queued once here.
 */
const QUEUE = `
create or replace function tips_arrived() returns trigger language plpgsql as $fn$
begin
  -- (a record id is seen again only where the records were emptied and their numbering restarted: tests, benchmarks)
  insert into tips_pending (record_id, tip) select s.id, s.source_key from arrived s where ${TIP_RECORD}
  on conflict (record_id) do update set tip = excluded.tip;
  return null;
end $fn$;
do $do$ begin
  if not exists (select 1 from pg_trigger where tgname = 'tips_arrived' and tgrelid = 'source_records'::regclass) then
    create trigger tips_arrived after insert on source_records referencing new table as arrived
      for each statement execute function tips_arrived();
  end if;
end $do$;
insert into tips_pending (record_id, tip)
select s.id, s.source_key from source_records s
where ${TIP_RECORD} and not exists (select 1 from tips t where t.tip = s.source_key)
on conflict do nothing;`;

/** Installs the tips queue (idempotent; run at every start by `prepareDatabase`, as the schema owner). */
export async function installTipQueue(db: Database): Promise<void> {
  await db.exec(QUEUE);
}

/**
 * Brings `tip_candidates` up to date for the sweep (all tips, or the queued and newly decided tips and the sweep's
 * children), then compares who holds with the open tip-triage alerts: of everyone (full) or of the children whose
 * candidacies changed and the sweep's own (incremental). Candidates are kept even while the rule is switched off:
 * the intake page reads them.
 */
export async function judgeTips(sql: Sql, policy: Policy, scoped: boolean): Promise<void> {
  const id = 'tip_triage';
  await sql.exec(`create temp table if not exists tip_judge (tip text primary key) on commit delete rows;
                  create temp table if not exists tip_found (tip text not null, child_id bigint not null,
                    evidence text[] not null, primary key (tip, child_id)) on commit delete rows;
                  create temp table if not exists tip_affected (child_id bigint primary key) on commit delete rows;
                  delete from tip_judge; delete from tip_found; delete from tip_affected;`);
  // The tips to judge against every child of their name: those queued since the last sweep (taken off the queue:
  // what a transaction commits after this stays for the next sweep), and all of them (full) or those a sweep's
  // child was just decided to be the one of (their other candidates lose them).
  const more = scoped
    ? `select e.data->>'tip' from sweep_scope s join events e on e.child_id = s.child_id and e.type = 'tip_triaged'
       where e.data->>'decision' = 'concerns_child'
         and exists (select 1 from tips t where t.tip = e.data->>'tip' and not t.decided)`
    : `select s.source_key from source_records s where ${TIP_RECORD} union select tip from tips`;
  const [judge] = await sql.query<{ tips: number }>(
    `with taken as (delete from tips_pending returning tip),
     judged as (insert into tip_judge select tip from taken union ${more} returning tip)
     select count(*)::int as tips from judged`,
  );
  // Many tips judged (a full sweep, the first after an upgrade): the tables' statistics are renewed below.
  const many = Number(judge?.tips ?? 0) >= 500;
  await sql.exec('analyze tip_judge');
  // Each such tip as its latest record says (a tip no longer stored is forgotten).
  await sql.exec(
    `with latest as (
       select ${TIP_COLUMNS}
       from (select distinct on (s.source_key) s.* from tip_judge j
               join source_records s on ${TIP_RECORD} and s.source_key = j.tip
             order by s.source_key, s.version desc) s
     ), forgotten as (
       delete from tips t using tip_judge j where t.tip = j.tip and not exists (select 1 from latest l where l.tip = t.tip)
     )
     insert into tips (tip, received_on, name, age, town, phone, decided)
     select tip, received_on, name, age, town, phone, decided from latest
     on conflict (tip) do update set received_on = excluded.received_on, name = excluded.name, age = excluded.age,
       town = excluded.town, phone = excluded.phone, decided = excluded.decided
     where (tips.received_on, tips.name, tips.age, tips.town, tips.phone, tips.decided)
       is distinct from (excluded.received_on, excluded.name, excluded.age, excluded.town, excluded.phone, excluded.decided)`,
  );
  // The candidates, judged from both sides: the tips above against the children of their name, and (incremental)
  // the sweep's children against the tips of theirs.
  const judging = `select t.* from tip_judge j join tips t on t.tip = j.tip where not t.decided`;
  const named = childrenNamed(`select name from (${judging}) t`);
  // A few tips can name most children (a day's 213 tips named 122,000 of 150,000): their releases' phones are then
  // read for all children at once, not child by child (1.9–2.2 s instead of 5.2–8.4 s there).
  const most = many || (await isAQuarterOfChildren(sql, named));
  await sql.exec(
    `insert into tip_found (tip, child_id, evidence) ${tipMatches(named, judging, most)} on conflict do nothing`,
  );
  if (scoped)
    await sql.exec(
      `insert into tip_found (tip, child_id, evidence)
       ${tipMatches('select child_id from sweep_scope', 'select * from tips where not decided')}
       on conflict do nothing`,
    );
  // Only the differences are written; the children they concern are the ones whose alert may change.
  await sql.exec(
    `with gone as (
       delete from tip_candidates c
       where (c.tip in (select tip from tip_judge) ${scoped ? 'or c.child_id in (select child_id from sweep_scope)' : ''})
         and not exists (select 1 from tip_found f where f.tip = c.tip and f.child_id = c.child_id)
       returning c.child_id)
     insert into tip_affected select child_id from gone on conflict do nothing;
     with came as (
       insert into tip_candidates (tip, child_id, evidence) select tip, child_id, evidence from tip_found
       on conflict (tip, child_id) do update set evidence = excluded.evidence
       where tip_candidates.evidence <> excluded.evidence
       returning child_id)
     insert into tip_affected select child_id from came on conflict do nothing;
     ${scoped ? 'insert into tip_affected select child_id from sweep_scope on conflict do nothing;' : ''}
     ${many ? 'analyze tips; analyze tip_candidates;' : ''}`,
  );

  const openAlerts = `select id, child_id from alerts where rule = '${id}' and closed_at is null`;
  if (!policy.rules[id].enabled) {
    // A rule switched off holds for no one: its open alerts close.
    await sql.exec(
      `insert into alert_changes (rule, child_id, alert_id) select '${id}', child_id, id from (${openAlerts}) a`,
    );
    return;
  }
  // A child holds while a tip may concern the child: an alert opens or closes where that and the alerts disagree.
  await sql.exec(
    scoped
      ? `insert into alert_changes (rule, child_id, alert_id)
         select '${id}', f.child_id, a.id
         from tip_affected f
           left join lateral (select id from alerts where rule = '${id}' and child_id = f.child_id
                                and closed_at is null offset 0) a on true
         where exists (select 1 from tip_candidates c where c.child_id = f.child_id) = (a.id is null)`
      : `insert into alert_changes (rule, child_id, alert_id)
         select '${id}', coalesce(h.child_id, a.child_id), a.id
         from (select distinct child_id from tip_candidates) h full join (${openAlerts}) a on a.child_id = h.child_id
         where h.child_id is null or a.id is null`,
  );
  await sql.exec(
    `update alert_changes c set detail = ${TIP_TRIAGE_DETAIL} where c.rule = '${id}' and c.alert_id is null`,
  );
}

/**
 * Whether `children` (a relation of `child_id`) is a quarter of the store or more, by the planner's estimate of the
 * store's size: the count stops at the quarter.
 */
async function isAQuarterOfChildren(sql: Sql, children: string): Promise<boolean> {
  const [store] = await sql.query<{ children: number }>(
    "select reltuples::float8 as children from pg_class where oid = 'children'::regclass",
  );
  const quarter = Math.ceil(Math.max(store?.children ?? 0, 0) / 4);
  const [found] = await sql.query<{ named: number }>(
    `select count(*)::int as named from (select 1 from (${children}) n limit $1) q`,
    [quarter],
  );
  return (found?.named ?? 0) >= quarter;
}

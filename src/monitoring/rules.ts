import { DEFECTIVE_VERDICTS_SQL } from '../addresses';
import { OPEN_CASE_SQL } from '../cases/open-case';
import { firstNameSql } from '../shared/text';
import type { Policy, RuleId } from './policy.schema';

/**
 * How each rule reads the caseload, as SQL. Eight rules read nothing but one child's row (`child_state cs`, which
 * carries the birth date too): each is a condition and a detail over that row, so one pass over the children
 * judges all eight at once. The shared-place rule counts children per sponsor and per door; tip triage matches
 * tips, which arrive without a child, against the children of the name they mention (src/monitoring/tip-triage.ts
 * keeps the answer). Thresholds come from the policy as bound parameters
 * (`param(value)` names the next `$n`), never spliced into the text; `$1` is the sweep's time (timestamptz).
 */

type Rules = Policy['rules'];
type Param = (value: unknown) => string;

export const OPEN_CASE = OPEN_CASE_SQL;
const days = (n: number) => `${n} days`;

export interface ChildRule<Id extends RuleId> {
  /** True when the rule holds for the child of `cs` as of `$1`. */
  holds: (rule: Rules[Id], param: Param) => string;
  /** What the alert records, evaluated only for the children it opens for. */
  detail: string;
}

export type ChildRuleId = Exclude<RuleId, 'shared_sponsor_or_address' | 'tip_triage'>;

export const CHILD_RULES: { [Id in ChildRuleId]: ChildRule<Id> } = {
  no_nta: {
    holds: (rule, param) => `${OPEN_CASE} and cs.nta_issued_at is null
      and coalesce(cs.released_at, cs.transferred_at) < $1::timestamptz - ${param(days(rule.after_days))}::interval`,
    detail: `jsonb_build_object('since', coalesce(cs.released_at, cs.transferred_at))`,
  },
  nta_not_filed: {
    holds: (rule, param) => `${OPEN_CASE} and cs.nta_issued_at is not null and cs.nta_filed_at is null
      and coalesce(cs.nta_served_at, cs.nta_issued_at) < $1::timestamptz - ${param(days(rule.after_days))}::interval`,
    detail: `jsonb_build_object('nta_issued_at', cs.nta_issued_at, 'nta_served_at', cs.nta_served_at)`,
  },
  hearing_address_risk: {
    holds: (rule, param) => `${OPEN_CASE}
      and cs.next_hearing_at >= $1::timestamptz and cs.next_hearing_at < $1::timestamptz + ${param(days(rule.within_days))}::interval
      and (cs.address_verdict is null or cs.address_verdict in ${DEFECTIVE_VERDICTS_SQL} or cs.whereabouts <> 'verified')`,
    detail: `jsonb_build_object('hearing_at', cs.next_hearing_at, 'address_verdict', cs.address_verdict,
                                'whereabouts', cs.whereabouts)`,
  },
  failed_to_appear: {
    // An in absentia order does not end the search for the child who missed court.
    holds: () => `cs.status not in ('relief_granted', 'case_closed', 'removed') and not cs.aged_out
      and cs.last_failed_to_appear_at is not null
      and cs.last_failed_to_appear_at > coalesce(cs.last_hearing_attended_at, '-infinity'::timestamptz)`,
    detail: `jsonb_build_object('missed_at', cs.last_failed_to_appear_at, 'times', cs.failed_to_appear_count,
                                'has_attorney', cs.has_attorney)`,
  },
  runaway: {
    holds: () => `${OPEN_CASE} and cs.runaway`,
    detail: `jsonb_build_object('reported_at', cs.runaway_reported_at)`,
  },
  safety_call_followup: {
    // A call that raised concerns is itself a contact: only a later one answers it.
    holds: () => `${OPEN_CASE} and cs.last_safety_call_outcome in ('not_reached', 'concerns')
      and cs.last_safety_call_at >= coalesce(cs.last_verified_contact_at, '-infinity'::timestamptz)`,
    detail: `jsonb_build_object('call_at', cs.last_safety_call_at, 'outcome', cs.last_safety_call_outcome)`,
  },
  no_recent_contact: {
    holds: () => `${OPEN_CASE} and cs.released_at is not null and cs.whereabouts = 'unknown'`,
    detail: `jsonb_build_object('last_verified_contact_at', cs.last_verified_contact_at)`,
  },
  age_out: {
    holds: (rule, param) => `${OPEN_CASE} and cs.dob is not null
      and cs.dob + interval '18 years' >= $1::timestamptz
      and cs.dob + interval '18 years' < $1::timestamptz + ${param(days(rule.within_days))}::interval`,
    detail: `jsonb_build_object('turns_18_on', (cs.dob + interval '18 years')::date)`,
  },
};

export const CHILD_RULE_IDS = Object.keys(CHILD_RULES) as ChildRuleId[];

/**
 * The shared-place rule: a place — one sponsor, or one door (the delivery point: street address with its unit,
 * however it was written) — where at least `min_children` children live; every child there whose case is open
 * holds. `places` is the set the question is asked of: every place, or (incremental) those of the children in
 * the temporary table `place_seeds`. Counting needs no arrays: only a crowded place's members are listed, and
 * only when an alert opens (`SHARED_PLACE_DETAIL`).
 */
export function sharedPlaceHolders(scoped: boolean): string {
  if (!scoped)
    return `with crowded_sponsors as (
        select sponsor_id from child_state where sponsor_id is not null group by sponsor_id having count(*) >= $1::int
      ), crowded_doors as (
        select a.delivery_point from addresses a join child_state cs on cs.address_id = a.id
        where a.delivery_point is not null group by a.delivery_point having count(*) >= $1::int
      )
      select cs.child_id from child_state cs where ${OPEN_CASE} and cs.sponsor_id in (select sponsor_id from crowded_sponsors)
      union
      select cs.child_id from crowded_doors d join addresses a on a.delivery_point = d.delivery_point
        join child_state cs on cs.address_id = a.id
      where ${OPEN_CASE}`;
  // A few children and places out of many: each child, and each place, is read by key (`offset 0` keeps the
  // lookups per row instead of a merge or hash over every child: at 600,000 children a merge join walked half
  // the primary key to find 16,000 seeds).
  return `with seed_places as materialized (
      select cs.sponsor_id, a.delivery_point
      from place_seeds s
        cross join lateral (select sponsor_id, address_id from child_state where child_id = s.child_id offset 0) cs
        left join addresses a on a.id = cs.address_id
    ), crowded_sponsors as materialized (
      select p.sponsor_id from (select distinct sponsor_id from seed_places where sponsor_id is not null) p
      where (select count(*) from child_state o where o.sponsor_id = p.sponsor_id) >= $1::int
    ), crowded_doors as materialized (
      select p.delivery_point from (select distinct delivery_point from seed_places where delivery_point is not null) p
      where (select count(*) from addresses d join child_state o on o.address_id = d.id
             where d.delivery_point = p.delivery_point) >= $1::int
    )
    select cs.child_id from crowded_sponsors p
      cross join lateral (select * from child_state o where o.sponsor_id = p.sponsor_id offset 0) cs
    where ${OPEN_CASE}
    union
    select cs.child_id from crowded_doors p
      cross join lateral (select o.* from addresses d join child_state o on o.address_id = d.id
                          where d.delivery_point = p.delivery_point offset 0) cs
    where ${OPEN_CASE}`;
}

/**
 * The detail of a shared-place alert about to open for `c.child_id`: each crowded place of the child with the
 * children there (ids, never the address text: the detail travels to roles that may not see addresses).
 */
export const SHARED_PLACE_DETAIL = `(
    select jsonb_agg(jsonb_build_object('kind', p.kind, 'children', to_jsonb(p.child_ids)) order by p.kind)
    from (
      select 'sponsor' as kind, array_agg(other.child_id order by other.child_id) as child_ids
      from child_state me join child_state other on other.sponsor_id = me.sponsor_id
      where me.child_id = c.child_id
      having count(*) >= $1::int
      union all
      select 'address', array_agg(other.child_id order by other.child_id)
      from child_state me join addresses home on home.id = me.address_id
        -- the child's own door first, then who lives there, by key (\`offset 0\`): with few addresses on record
        -- the planner walked every child once per alert instead
        cross join lateral (select o.child_id from addresses door join child_state o on o.address_id = door.id
                            where door.delivery_point = home.delivery_point offset 0) other
      where me.child_id = c.child_id
      having count(*) >= $1::int
    ) p)`;

/**
 * A tips-feed record as the tip-triage rule reads it (`s`, the tip's latest version): the first given name it
 * mentions (accents and case aside; null when it names no one), the caller's age estimate, the town and the
 * phone's digits, and whether a `tip_triaged` event decided that it concerns a child (then it matches no one).
 */
export const TIP_COLUMNS = `s.source_key as tip, (s.payload->>'received_date')::date as received_on,
    case when coalesce(s.payload->>'name_mentioned', '') <> '' then ${firstNameSql("s.payload->>'name_mentioned'")} end as name,
    (s.payload->>'approximate_age')::int as age,
    nullif(upper(btrim(s.payload->>'street_or_town')), '') as town,
    nullif(regexp_replace(coalesce(s.payload->>'phone', ''), '[^0-9]', '', 'g'), '') as phone,
    exists (select 1 from events e where e.type = 'tip_triaged' and e.data->>'tip' = s.source_key
              and e.data->>'decision' = 'concerns_child') as decided`;

/**
 * Tip triage: which children of `childIds` (a relation of `child_id`) a tip of `tips` (rows of `tips`) may
 * concern. The tip mentions the child's first given name, the child's age fits the caller's estimate (±2 years on
 * the day of the tip), the tip names the child's town (current or release address) or the start of the sponsor's
 * phone at release, and no one decided the tip does not concern this child. Each child's towns and phones are read
 * once (not once per tip of the name), and a tip meets only the children of its name whose town starts with the
 * tip's town's first word or whose phone starts with the tip's first six digits: compared with every child of its
 * name, 4,200 tips made some 30 million pairs at 600,000 children (34 s). Each candidate comes with its evidence
 * (`name`, `age`, `town`, `phone`). `most`: `childIds` is a large share of the children (a full sweep's tips name
 * nearly every child, and a day's tips with common names most of them): their phones are read in one pass over the
 * releases instead of child by child (at 150,000 children 156,049 index scans of the events took 5.4 s).
 */
export function tipMatches(childIds: string, tips: string, most = false): string {
  const digits = (phone: string) => `regexp_replace(coalesce(${phone}, ''), '[^0-9]', '', 'g')`;
  const phones = most
    ? `(select child_id, array_agg(${digits("data->>'phone'")}) as phones
        from events where type = 'released_to_sponsor' group by child_id) p on p.child_id = ch.id`
    : // the child's releases read through the child's own events (ordered, so by events_child)
      `lateral (select array(select ${digits('r.phone')}
                              from (select e.data->>'phone' as phone from events e
                                    where e.child_id = ch.id and e.type = 'released_to_sponsor'
                                    order by e.occurred_at limit 100) r) as phones) p on true`;
  return `with kids as materialized (
    select ch.id as child_id, ch.dob, ${firstNameSql('ch.given_names')} as name,
           array_remove(array[a.last_line, r.last_line], null) as lines, coalesce(p.phones, '{}') as phones
    from (${childIds}) x join children ch on ch.id = x.child_id join child_state cs on cs.child_id = ch.id
      left join addresses a on a.id = cs.address_id left join addresses r on r.id = cs.release_address_id
      left join ${phones}
  ), tip as materialized (${tips}),
  -- What a match implies: a town the line starts with shares the line's first word, a phone its first six digits.
  kid_keys as (
    select k.child_id, k.name, 'town ' || split_part(l, ' ', 1) as key from kids k cross join unnest(k.lines) l
    union all select k.child_id, k.name, 'phone ' || left(p, 6) from kids k cross join unnest(k.phones) p
  ), tip_keys as (
    select t.tip, t.name, 'town ' || split_part(t.town, ' ', 1) as key from tip t where t.town is not null
    union all select t.tip, t.name, 'phone ' || left(t.phone, 6) from tip t where length(t.phone) >= 6
  ), met as ( -- a pair that shares a town and a phone meets twice
    select distinct tk.tip, kk.child_id from tip_keys tk join kid_keys kk on kk.name = tk.name and kk.key = tk.key
  ), judged as (
    select t.tip, k.child_id,
           t.town is not null and exists (select 1 from unnest(k.lines) l where l like t.town || ' %') as town_matches,
           t.phone is not null and length(t.phone) >= 6
             and exists (select 1 from unnest(k.phones) p where p like t.phone || '%') as phone_matches
    from met m join kids k on k.child_id = m.child_id join tip t on t.tip = m.tip
    where (t.age is null or k.dob is null or abs(extract(year from age(t.received_on, k.dob)) - t.age) <= 2)
      and not exists (select 1 from events e where e.child_id = k.child_id and e.type = 'tip_triaged'
                        and e.data->>'tip' = t.tip)
  )
  select tip, child_id, array_remove(array['name', 'age', case when town_matches then 'town' end,
                                           case when phone_matches then 'phone' end], null) as evidence
  from judged where town_matches or phone_matches`;
}

/** The children whose folded first given name is one of `names` (a relation of `name`): by `children_first_name`. */
export function childrenNamed(names: string): string {
  return `select ch.id as child_id from children ch where ${firstNameSql('ch.given_names')} in (${names})`;
}

/**
 * The detail of a tip-triage alert about to open for `c.child_id`: each tip that may concern the child, with the
 * evidence and every candidate of that tip (from `tip_candidates`).
 */
export const TIP_TRIAGE_DETAIL = `(
    select jsonb_build_object('tips', jsonb_agg(jsonb_build_object(
             'tip', k.tip, 'received_on', t.received_on, 'evidence', to_jsonb(k.evidence),
             'candidates', (select to_jsonb(array_agg(o.child_id order by o.child_id))
                            from tip_candidates o where o.tip = k.tip)) order by k.tip))
    from tip_candidates k join tips t on t.tip = k.tip
    where k.child_id = c.child_id)`;

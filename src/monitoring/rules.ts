import { DEFECTIVE_VERDICTS_SQL } from '../addresses';
import type { Policy, RuleId } from './policy.schema';

/**
 * Each rule is one SQL query yielding `(child_id, detail)` for every child the rule holds for, as of `$1`
 * (timestamptz). Thresholds come from the policy as bound parameters starting at `$2`, never spliced into the
 * text. An incremental sweep asks the same question of the children in the temporary table `sweep_scope` only:
 * the scoped text joins from that small table, so the work follows the batch's size, not the caseload's.
 */
export interface RuleQuery {
  text: string;
  params: unknown[];
}

const OPEN_CASE = `cs.status not in ('relief_granted', 'removal_order', 'in_absentia_order', 'case_closed', 'removed', 'aged_out')`;
const inScope = (scoped: boolean) => (scoped ? 'cs.child_id in (select child_id from sweep_scope)' : 'true');

type Rules = Policy['rules'];
const days = (n: number) => `${n} days`;

export const RULE_QUERIES: { [Id in RuleId]: (rule: Rules[Id], scoped: boolean) => RuleQuery } = {
  no_nta: (rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('since', coalesce(cs.released_at, cs.transferred_at)) as detail
           from child_state cs
           where ${inScope(scoped)} and ${OPEN_CASE} and cs.nta_issued_at is null
             and coalesce(cs.released_at, cs.transferred_at) < $1::timestamptz - $2::interval`,
    params: [days(rule.after_days)],
  }),
  nta_not_filed: (rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('nta_issued_at', cs.nta_issued_at, 'nta_served_at', cs.nta_served_at) as detail
           from child_state cs
           where ${inScope(scoped)} and ${OPEN_CASE} and cs.nta_issued_at is not null and cs.nta_filed_at is null
             and coalesce(cs.nta_served_at, cs.nta_issued_at) < $1::timestamptz - $2::interval`,
    params: [days(rule.after_days)],
  }),
  hearing_address_risk: (rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('hearing_at', cs.next_hearing_at, 'address_verdict', cs.address_verdict,
                  'whereabouts', cs.whereabouts) as detail
           from child_state cs
           where ${inScope(scoped)} and ${OPEN_CASE}
             and cs.next_hearing_at >= $1::timestamptz and cs.next_hearing_at < $1::timestamptz + $2::interval
             and (cs.address_verdict is null or cs.address_verdict in ${DEFECTIVE_VERDICTS_SQL} or cs.whereabouts <> 'verified')`,
    params: [days(rule.within_days)],
  }),
  failed_to_appear: (_rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('missed_at', cs.last_failed_to_appear_at,
                  'times', cs.failed_to_appear_count, 'has_attorney', cs.has_attorney) as detail
           from child_state cs
           where ${inScope(scoped)} and cs.status not in ('relief_granted', 'case_closed', 'removed', 'aged_out')
             and cs.last_failed_to_appear_at is not null
             and cs.last_failed_to_appear_at > coalesce(cs.last_hearing_attended_at, '-infinity'::timestamptz)`,
    params: [],
  }),
  runaway: (_rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('reported_at', cs.runaway_reported_at) as detail
           from child_state cs
           where ${inScope(scoped)} and ${OPEN_CASE} and cs.runaway`,
    params: [],
  }),
  safety_call_followup: (_rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('call_at', cs.last_safety_call_at, 'outcome', cs.last_safety_call_outcome) as detail
           from child_state cs
           where ${inScope(scoped)} and ${OPEN_CASE} and cs.last_safety_call_outcome in ('not_reached', 'concerns')
             -- A call that raised concerns is itself a contact: only a later one answers it.
             and cs.last_safety_call_at >= coalesce(cs.last_verified_contact_at, '-infinity'::timestamptz)`,
    params: [],
  }),
  no_recent_contact: (_rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('last_verified_contact_at', cs.last_verified_contact_at) as detail
           from child_state cs
           where ${inScope(scoped)} and ${OPEN_CASE} and cs.released_at is not null and cs.whereabouts = 'unknown'`,
    params: [],
  }),
  shared_sponsor_or_address: (rule, scoped) => ({
    // A place — one sponsor, or one door (the delivery point: street address with its unit, however it was
    // written) — with many children; the detail names the others for the reviewer. An incremental sweep
    // counts only the places of the children in scope.
    text: `with located as (
             select cs.child_id, cs.sponsor_id, a.delivery_point
             from child_state cs left join addresses a on a.id = cs.address_id
           ), ${
             scoped
               ? `scoped_places as (
             select 'sponsor' as kind, l.sponsor_id::text as place from sweep_scope s join located l using (child_id) where l.sponsor_id is not null
             union select 'address', l.delivery_point from sweep_scope s join located l using (child_id) where l.delivery_point is not null
           ), places as (
             select 'sponsor' as kind, sponsor_id::text as place, child_id from located
             where sponsor_id::text in (select place from scoped_places where kind = 'sponsor')
             union all
             select 'address', delivery_point, child_id from located
             where delivery_point in (select place from scoped_places where kind = 'address')
           ),`
               : `places as (
             select 'sponsor' as kind, sponsor_id::text as place, child_id from located where sponsor_id is not null
             union all
             select 'address', delivery_point, child_id from located where delivery_point is not null
           ),`
           } crowded as (
             select kind, place, array_agg(child_id order by child_id) as child_ids
             from places
             group by kind, place having count(distinct child_id) >= $2::int
           )
           select cs.child_id,
                  -- The children, not the address text: the detail travels to roles that may not see addresses.
                  jsonb_agg(jsonb_build_object('kind', c.kind, 'children', to_jsonb(c.child_ids))
                            order by c.kind) as detail
           from crowded c cross join unnest(c.child_ids) as member(child_id)
           join child_state cs on cs.child_id = member.child_id
           where ${inScope(scoped)} and ${OPEN_CASE}
           group by cs.child_id`,
    params: [rule.min_children],
  }),
  age_out: (rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('turns_18_on', (ch.dob + interval '18 years')::date) as detail
           from child_state cs join children ch on ch.id = cs.child_id
           where ${inScope(scoped)} and ${OPEN_CASE} and ch.dob is not null
             and ch.dob + interval '18 years' >= $1::timestamptz
             and ch.dob + interval '18 years' < $1::timestamptz + $2::interval`,
    params: [days(rule.within_days)],
  }),
  tip_triage: () => ({
    // Tips carry no identifier, so they are never linked to a child at ingest: each tip not yet triaged is
    // matched here against the children whose first given name it mentions (accents and case aside), whose
    // age fits, and whose town or sponsor's phone it names. Every candidate gets the alert; the detail names
    // the tip, the evidence and the other candidates, so the triage task can decide among them.
    text: `with tips as (
             select s.source_key as tip, (s.payload->>'received_date')::date as received_on,
                    ${FOLD("split_part(btrim(s.payload->>'name_mentioned'), ' ', 1)")} as name,
                    (s.payload->>'approximate_age')::int as age,
                    nullif(upper(btrim(s.payload->>'street_or_town')), '') as town,
                    nullif(regexp_replace(coalesce(s.payload->>'phone', ''), '[^0-9]', '', 'g'), '') as phone
             from source_records s
             -- (source, kind) leads the source-records key index: no scan of every record per sweep
             where s.source = 'tips' and s.kind = 'tips' and coalesce(s.payload->>'name_mentioned', '') <> ''
               and not exists (select 1 from source_records later where later.source = s.source and later.kind = s.kind
                                 and later.source_key = s.source_key and later.version > s.version)
               and not exists (select 1 from events e where e.type = 'tip_triaged' and e.data->>'tip' = s.source_key
                                 and e.data->>'decision' = 'concerns_child')
           ), named as (
             select t.*, ch.id as child_id, ch.dob, cs.address_id, cs.release_address_id
             from tips t
             join children ch on ${FOLD("split_part(btrim(ch.given_names), ' ', 1)")} = t.name
             join child_state cs on cs.child_id = ch.id
           ), judged as (
             select n.tip, n.received_on, n.child_id,
                    n.town is not null and exists (select 1 from addresses a where a.id in (n.address_id, n.release_address_id)
                                                     and a.last_line like n.town || ' %') as town_matches,
                    n.phone is not null and length(n.phone) >= 6 and exists (
                      select 1 from events e where e.child_id = n.child_id and e.type = 'released_to_sponsor'
                        and regexp_replace(coalesce(e.data->>'phone', ''), '[^0-9]', '', 'g') like n.phone || '%') as phone_matches,
                    n.age is null or n.dob is null
                      or abs(extract(year from age(n.received_on, n.dob)) - n.age) <= 2 as age_fits
             from named n
             where not exists (select 1 from events e where e.child_id = n.child_id and e.type = 'tip_triaged'
                                 and e.data->>'tip' = n.tip)
           ), candidates as (
             select j.*, array_agg(j.child_id) over (partition by j.tip) as all_candidates
             from judged j where j.age_fits and (j.town_matches or j.phone_matches)
           )
           select c.child_id,
                  jsonb_build_object('tips', jsonb_agg(jsonb_build_object(
                    'tip', c.tip, 'received_on', c.received_on,
                    'evidence', to_jsonb(array_remove(array['name', 'age',
                                  case when c.town_matches then 'town' end, case when c.phone_matches then 'phone' end], null)),
                    'candidates', to_jsonb(c.all_candidates)) order by c.tip)) as detail
           from candidates c
           group by c.child_id`,
    params: [],
  }),
};

/** Rules judged over every child even in an incremental sweep: what they read arrives without a child (tips). */
export const UNSCOPED_RULES: ReadonlySet<RuleId> = new Set(['tip_triage']);

/** Upper case without accents, for comparing a name as a caller said it with the name on record. */
function FOLD(expression: string): string {
  return `upper(translate(${expression}, 'áéíóúüñàèìòùçâêîôûãõÁÉÍÓÚÜÑÀÈÌÒÙÇÂÊÎÔÛÃÕ', 'aeiouunaeioucaeiouaoAEIOUUNAEIOUCAEIOUAO'))`;
}

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
             and cs.last_safety_call_at > coalesce(cs.last_verified_contact_at, '-infinity'::timestamptz)`,
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
  tip_triage: (_rule, scoped) => ({
    text: `select cs.child_id, jsonb_build_object('tips', cs.untriaged_tips) as detail
           from child_state cs
           where ${inScope(scoped)} and cs.untriaged_tips > 0`,
    params: [],
  }),
};

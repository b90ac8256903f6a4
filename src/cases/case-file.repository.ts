import type { Sql } from '../db';
import { CASE_ENDING_OUTCOMES_SQL } from './open-case';

export interface CaseFile {
  child: {
    id: number;
    givenNames: string | null;
    surnames: string | null;
    dob: string | null;
    sex: string | null;
    country: string | null;
    aNumber: string | null;
    orrId: string | null;
  };
  state: Record<string, unknown> | null;
  fieldOfficeCode: string | null;
  protected1367: boolean;
  /** Where the child lives now and the address on the release form, each with its verdict and reasons. */
  addresses: {
    role: 'current' | 'release';
    written: string;
    deliveryLine: string | null;
    lastLine: string | null;
    verdict: string;
    reasons: { code: string; detail?: string }[];
  }[];
  /** The person the child was released to, when known. */
  sponsor: {
    name: string;
    relationship: string | null;
    category: number | null;
    phone: string | null;
  } | null;
  /** Every source record linked to this child, and why: the method, its weight and evidence, who decided. */
  records: {
    source: string;
    kind: string;
    sourceKey: string;
    version: number;
    receivedAt: string;
    method: string;
    matchWeight: number | null;
    evidence: Record<string, unknown>;
    decidedBy: string;
  }[];
  /** Policy rules that hold for the child now (open alerts) and the open work they made (read-only here). */
  alerts: { id: number; rule: string; severity: string; openedAt: string; detail: Record<string, unknown> }[];
  tasks: {
    id: number;
    kind: string;
    agency: string;
    severity: string;
    state: string;
    dueAt: string;
    officeCode: string | null;
    assignee: string | null;
  }[];
  timeline: {
    type: string;
    occurredAt: string;
    source: string | null;
    sourceKey: string | null;
    data: Record<string, unknown>;
  }[];
}

/** Everything known about one child: identity, current state, the linked records and the events from them. */
export async function readCaseFile(sql: Sql, childId: number): Promise<CaseFile | undefined> {
  const [child] = await sql.query<CaseFile['child']>(
    `select id, given_names as "givenNames", surnames, to_char(dob, 'YYYY-MM-DD') as dob, sex, country,
            a_number as "aNumber", orr_id as "orrId"
     from children where id = $1`,
    [childId],
  );
  if (!child) return undefined;
  const [state] = await sql.query<Record<string, unknown>>(
    `select case when aged_out and status not in ${CASE_ENDING_OUTCOMES_SQL} then 'aged_out' else status end as status,
            whereabouts, runaway, transferred_at as "transferredAt", released_at as "releasedAt",
            nta_issued_at as "ntaIssuedAt", nta_served_at as "ntaServedAt", nta_filed_at as "ntaFiledAt",
            next_hearing_at as "nextHearingAt", failed_to_appear_count as "failedToAppearCount",
            has_attorney as "hasAttorney", last_verified_contact_at as "lastVerifiedContactAt",
            last_safety_call_outcome as "lastSafetyCallOutcome", field_office_code as "fieldOfficeCode",
            protected_1367 as "protected1367"
     from child_state where child_id = $1`,
    [childId],
  );
  const addresses = await sql.query<CaseFile['addresses'][number]>(
    `select role, a.raw_text as written, a.delivery_line as "deliveryLine", a.last_line as "lastLine", a.verdict, a.reasons
     from child_state cs
       cross join lateral (values ('current', cs.address_id), ('release', cs.release_address_id)) as r(role, address_id)
       join addresses a on a.id = r.address_id
     where cs.child_id = $1 order by role`,
    [childId],
  );
  // The sponsor row when there is one; otherwise the sponsor named on the latest release form.
  const [sponsorRow] = await sql.query<NonNullable<CaseFile['sponsor']> & { rank: number }>(
    `select 1 as rank, sp.name, sp.relationship, sp.category, sp.phone
     from child_state cs join sponsors sp on sp.id = cs.sponsor_id where cs.child_id = $1
     union all
     select * from (
       select 2, e.data->>'sponsor_name', e.data->>'relationship', (e.data->>'category')::smallint, e.data->>'phone'
       from events e
       where e.child_id = $1 and e.type = 'released_to_sponsor' and coalesce(e.data->>'sponsor_name', '') <> ''
       order by e.occurred_at desc, e.id desc limit 1) release_form
     order by rank limit 1`,
    [childId],
  );
  const sponsor = sponsorRow && {
    name: sponsorRow.name,
    relationship: sponsorRow.relationship,
    category: sponsorRow.category === null ? null : Number(sponsorRow.category),
    phone: sponsorRow.phone,
  };
  const records = await sql.query<CaseFile['records'][number]>(
    `select s.source, s.kind, s.source_key as "sourceKey", s.version, s.received_at as "receivedAt", l.method,
            l.match_weight as "matchWeight", l.evidence, l.decided_by as "decidedBy"
     from identity_links l join source_records s on s.id = l.source_record_id
     where l.child_id = $1 order by s.received_at, s.id`,
    [childId],
  );
  const alerts = await sql.query<CaseFile['alerts'][number]>(
    `select id, rule, severity, opened_at as "openedAt", detail
     from alerts where child_id = $1 and closed_at is null order by opened_at, id`,
    [childId],
  );
  const tasks = await sql.query<CaseFile['tasks'][number]>(
    `select t.id, t.kind, t.agency, t.severity, t.state, t.due_at as "dueAt", t.office_code as "officeCode",
            u.display_name as assignee
     from tasks t left join users u on u.id = t.assignee_id
     where t.child_id = $1 and t.state in ('open', 'in_progress') order by t.due_at, t.id`,
    [childId],
  );
  const timeline = await sql.query<CaseFile['timeline'][number]>(
    `select e.type, e.occurred_at as "occurredAt", s.source, s.source_key as "sourceKey", e.data
     from events e left join source_records s on s.id = e.source_record_id
     where e.child_id = $1 order by e.occurred_at, e.id`,
    [childId],
  );
  return {
    child,
    state: state ?? null,
    fieldOfficeCode: (state?.fieldOfficeCode as string | null) ?? null,
    protected1367: Boolean(state?.protected1367),
    addresses,
    sponsor: sponsor ?? null,
    records: records.map((record) => ({ ...record, receivedAt: isoTime(record.receivedAt) })),
    alerts: alerts.map((alert) => ({ ...alert, openedAt: isoTime(alert.openedAt) })),
    tasks: tasks.map((task) => ({ ...task, dueAt: isoTime(task.dueAt) })),
    timeline: timeline.map((event) => ({ ...event, occurredAt: isoTime(event.occurredAt) })),
  };
}

/** PGlite returns timestamps as Date objects, pg as Date or string: one ISO form for the API. */
const isoTime = (value: unknown) => new Date(value as string).toISOString();

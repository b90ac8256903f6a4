import type { Sql } from '../db';
import { batchPerTurn } from '../db/batch-per-turn';
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
  /**
   * Policy rules that hold for the child now (open alerts) and the open work they made (read-only here). An alert's
   * `detail` is the rule's evidence: an object, or for the shared-place rule a list of places.
   */
  alerts: { id: number; rule: string; severity: string; openedAt: string; detail: unknown }[];
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

/**
 * A timestamp as the API writes it, `2024-03-08T00:00:00.000Z` (what `Date.prototype.toISOString` gives: UTC,
 * milliseconds, the microseconds cut off), rendered by the database: the case file's JSON then needs no pass
 * through Date objects in the app.
 */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const CASE_FILES = `select w.wanted as id, cs.field_office_code as "fieldOfficeCode",
       coalesce(cs.protected_1367, false) as "protected1367", case when c.id is null then null else json_build_object(
       'child', json_build_object('id', c.id, 'givenNames', c.given_names, 'surnames', c.surnames,
         'dob', to_char(c.dob, 'YYYY-MM-DD'), 'sex', c.sex, 'country', c.country, 'aNumber', c.a_number, 'orrId', c.orr_id),
       'state', case when cs.child_id is null then null else json_build_object(
           'status', case when cs.aged_out and cs.status not in ${CASE_ENDING_OUTCOMES_SQL} then 'aged_out' else cs.status end,
           'whereabouts', cs.whereabouts, 'runaway', cs.runaway, 'transferredAt', ${iso('cs.transferred_at')},
           'releasedAt', ${iso('cs.released_at')}, 'ntaIssuedAt', ${iso('cs.nta_issued_at')}, 'ntaServedAt', ${iso('cs.nta_served_at')},
           'ntaFiledAt', ${iso('cs.nta_filed_at')}, 'nextHearingAt', ${iso('cs.next_hearing_at')},
           'failedToAppearCount', cs.failed_to_appear_count, 'hasAttorney', cs.has_attorney,
           'lastVerifiedContactAt', ${iso('cs.last_verified_contact_at')}, 'lastSafetyCallOutcome', cs.last_safety_call_outcome,
           'fieldOfficeCode', cs.field_office_code, 'protected1367', cs.protected_1367) end,
       'addresses', (
         select coalesce(json_agg(json_build_object('role', r.role, 'written', a.raw_text, 'deliveryLine', a.delivery_line,
                  'lastLine', a.last_line, 'verdict', a.verdict, 'reasons', a.reasons) order by r.role), '[]')
         from (values ('current', cs.address_id), ('release', cs.release_address_id)) as r(role, address_id)
           join addresses a on a.id = r.address_id),
       -- The sponsor row when there is one; otherwise the sponsor named on the latest release form.
       'sponsor', coalesce(
         (select json_build_object('name', sp.name, 'relationship', sp.relationship, 'category', sp.category, 'phone', sp.phone)
          from sponsors sp where sp.id = cs.sponsor_id),
         (select json_build_object('name', e.data->>'sponsor_name', 'relationship', e.data->>'relationship',
                   'category', (e.data->>'category')::smallint, 'phone', e.data->>'phone')
          from events e
          where e.child_id = c.id and e.type = 'released_to_sponsor' and coalesce(e.data->>'sponsor_name', '') <> ''
          order by e.occurred_at desc, e.id desc limit 1)),
       'records', (
         select coalesce(json_agg(json_build_object('source', s.source, 'kind', s.kind, 'sourceKey', s.source_key,
                  'version', s.version, 'receivedAt', ${iso('s.received_at')}, 'method', l.method, 'matchWeight', l.match_weight,
                  'evidence', l.evidence, 'decidedBy', l.decided_by) order by s.received_at, s.id), '[]')
         from identity_links l join source_records s on s.id = l.source_record_id
         where l.child_id = c.id),
       'alerts', (
         select coalesce(json_agg(json_build_object('id', id, 'rule', rule, 'severity', severity, 'openedAt', ${iso('opened_at')},
                  'detail', detail) order by opened_at, id), '[]')
         from alerts where child_id = c.id and closed_at is null),
       'tasks', (
         select coalesce(json_agg(json_build_object('id', t.id, 'kind', t.kind, 'agency', t.agency, 'severity', t.severity,
                  'state', t.state, 'dueAt', ${iso('t.due_at')}, 'officeCode', t.office_code,
                  'assignee', (select u.display_name from users u where u.id = t.assignee_id))
                  order by t.due_at, t.id), '[]')
         from tasks t
         where t.child_id = c.id and t.state in ('open', 'in_progress')),
       'timeline', (
         select coalesce(json_agg(json_build_object('type', e.type, 'occurredAt', ${iso('e.occurred_at')}, 'source', s.source,
                  'sourceKey', s.source_key, 'data', e.data) order by e.occurred_at, e.id), '[]')
         from events e left join source_records s on s.id = e.source_record_id
         where e.child_id = c.id)
     )::text end as json
     from unnest($1::bigint[]) w(wanted) left join children c on c.id = w.wanted
       left join child_state cs on cs.child_id = c.id`;

/**
 * A case file as the database wrote it (JSON text), with the two facts an access decision needs read out beside
 * it: the route sends the text on as it is when the person may see the whole file.
 */
export interface CaseFileText {
  json: string;
  fieldOfficeCode: string | null;
  protected1367: boolean;
}

/** Case files by child id, in one statement; a child that does not exist has no entry. */
async function readCaseFileTexts(sql: Sql, childIds: readonly number[]): Promise<Map<number, CaseFileText>> {
  const rows = await sql.query<CaseFileText & { id: number; json: string | null }>(CASE_FILES, [childIds], {
    prepare: 'case-files',
  });
  const files = new Map<number, CaseFileText>();
  for (const { id, json, fieldOfficeCode, protected1367 } of rows)
    if (json !== null) files.set(id, { json, fieldOfficeCode, protected1367 });
  return files;
}

/**
 * Everything known about one child: identity, current state, the linked records and the events from them. One
 * statement (each part a JSON value) shared by the reads asked for in the same turn: a case read is the busiest
 * route, and under load every round trip to the database costs more than the query it carries.
 */
export const readCaseFileText: (sql: Sql, childId: number) => Promise<CaseFileText | undefined> =
  batchPerTurn(readCaseFileTexts);

/** The same, parsed. */
export async function readCaseFile(sql: Sql, childId: number): Promise<CaseFile | undefined> {
  const text = await readCaseFileText(sql, childId);
  return text && parseCaseFile(text);
}

export function parseCaseFile({ json, fieldOfficeCode, protected1367 }: CaseFileText): CaseFile {
  return { ...JSON.parse(json), fieldOfficeCode, protected1367 };
}

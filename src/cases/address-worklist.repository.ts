import { type AppAbility, type ChildColumns, scopeCondition } from '../auth/abilities';
import type { Sql } from '../db';
import { OPEN_CASE_SQL } from './open-case';

/** One child whose current address will probably not bring a notice or a visit to the child. */
export interface AddressToFix {
  childId: number;
  givenNames: string | null;
  surnames: string | null;
  fieldOfficeCode: string | null;
  protected1367: boolean;
  status: string;
  nextHearingAt: string | null;
  openAlerts: number;
  verdict: string;
  written: string | null;
  deliveryLine: string | null;
  lastLine: string | null;
  reasons: { code: string; detail?: string }[];
}

/** Where the previous page ended: the urgency key of its last row. */
export interface WorklistCursor {
  hearingKey: string;
  openAlerts: number;
  childId: number;
}

export interface WorklistFilter {
  verdict?: string;
  office?: string;
  after?: WorklistCursor;
  limit: number;
}

const COLUMNS: ChildColumns = { fieldOfficeCode: 'cs.field_office_code', protected1367: 'cs.protected_1367' };

/**
 * Open cases of released children whose current address is not judged deliverable (or who have none), that the
 * person may read the address of — the ability bounds the rows in SQL, so an office-scoped role sees its own
 * office and a § 1367 child's address reaches only the roles allowed to see it. Most urgent first: the hearing
 * soonest (a date passed with no outcome first of all), then the most open alerts, then the child id.
 */
export async function listAddressesToFix(
  sql: Sql,
  ability: AppAbility,
  filter: WorklistFilter,
): Promise<AddressToFix[]> {
  const params: unknown[] = [filter.limit];
  const conditions = [
    OPEN_CASE_SQL,
    'cs.released_at is not null',
    `coalesce(cs.address_verdict, 'missing') <> 'deliverable_likely'`,
    scopeCondition(ability, 'case.read', COLUMNS, params, 'addresses'),
  ];
  if (filter.verdict) {
    params.push(filter.verdict);
    conditions.push(`coalesce(cs.address_verdict, 'missing') = $${params.length}`);
  }
  if (filter.office) {
    params.push(filter.office);
    conditions.push(`cs.field_office_code = $${params.length}`);
  }
  let after = 'true';
  if (filter.after) {
    params.push(filter.after.hearingKey, -filter.after.openAlerts, filter.after.childId);
    const n = params.length;
    after = `(w.hearing_key, -w.open_alerts, w.child_id) > ($${n - 2}::timestamptz, $${n - 1}::int, $${n}::bigint)`;
  }
  const rows = await sql.query<{
    child_id: number;
    given_names: string | null;
    surnames: string | null;
    field_office_code: string | null;
    protected_1367: boolean;
    status: string;
    next_hearing_at: Date | string | null;
    open_alerts: number;
    verdict: string;
    raw_text: string | null;
    delivery_line: string | null;
    last_line: string | null;
    reasons: { code: string; detail?: string }[] | null;
  }>(
    // The page is chosen from child_state alone, then its rows are joined to names and addresses: with the joins
    // before the cursor's condition the planner walked every child by key (1–3.6 s a page at 600,000 children).
    `select w.*, c.given_names, c.surnames, a.raw_text, a.delivery_line, a.last_line, a.reasons
     from (
       select * from (
         select cs.child_id, cs.field_office_code, cs.protected_1367, cs.status, cs.next_hearing_at, cs.address_id,
                coalesce(cs.next_hearing_at, 'infinity'::timestamptz) as hearing_key,
                (select count(*)::int from alerts al where al.child_id = cs.child_id and al.closed_at is null) as open_alerts,
                coalesce(cs.address_verdict, 'missing') as verdict
         from child_state cs
         where ${conditions.join(' and ')}) w
       where ${after}
       order by w.hearing_key, -w.open_alerts, w.child_id
       limit $1) w
       join children c on c.id = w.child_id
       left join addresses a on a.id = w.address_id
     order by w.hearing_key, -w.open_alerts, w.child_id`,
    params,
  );
  return rows.map((row) => ({
    childId: Number(row.child_id),
    givenNames: row.given_names,
    surnames: row.surnames,
    fieldOfficeCode: row.field_office_code,
    protected1367: row.protected_1367,
    status: row.status,
    nextHearingAt: row.next_hearing_at ? new Date(row.next_hearing_at).toISOString() : null,
    openAlerts: Number(row.open_alerts),
    verdict: row.verdict,
    written: row.raw_text,
    deliveryLine: row.delivery_line,
    lastLine: row.last_line,
    reasons: row.reasons ?? [],
  }));
}

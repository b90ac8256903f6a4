import type { Sql } from '../db';

/** A known child a tip may concern, the evidence the tip-triage rule found, and the triage work about it. */
export interface TipCandidate {
  childId: number;
  givenNames: string | null;
  surnames: string | null;
  fieldOfficeCode: string | null;
  protected1367: boolean;
  evidence: string[];
  alertId: number | null;
  task: { id: number; officeCode: string | null; state: string; dueAt: string } | null;
}

/**
 * The children one tip may concern, as the tip-triage rule keeps them (`tip_candidates`, src/monitoring/tip-triage.ts:
 * the page and the sweep read the same rows), each with its open tip-triage alert and the open task the sweep
 * made from it. Current once a sweep has run after the tip was stored.
 */
export async function tipCandidates(sql: Sql, tipId: string): Promise<TipCandidate[]> {
  const rows = await sql.query<{
    child_id: number;
    given_names: string | null;
    surnames: string | null;
    field_office_code: string | null;
    protected_1367: boolean;
    evidence: string[];
    alert_id: number | null;
    task_id: number | null;
    office_code: string | null;
    state: string | null;
    due_at: Date | string | null;
  }>(
    `select m.child_id, c.given_names, c.surnames, cs.field_office_code, cs.protected_1367, m.evidence,
            a.id as alert_id, tk.id as task_id, tk.office_code, tk.state, tk.due_at
     from tip_candidates m
       join children c on c.id = m.child_id
       join child_state cs on cs.child_id = m.child_id
       left join alerts a on a.child_id = m.child_id and a.rule = 'tip_triage' and a.closed_at is null
       left join lateral (select t.id, t.office_code, t.state, t.due_at from tasks t
                          where t.alert_id = a.id and t.state <> 'done' order by t.id limit 1) tk on true
     where m.tip = $1
     order by m.child_id`,
    [tipId],
  );
  return rows.map((row) => ({
    childId: Number(row.child_id),
    givenNames: row.given_names,
    surnames: row.surnames,
    fieldOfficeCode: row.field_office_code,
    protected1367: row.protected_1367,
    evidence: row.evidence,
    alertId: row.alert_id === null ? null : Number(row.alert_id),
    task:
      row.task_id === null
        ? null
        : {
            id: Number(row.task_id),
            officeCode: row.office_code,
            state: row.state!,
            dueAt: new Date(row.due_at!).toISOString(),
          },
  }));
}

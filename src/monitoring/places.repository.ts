import { type AppAbility, type ChildColumns, scopeCondition } from '../auth/abilities';
import type { Sql } from '../db';

/**
 * Places many children are linked to, as the shared-place rule counts them: a door (the delivery point: street
 * address with its unit, however it was written) or a sponsor (known by the phone number's last ten digits).
 * Counted by the report summaries' triggers (`report_place_counts`, src/reports/summaries.ts), so a page reads
 * the few crowded places instead of grouping every child.
 */
export type PlaceKind = 'address' | 'sponsor';

export interface CrowdedPlace {
  kind: PlaceKind;
  place: string;
  childIds: number[];
}

export interface PlaceCursor {
  children: number;
  kind: PlaceKind;
  place: string;
}

export interface PlaceChild {
  childId: number;
  givenNames: string | null;
  surnames: string | null;
  fieldOfficeCode: string | null;
  protected1367: boolean;
  status: string;
  written: string | null;
  deliveryLine: string | null;
  lastLine: string | null;
  sponsorName: string | null;
  phone: string | null;
  alert: { id: number; openedAt: string } | null;
  task: { id: number; state: string; officeCode: string | null; assignee: string | null } | null;
}

const COLUMNS: ChildColumns = { fieldOfficeCode: 'cs.field_office_code', protected1367: 'cs.protected_1367' };

/**
 * The places linked to at least `minChildren` children, most children first, that hold at least one child whose
 * address (for a door) or sponsor (for a sponsor) the person may read. Every child at the place is counted,
 * as the rule counts them; which of them the person may see is decided per child by the caller.
 */
export async function crowdedPlaces(
  sql: Sql,
  ability: AppAbility,
  minChildren: number,
  after: PlaceCursor | undefined,
  limit: number,
): Promise<CrowdedPlace[]> {
  // A place with one child is no place shared; the counts' index holds places of two or more.
  const params: unknown[] = [Math.max(minChildren, 2), limit];
  const seesAddress = scopeCondition(ability, 'case.read', COLUMNS, params, 'addresses');
  const seesSponsor = scopeCondition(ability, 'case.read', COLUMNS, params, 'sponsor');
  let from = 'true';
  if (after) {
    params.push(-after.children, after.kind, after.place);
    const n = params.length;
    from = `(-c.children, c.kind, c.place) > ($${n - 2}::int, $${n - 1}::text, $${n}::text)`;
  }
  // Places in the page's order (an index on it), each asked whether the person may see one of its children, until
  // the page is full: a national caseload has thousands of crowded places, a page shows a few. The children at a
  // place are found as the counts were made: by the door's addresses, or by the sponsor.
  const rows = await sql.query<{ kind: PlaceKind; place: string; child_ids: number[] }>(
    `select c.kind, c.place, m.child_ids
     from report_place_counts c
       cross join lateral (
         select array_agg(x.child_id order by x.child_id) as child_ids, bool_or(x.sees) as sees
         from (select cs.child_id, ${seesAddress} as sees
               from addresses a join child_state cs on cs.address_id = a.id
               where c.kind = 'address' and a.delivery_point = c.place
               union all
               select cs.child_id, ${seesSponsor}
               from sponsors sp join child_state cs on cs.sponsor_id = sp.id
               where c.kind = 'sponsor' and sp.phone_key = c.place) x) m
     where c.children >= 2 and -c.children <= -$1::int and ${from} and m.sees
     order by -c.children, c.kind, c.place
     limit $2`,
    params,
  );
  return rows.map((row) => ({ kind: row.kind, place: row.place, childIds: row.child_ids.map(Number) }));
}

/** The children at the places, with what links them there and the open shared-place alert and task of each. */
export async function childrenAtPlaces(sql: Sql, childIds: number[]): Promise<Map<number, PlaceChild>> {
  const rows = await sql.query<{
    child_id: number;
    given_names: string | null;
    surnames: string | null;
    field_office_code: string | null;
    protected_1367: boolean;
    status: string;
    raw_text: string | null;
    delivery_line: string | null;
    last_line: string | null;
    sponsor_name: string | null;
    phone: string | null;
    alert_id: number | null;
    opened_at: Date | string | null;
    task_id: number | null;
    task_state: string | null;
    task_office: string | null;
    assignee: string | null;
  }>(
    `select cs.child_id, c.given_names, c.surnames, cs.field_office_code, cs.protected_1367, cs.status,
            a.raw_text, a.delivery_line, a.last_line, rel.sponsor_name, rel.phone,
            al.id as alert_id, al.opened_at, t.id as task_id, t.state as task_state, t.office_code as task_office,
            u.username as assignee
     from child_state cs
       join children c on c.id = cs.child_id
       left join addresses a on a.id = cs.address_id
       left join lateral (select e.data->>'sponsor_name' as sponsor_name, e.data->>'phone' as phone from events e
                          where e.child_id = cs.child_id and e.type = 'released_to_sponsor'
                          order by e.occurred_at desc, e.id desc limit 1) rel on true
       left join alerts al on al.child_id = cs.child_id and al.rule = 'shared_sponsor_or_address' and al.closed_at is null
       left join lateral (select * from tasks t where t.alert_id = al.id and t.state <> 'done' order by t.id limit 1) t on true
       left join users u on u.id = t.assignee_id
     where cs.child_id = any($1::bigint[])`,
    [childIds],
  );
  return new Map(
    rows.map((row) => [
      Number(row.child_id),
      {
        childId: Number(row.child_id),
        givenNames: row.given_names,
        surnames: row.surnames,
        fieldOfficeCode: row.field_office_code,
        protected1367: row.protected_1367,
        status: row.status,
        written: row.raw_text,
        deliveryLine: row.delivery_line,
        lastLine: row.last_line,
        sponsorName: row.sponsor_name,
        phone: row.phone,
        alert:
          row.alert_id === null
            ? null
            : { id: Number(row.alert_id), openedAt: new Date(row.opened_at!).toISOString() },
        task:
          row.task_id === null
            ? null
            : {
                id: Number(row.task_id),
                state: row.task_state!,
                officeCode: row.task_office,
                assignee: row.assignee,
              },
      },
    ]),
  );
}

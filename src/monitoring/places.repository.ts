import { type AppAbility, type ChildColumns, scopeCondition } from '../auth/abilities';
import type { Sql } from '../db';

/**
 * Places many children are linked to: a door (the delivery point: street address with its unit, however it
 * was written — what the shared-place rule counts) or a sponsor. The `sponsors` table is not filled by the
 * projection yet, so a sponsor is recognized here by the phone number on the latest release form (the last ten
 * digits), which the release facts carry for every sponsor; the rule itself counts doors only until it is.
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
  const params: unknown[] = [minChildren, limit];
  const seesAddress = scopeCondition(ability, 'case.read', COLUMNS, params, 'addresses');
  const seesSponsor = scopeCondition(ability, 'case.read', COLUMNS, params, 'sponsor');
  let from = 'true';
  if (after) {
    params.push(-after.children, after.kind, after.place);
    const n = params.length;
    from = `(-c.children, c.kind, c.place) > ($${n - 2}::int, $${n - 1}::text, $${n}::text)`;
  }
  // Whether the person may read each child's address and sponsor is decided once per child, then any() per place.
  const rows = await sql.query<{ kind: PlaceKind; place: string; child_ids: number[] }>(
    `with releases as (
       select distinct on (e.child_id) e.child_id, e.data->>'phone' as phone
       from events e where e.type = 'released_to_sponsor'
       order by e.child_id, e.occurred_at desc, e.id desc),
     located as (
       select cs.child_id, a.delivery_point,
              right(nullif(regexp_replace(coalesce(rel.phone, ''), '[^0-9]', '', 'g'), ''), 10) as phone,
              ${seesAddress} as sees_address, ${seesSponsor} as sees_sponsor
       from child_state cs
         left join addresses a on a.id = cs.address_id
         left join releases rel on rel.child_id = cs.child_id),
     places as (
       select 'address' as kind, delivery_point as place, child_id, sees_address as sees
       from located where delivery_point is not null
       union all
       select 'sponsor', phone, child_id, sees_sponsor from located where length(phone) >= 7),
     crowded as (
       select kind, place, array_agg(distinct child_id) as child_ids, count(distinct child_id)::int as children
       from places group by kind, place
       having count(distinct child_id) >= $1::int and bool_or(sees))
     select c.kind, c.place, c.child_ids from crowded c
     where ${from}
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

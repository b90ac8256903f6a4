import type { Sql } from '../db';
import { FieldOfficeReference, type FieldOfficeReference as Reference } from './field-offices.schema';
import reference from './reference/field-offices.json' with { type: 'json' };

export function fieldOfficeReference(): Reference {
  return FieldOfficeReference.parse(reference);
}

/** Replaces the field-office reference data with the shipped list; idempotent. */
export async function loadFieldOffices(sql: Sql, data: Reference = fieldOfficeReference()): Promise<void> {
  const offices = data.offices;
  const areas = offices.flatMap((office) =>
    office.areas.flatMap((area) =>
      (area.zip3 === '*' ? ['*'] : area.zip3).map((zip3) => ({
        state: area.state,
        zip3,
        office: office.code,
      })),
    ),
  );
  await sql.query(
    `insert into field_offices (code, name, city)
     select * from unnest($1::text[], $2::text[], $3::text[])
     on conflict (code) do update set name = excluded.name, city = excluded.city`,
    [offices.map((o) => o.code), offices.map((o) => o.name), offices.map((o) => o.city)],
  );
  await sql.query('delete from field_office_areas');
  await sql.query(
    `insert into field_office_areas (state, zip3, office_code)
     select * from unnest($1::text[], $2::text[], $3::text[])`,
    [areas.map((a) => a.state), areas.map((a) => a.zip3), areas.map((a) => a.office)],
  );
}

/** The ERO office covering a place: the ZIP prefix decides in split states, the state elsewhere. */
export async function fieldOfficeFor(sql: Sql, state: string, zipCode?: string): Promise<string | undefined> {
  const rows = await sql.query<{ office_code: string }>(
    `select office_code from field_office_areas
     where state = $1 and (zip3 = '*' or zip3 = left($2, 3))
     order by zip3 = '*' limit 1`,
    [state.toUpperCase(), zipCode ?? ''],
  );
  return rows[0]?.office_code;
}

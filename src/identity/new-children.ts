import type { Sql } from '../db';

export interface Founder {
  given: string | null;
  surnames: string | null;
  dob: string | null;
  aNumber: string | null;
  orrId: string | null;
}

/**
 * One new child per founder (the identity that first named it), in order. Ids are drawn first, so each is
 * known by its place without relying on the order of RETURNING.
 */
export async function createChildren(sql: Sql, founders: Founder[]): Promise<number[]> {
  if (founders.length === 0) return [];
  const ids = (
    await sql.query<{ id: number }>(
      `select nextval(pg_get_serial_sequence('children', 'id'))::bigint as id from generate_series(1, $1::int)`,
      [founders.length],
    )
  ).map((row) => Number(row.id));
  await sql.query(
    `insert into children (id, given_names, surnames, dob, a_number, orr_id) overriding system value
     select * from unnest($1::bigint[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[])`,
    [
      ids,
      founders.map((f) => f.given),
      founders.map((f) => f.surnames),
      founders.map((f) => f.dob),
      founders.map((f) => f.aNumber),
      founders.map((f) => f.orrId),
    ],
  );
  return ids;
}

import type { Sql } from '../db';

/**
 * Joins newly stored records to children by exact identifiers: the A-number first, then the ORR case id; a
 * record whose identifiers are unknown creates a child. Records with no identifier (tips) stay unlinked.
 * This is the narrow step record linkage replaces: same input (new record ids), same output (identity_links).
 */
export async function resolveIdentitiesExactly(sql: Sql, recordIds: number[]): Promise<number[]> {
  if (recordIds.length === 0) return [];
  await sql.exec(`create temp table if not exists new_record_ids (
                    record_id bigint primary key, a_number text, orr_id text, given_names text, surnames text, dob date)`);
  await sql.exec('delete from new_record_ids');
  await sql.query(
    `insert into new_record_ids
     select s.id,
            coalesce(s.payload->>'A_NUMBER', s.payload->>'a_number', s.payload->>'alien_number'),
            s.payload->>'orr_case_id',
            coalesce(s.payload->>'child_first_name', s.payload->>'FIRST_NAME', s.payload->>'respondent_first_name'),
            coalesce(s.payload->>'child_last_name', s.payload->>'LAST_NAME', s.payload->>'respondent_last_name'),
            coalesce(s.payload->>'child_dob', s.payload->>'DOB')::date
     from source_records s where s.id in (select unnest($1::bigint[]))`,
    [recordIds],
  );
  // A record carrying both identifiers completes a child known by one of them.
  await sql.exec(`
    update children c set orr_id = n.orr_id
    from new_record_ids n
    where n.a_number = c.a_number and c.orr_id is null and n.orr_id is not null
      and not exists (select 1 from children o where o.orr_id = n.orr_id);
    update children c set a_number = n.a_number
    from new_record_ids n
    where n.orr_id = c.orr_id and c.a_number is null and n.a_number is not null
      and not exists (select 1 from children o where o.a_number = n.a_number);`);
  // Unknown identifiers: one new child per A-number, then one per ORR id not known by then.
  await sql.exec(`
    insert into children (a_number, orr_id, given_names, surnames, dob)
    select distinct on (n.a_number) n.a_number, n.orr_id, n.given_names, n.surnames, n.dob
    from new_record_ids n
    where n.a_number is not null and not exists (select 1 from children c where c.a_number = n.a_number)
      and (n.orr_id is null or not exists (select 1 from children c where c.orr_id = n.orr_id))
    order by n.a_number, n.orr_id nulls last, n.record_id;
    insert into children (orr_id, given_names, surnames, dob)
    select distinct on (n.orr_id) n.orr_id, n.given_names, n.surnames, n.dob
    from new_record_ids n
    where n.orr_id is not null and not exists (select 1 from children c where c.orr_id = n.orr_id)
      and (n.a_number is null or not exists (select 1 from children c where c.a_number = n.a_number))
    order by n.orr_id, n.record_id;`);
  const linked = await sql.query<{ child_id: number }>(
    `insert into identity_links (source_record_id, child_id, method, evidence)
     select n.record_id, coalesce(ca.id, co.id),
            case when ca.id is not null then 'exact_a_number' else 'exact_orr_id' end,
            jsonb_build_object('a_number', n.a_number, 'orr_id', n.orr_id)
     from new_record_ids n
     left join children ca on ca.a_number = n.a_number
     left join children co on co.orr_id = n.orr_id
     where coalesce(ca.id, co.id) is not null
     on conflict (source_record_id) do nothing
     returning child_id`,
  );
  // Fill in names and birth dates the first records lacked.
  await sql.exec(`
    update children c set given_names = coalesce(c.given_names, n.given_names), surnames = coalesce(c.surnames, n.surnames),
                          dob = coalesce(c.dob, n.dob)
    from new_record_ids n join identity_links l on l.source_record_id = n.record_id
    where l.child_id = c.id and (c.given_names is null or c.dob is null) and n.given_names is not null`);
  return [...new Set(linked.map((row) => row.child_id))];
}

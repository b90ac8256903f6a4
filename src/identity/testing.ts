import type { Sql } from '../db';

/**
 * A pending review pair about one child, as linking would leave it: two identities of the child (the same
 * name, one birth date with day and month swapped), their records' links, and the pair between them.
 */
export async function addReviewPair(sql: Sql, childId: number): Promise<number> {
  const [batch] = await sql.query<{ id: number }>(
    `insert into ingest_batches (source, kind, format_version, file_name, sha256)
     values ('ice', 'ice_ntas', '1', 'review-test.csv', md5(random()::text)) returning id`,
  );
  const records = (
    await sql.query<{ id: number }>(
      `insert into source_records (batch_id, source, kind, source_key, version, content_hash, line, payload)
       select $1, 'ice', 'ice_ntas', 'NTA-REVIEW-' || $2::bigint || '-' || n, 1, md5(n::text), n + 1, '{}'
       from generate_series(1, 2) as n returning id`,
      [batch!.id, childId],
    )
  ).map((row) => Number(row.id));
  const identities = await sql.query<{ id: number }>(
    `insert into person_identities (signature, child_id, first_record_id, given, surnames, dob, a_number)
     select 'test ' || $1::bigint || ' ' || r, $1::bigint, r, 'ANA', 'MATRIX', d, null
     from unnest($2::bigint[], array['2008-05-01', '2008-01-05']) as t(r, d) returning id`,
    [childId, records],
  );
  await sql.query(
    `insert into identity_links (source_record_id, child_id, identity_id, method)
     select * from unnest($1::bigint[], array[$2::bigint, $2::bigint], $3::bigint[], array['new_child', 'same_identity'])`,
    [records, childId, identities.map((row) => row.id)],
  );
  const [pair] = await sql.query<{ id: number }>(
    `insert into review_pairs (left_identity_id, right_identity_id, left_record_id, right_record_id, match_weight, match_probability, evidence)
     values ($1, $2, $3, $4, 4.2, 0.8, '{"fields": [{"field": "dob", "level": "day_month_swapped", "weight": 3.1}]}') returning id`,
    [identities[0]!.id, identities[1]!.id, records[0], records[1]],
  );
  return Number(pair!.id);
}

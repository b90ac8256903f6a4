import type { Sql } from '../db';
import { AppError } from '../shared/errors';

export interface RecordExplanation {
  record: {
    id: number;
    source: string;
    kind: string;
    sourceKey: string;
    version: number;
    file: string;
    line: number;
  };
  childId: number | null;
  method: string | null;
  matchWeight: number | null;
  /** What linked it: the pair's probability, the identity it was linked with, each field's level and weight. */
  evidence: Record<string, unknown>;
  /** The records of the same child, by source. */
  childRecords: { source: string; kind: string; count: number }[];
  pendingReviews: number;
}

/**
 * Why a record belongs to its child. RECORD is a source record id or `source:key` (`orr:UC00000013`, the
 * latest version). A record that repeats an identity exactly points at the record that first wrote it: its
 * explanation is that record's.
 */
export async function explainRecord(sql: Sql, reference: string): Promise<RecordExplanation> {
  const byKey = /^([a-z]+):(.+)$/.exec(reference);
  if (!byKey && !/^\d+$/.test(reference))
    throw new AppError('input_invalid', `${reference}: give a record id or source:key (e.g. orr:UC00000013)`);
  const [record] = await sql.query<RecordExplanation['record']>(
    `select s.id, s.source, s.kind, s.source_key as "sourceKey", s.version, b.file_name as file, s.line
     from source_records s join ingest_batches b on b.id = s.batch_id
     where ${byKey ? 's.source = $1 and s.source_key = $2' : 's.id = $1::bigint'}
     order by s.version desc limit 1`,
    byKey ? [byKey[1], byKey[2]] : [reference],
  );
  if (!record) throw new AppError('not_found', `${reference}: no such record`);
  const [link] = await sql.query<{
    child_id: number;
    method: string;
    match_weight: number | null;
    evidence: Record<string, unknown>;
    identity_id: number | null;
  }>(
    'select child_id, method, match_weight, evidence, identity_id from identity_links where source_record_id = $1',
    [record.id],
  );
  // A repeat of an identity: the decision and its evidence are on the record that first wrote it.
  const [first] =
    link?.method === 'same_identity' && link.identity_id !== null
      ? await sql.query<{
          method: string;
          match_weight: number | null;
          evidence: Record<string, unknown>;
          record_id: number;
        }>(
          `select l.method, l.match_weight, l.evidence, l.source_record_id as record_id
           from person_identities p join identity_links l on l.source_record_id = p.first_record_id
           where p.id = $1`,
          [link.identity_id],
        )
      : [];
  const childRecords = link
    ? await sql.query<RecordExplanation['childRecords'][number]>(
        `select s.source, s.kind, count(*)::int as count from identity_links l join source_records s on s.id = l.source_record_id
         where l.child_id = $1 group by s.source, s.kind order by s.source, s.kind`,
        [link.child_id],
      )
    : [];
  const [{ pending } = { pending: 0 }] = link?.identity_id
    ? await sql.query<{ pending: number }>(
        `select count(*)::int as pending from review_pairs
         where status = 'pending' and (left_identity_id = $1 or right_identity_id = $1)`,
        [link.identity_id],
      )
    : [];
  const decided = first && first.record_id !== record.id ? first : link;
  return {
    record: { ...record, id: Number(record.id) },
    childId: link ? Number(link.child_id) : null,
    method: link?.method ?? null,
    matchWeight: decided?.match_weight ?? null,
    evidence:
      first && first.record_id !== record.id
        ? { sameAsRecord: Number(first.record_id), method: first.method, ...first.evidence }
        : (link?.evidence ?? {}),
    childRecords,
    pendingReviews: pending,
  };
}

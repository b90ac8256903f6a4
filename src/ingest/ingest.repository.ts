import type { Sql } from '../db';

export interface Batch {
  id: number;
  source: string;
  kind: string;
  fileName: string;
  sha256: string;
  status: 'running' | 'complete' | 'failed';
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  checkpointLine: number;
  eventsThroughRecord: number;
}

export interface PreparedRecord {
  line: number;
  sourceKey: string;
  contentHash: string;
  payload: Record<string, unknown>;
}

/** A record as stored: its id, its line in the file, and its version of the source key (1 = first seen). */
export interface StoredRecord {
  id: number;
  line: number;
  version: number;
}

export interface RejectedRow {
  line: number;
  field?: string;
  reason: string;
  raw: string;
}

const BATCH_COLUMNS = `id, source, kind, file_name as "fileName", sha256, status, rows_read as "rowsRead", accepted, rejected,
  duplicates, checkpoint_line as "checkpointLine", events_through_record as "eventsThroughRecord"`;

/**
 * The latest batch of the same file (same kind and content): a complete one means the file is already stored;
 * a running one was interrupted and is resumed from its checkpoint.
 */
export async function findBatchOfSameFile(
  sql: Sql,
  kind: string,
  sha256: string,
): Promise<Batch | undefined> {
  const [batch] = await sql.query<Batch>(
    `select ${BATCH_COLUMNS} from ingest_batches where kind = $1 and sha256 = $2 and status in ('running', 'complete')
     order by status = 'complete' desc, id desc limit 1`,
    [kind, sha256],
  );
  return batch;
}

export async function createBatch(
  sql: Sql,
  batch: { source: string; kind: string; formatVersion: string; fileName: string; sha256: string },
): Promise<Batch> {
  const [created] = await sql.query<Batch>(
    `insert into ingest_batches (source, kind, format_version, file_name, sha256) values ($1, $2, $3, $4, $5)
     returning ${BATCH_COLUMNS}`,
    [batch.source, batch.kind, batch.formatVersion, batch.fileName, batch.sha256],
  );
  return created!;
}

/**
 * Stores one chunk of a batch in the caller's transaction, with the batch's counts and checkpoint, so a crash
 * leaves either all of the chunk or none of it. A row whose (source, kind, key, content) is already stored is a
 * duplicate; a row with a known key and new content is the key's next version. Returns the new records' ids
 * with their lines and versions.
 */
export async function storeChunk(
  sql: Sql,
  batch: Batch,
  records: PreparedRecord[],
  rejected: RejectedRow[],
  rowsRead: number,
): Promise<{ stored: StoredRecord[]; accepted: number; duplicates: number }> {
  const stored = records.length
    ? await sql.query<StoredRecord>(
        `with incoming as (
           select (e->>'line')::int as line, e->>'key' as source_key, e->>'hash' as content_hash, e->'payload' as payload, ord
           from jsonb_array_elements($3::jsonb) with ordinality as t(e, ord)
         ), fresh as (
           select distinct on (source_key, content_hash) * from incoming i
           where not exists (select 1 from source_records s where s.source = $1 and s.kind = $2
                               and s.source_key = i.source_key and s.content_hash = i.content_hash)
           order by source_key, content_hash, ord
         ), numbered as (
           select f.*, coalesce((select max(s.version) from source_records s
                                 where s.source = $1 and s.kind = $2 and s.source_key = f.source_key), 0)
                       + row_number() over (partition by f.source_key order by f.ord) as version
           from fresh f
         )
         insert into source_records (batch_id, source, kind, source_key, version, content_hash, line, payload)
         select $4, $1, $2, source_key, version, content_hash, line, payload from numbered order by ord
         returning id, line, version`,
        [
          batch.source,
          batch.kind,
          // One JSON document rather than parallel arrays: PGlite parses it about twice as fast as a jsonb[].
          JSON.stringify(
            records.map((r) => ({ line: r.line, key: r.sourceKey, hash: r.contentHash, payload: r.payload })),
          ),
          batch.id,
        ],
      )
    : [];
  if (rejected.length) {
    await sql.query(
      `insert into rejections (batch_id, line, field, reason, raw)
       select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
      [
        batch.id,
        rejected.map((r) => r.line),
        rejected.map((r) => r.field ?? null),
        rejected.map((r) => r.reason),
        rejected.map((r) => r.raw),
      ],
    );
  }
  const accepted = stored.length;
  const duplicates = records.length - accepted;
  await sql.query(
    `update ingest_batches set rows_read = $2, accepted = accepted + $3, rejected = rejected + $4,
       duplicates = duplicates + $5, checkpoint_line = $2 where id = $1`,
    [batch.id, rowsRead, accepted, rejected.length, duplicates],
  );
  return { stored, accepted, duplicates };
}

/**
 * The batch's stored records not linked to a child, with their payloads, that an interruption between a chunk's
 * records and its links left (and those no child is named in, such as tips: linked again, they stay unlinked).
 */
export async function recordsWithoutLinks(
  sql: Sql,
  batch: Batch,
): Promise<{ id: number; kind: string; payload: Record<string, unknown> }[]> {
  return sql.query(
    `select s.id, s.kind, s.payload from source_records s
     where s.batch_id = $1 and s.id > $2
       and not exists (select 1 from identity_links l where l.source_record_id = s.id)
     order by s.id`,
    [batch.id, batch.eventsThroughRecord],
  );
}

/**
 * The batch's stored records whose events are not written yet, what an interruption between a chunk's links and events
 * left, with the children they are linked to.
 */
export async function recordsWithoutEvents(
  sql: Sql,
  batch: Batch,
): Promise<{ records: StoredRecord[]; children: number[] }> {
  const rows = await sql.query<StoredRecord & { childId: number | null }>(
    `select s.id, s.line, s.version, l.child_id as "childId"
     from source_records s left join identity_links l on l.source_record_id = s.id
     where s.batch_id = $1 and s.id > $2 order by s.id`,
    [batch.id, batch.eventsThroughRecord],
  );
  return {
    records: rows.map(({ id, line, version }) => ({ id, line, version })),
    children: [...new Set(rows.flatMap((row) => (row.childId === null ? [] : [row.childId])))],
  };
}

/** Notes that the batch's records up to `recordId` have their events. */
export async function markEventsWritten(sql: Sql, batchId: number, recordId: number): Promise<void> {
  await sql.query(
    'update ingest_batches set events_through_record = greatest(events_through_record, $2) where id = $1',
    [batchId, recordId],
  );
}

/** Marks children and addresses whose derived state a later `settleIngest` must bring up to date. */
export async function markPending(sql: Sql, childIds: number[], addressIds: number[]): Promise<void> {
  if (childIds.length > 0)
    await sql.query(
      'insert into ingest_pending_children (child_id) select unnest($1::bigint[]) on conflict do nothing',
      [childIds],
    );
  if (addressIds.length > 0)
    await sql.query(
      'insert into ingest_pending_addresses (address_id) select unnest($1::bigint[]) on conflict do nothing',
      [addressIds],
    );
}

/** The addresses the given children live at now, in order (so that writers side by side lock them in one order). */
export async function addressesOfChildren(sql: Sql, childIds: number[]): Promise<number[]> {
  const rows = await sql.query<{ id: number }>(
    `select distinct address_id as id from child_state
     where child_id = any($1::bigint[]) and address_id is not null order by 1`,
    [childIds],
  );
  return rows.map((row) => row.id);
}

/**
 * Takes up to `limit` pending children (or addresses) off the list, in the caller's transaction. Rows another
 * transaction is taking are skipped, so slices settled side by side take different children.
 */
export async function takePending(
  sql: Sql,
  what: 'children' | 'addresses',
  limit: number,
): Promise<number[]> {
  const [table, column] =
    what === 'children'
      ? ['ingest_pending_children', 'child_id']
      : ['ingest_pending_addresses', 'address_id'];
  const rows = await sql.query<{ id: number }>(
    `delete from ${table}
     where ${column} in (select ${column} from ${table} order by ${column} limit $1 for update skip locked)
     returning ${column} as id`,
    [limit],
  );
  return rows.map((row) => row.id);
}

export async function finishBatch(sql: Sql, batchId: number): Promise<Batch> {
  const [batch] = await sql.query<Batch>(
    `update ingest_batches set status = 'complete', finished_at = now() where id = $1 returning ${BATCH_COLUMNS}`,
    [batchId],
  );
  return batch!;
}

export interface RejectionRow {
  batchId: number;
  fileName: string;
  line: number;
  field: string | null;
  reason: string;
  raw: string;
}

export async function listRejections(sql: Sql, batchId?: number, limit = 1000): Promise<RejectionRow[]> {
  return sql.query<RejectionRow>(
    `select r.batch_id as "batchId", b.file_name as "fileName", r.line, r.field, r.reason, r.raw
     from rejections r join ingest_batches b on b.id = r.batch_id
     where $1::bigint is null or r.batch_id = $1 order by r.batch_id, r.line limit $2`,
    [batchId ?? null, limit],
  );
}

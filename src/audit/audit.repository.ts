import type { Database, Sql } from '../db';
import { holdLock } from '../db/locks';
import {
  type AuditEntry,
  type ChainBreak,
  entryHash,
  firstBreak,
  GENESIS_HASH,
  type StoredAuditEntry,
} from './audit-chain';

const COLUMNS = `seq, at, actor, action, object_type as "objectType", object_id as "objectId", child_id as "childId",
  purpose, result, detail, prev_hash as "prevHash", hash`;

/**
 * Appends an entry at the end of the chain. Appends are serialized (a transaction-scoped advisory lock), so two
 * processes on one PostgreSQL never take the same sequence number.
 */
export async function appendAudit(db: Database, entry: AuditEntry): Promise<StoredAuditEntry> {
  return db.transaction(async (tx) => appendAuditIn(tx, entry));
}

/** The same, inside the caller's transaction: the audit entry commits or rolls back with the action it records. */
export async function appendAuditIn(sql: Sql, entry: AuditEntry): Promise<StoredAuditEntry> {
  await holdLock(sql, 'auditChain');
  const [last] = await sql.query<{ seq: number; hash: string }>(
    'select seq, hash from audit_log order by seq desc limit 1',
  );
  const unsigned = {
    ...entry,
    detail: entry.detail ?? {},
    seq: (last?.seq ?? 0) + 1,
    at: new Date(),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const stored = { ...unsigned, hash: entryHash(unsigned) };
  await sql.query(
    `insert into audit_log (seq, at, actor, action, object_type, object_id, child_id, purpose, result, detail, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      stored.seq,
      stored.at.toISOString(),
      stored.actor,
      stored.action,
      stored.objectType ?? null,
      stored.objectId ?? null,
      stored.childId ?? null,
      stored.purpose ?? null,
      stored.result,
      JSON.stringify(stored.detail),
      stored.prevHash,
      stored.hash,
    ],
  );
  return stored;
}

export interface VerifyResult {
  entries: number;
  head: string;
  ok: boolean;
  firstBreak?: ChainBreak;
}

/** Walks the whole chain in sequence order, a page at a time, and names the first broken entry. */
export async function verifyAuditChain(sql: Sql, pageSize = 10_000): Promise<VerifyResult> {
  let previous: { seq: number; hash: string } | undefined;
  let entries = 0;
  for (let after = 0; ; ) {
    const page = await sql.query<StoredAuditEntry>(
      `select ${COLUMNS} from audit_log where seq > $1 order by seq limit $2`,
      [after, pageSize],
    );
    for (const row of page) {
      const entry = { ...row, at: new Date(row.at) };
      const broken = firstBreak(previous, entry);
      if (broken) return { entries, head: previous?.hash ?? GENESIS_HASH, ok: false, firstBreak: broken };
      previous = { seq: entry.seq, hash: entry.hash };
      entries++;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return { entries, head: previous?.hash ?? GENESIS_HASH, ok: true };
}

export interface AuditQuery {
  actor?: string;
  childId?: number;
  from?: Date;
  to?: Date;
  /** Cursor: only entries older than this sequence number. */
  before?: number;
  limit?: number;
}

export async function listAudit(sql: Sql, query: AuditQuery = {}): Promise<StoredAuditEntry[]> {
  return sql.query<StoredAuditEntry>(
    `select ${COLUMNS} from audit_log
     where ($1::text is null or actor = $1) and ($2::bigint is null or child_id = $2)
       and ($3::timestamptz is null or at >= $3) and ($4::timestamptz is null or at < $4)
       and ($6::bigint is null or seq < $6)
     order by seq desc limit $5`,
    [
      query.actor ?? null,
      query.childId ?? null,
      query.from?.toISOString() ?? null,
      query.to?.toISOString() ?? null,
      query.limit ?? 100,
      query.before ?? null,
    ],
  );
}

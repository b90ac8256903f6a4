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

/** Entries appended together at most: one statement's parameters stay small. */
const MAX_GROUP = 500;

interface Waiting {
  entry: AuditEntry;
  /** Its group failed: committed on its own, so only a bad entry fails. */
  alone?: boolean;
  resolve: (stored: StoredAuditEntry) => void;
  reject: (error: unknown) => void;
}

/** Per database: the entries waiting for the next group commit, and whether one is running. */
const queues = new WeakMap<Database, { waiting: Waiting[]; running: boolean }>();

/**
 * Appends an entry at the end of the chain and resolves once it is committed. Entries that arrive while an
 * append is committing wait and are committed together in the next transaction (a group commit): under load a
 * read costs its share of one transaction instead of five round trips of its own, and the chain is still
 * written in arrival order. Appends are serialized across processes by a transaction-scoped advisory lock, so
 * two processes on one PostgreSQL never take the same sequence number.
 */
export function appendAudit(db: Database, entry: AuditEntry): Promise<StoredAuditEntry> {
  let queue = queues.get(db);
  if (!queue) {
    queue = { waiting: [], running: false };
    queues.set(db, queue);
  }
  const waiting = queue.waiting;
  const appended = new Promise<StoredAuditEntry>((resolve, reject) => {
    waiting.push({ entry, resolve, reject });
  });
  if (!queue.running) void commitGroups(db, queue);
  return appended;
}

async function commitGroups(db: Database, queue: { waiting: Waiting[]; running: boolean }): Promise<void> {
  queue.running = true;
  while (queue.waiting.length > 0) {
    const group = takeGroup(queue.waiting);
    try {
      const stored = await db.transaction((tx) =>
        appendAuditsIn(
          tx,
          group.map((w) => w.entry),
        ),
      );
      for (const [i, w] of group.entries()) w.resolve(stored[i]!);
    } catch (error) {
      if (group.length === 1) group[0]!.reject(error);
      // Nothing of the group was written; one bad entry must not fail the others, so each is tried alone.
      else queue.waiting.unshift(...group.map((w) => ({ ...w, alone: true })));
    }
  }
  queue.running = false;
}

/** The entries at the head of the queue that commit together: one to be tried alone, or up to the next such. */
function takeGroup(waiting: Waiting[]): Waiting[] {
  if (waiting[0]!.alone) return waiting.splice(0, 1);
  const end = waiting.findIndex((w, i) => w.alone || i >= MAX_GROUP);
  return waiting.splice(0, end === -1 ? waiting.length : end);
}

/** The same, inside the caller's transaction: the audit entry commits or rolls back with the action it records. */
export async function appendAuditIn(sql: Sql, entry: AuditEntry): Promise<StoredAuditEntry> {
  const [stored] = await appendAuditsIn(sql, [entry]);
  return stored!;
}

/** Entries appended in order in the caller's transaction, each chained to the one before. */
async function appendAuditsIn(sql: Sql, entries: AuditEntry[]): Promise<StoredAuditEntry[]> {
  await holdLock(sql, 'auditChain');
  const [last] = await sql.query<{ seq: number; hash: string }>(
    'select seq, hash from audit_log order by seq desc limit 1',
    [],
    { prepare: 'audit-head' },
  );
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const stored = entries.map((entry) => {
    const unsigned = { ...entry, detail: entry.detail ?? {}, seq: ++seq, at, prevHash };
    prevHash = entryHash(unsigned);
    return { ...unsigned, hash: prevHash };
  });
  await sql.query(
    `insert into audit_log (seq, at, actor, action, object_type, object_id, child_id, purpose, result, detail, prev_hash, hash)
     select seq, $2::timestamptz, actor, action, object_type, object_id, child_id, purpose, result, detail, prev_hash, hash
     from jsonb_to_recordset($1::jsonb) as t(seq bigint, actor text, action text, object_type text, object_id text,
       child_id bigint, purpose text, result text, detail jsonb, prev_hash text, hash text)`,
    [
      JSON.stringify(
        stored.map((s) => ({
          seq: s.seq,
          actor: s.actor,
          action: s.action,
          object_type: s.objectType ?? null,
          object_id: s.objectId ?? null,
          child_id: s.childId ?? null,
          purpose: s.purpose ?? null,
          result: s.result,
          detail: s.detail,
          prev_hash: s.prevHash,
          hash: s.hash,
        })),
      ),
      at.toISOString(),
    ],
    { prepare: 'audit-append' },
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

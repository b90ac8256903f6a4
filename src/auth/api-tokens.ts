import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db';
import type { FeedSource } from '../feeds';

/**
 * Per-source API tokens for agency feed deliveries. The token is shown once at creation; only its SHA-256 is
 * stored, so a copy of the database opens no door. A token names one source and can be revoked.
 */
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createFeedToken(
  sql: Sql,
  source: FeedSource,
  label: string,
): Promise<{ id: number; token: string }> {
  const token = `wa_${source}_${randomBytes(32).toString('base64url')}`;
  const [row] = await sql.query<{ id: number }>(
    'insert into api_tokens (source, label, token_hash) values ($1, $2, $3) returning id',
    [source, label, hash(token)],
  );
  return { id: row!.id, token };
}

/** The source a presented token may deliver for, or undefined for an unknown or revoked token. */
export async function feedTokenSource(sql: Sql, token: string): Promise<FeedSource | undefined> {
  const [row] = await sql.query<{ source: FeedSource }>(
    'select source from api_tokens where token_hash = $1 and revoked_at is null',
    [hash(token)],
  );
  return row?.source;
}

export async function revokeFeedToken(sql: Sql, id: number): Promise<boolean> {
  const rows = await sql.query(
    'update api_tokens set revoked_at = now() where id = $1 and revoked_at is null returning id',
    [id],
  );
  return rows.length === 1;
}

export async function listFeedTokens(sql: Sql) {
  return sql.query<{ id: number; source: string; label: string; created_at: Date; revoked_at: Date | null }>(
    'select id, source, label, created_at, revoked_at from api_tokens order by id',
  );
}

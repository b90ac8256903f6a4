import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db';
import type { Role } from './permissions';
import type { CheckedSession } from './session-cache';

export interface Account {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string | null;
  roles: Role[];
  fieldOfficeCode: string | null;
  /** A nationwide role limited to a region: the field offices it covers (null: the whole country). */
  regionOffices: string[] | null;
  disabled: boolean;
  failedSignIns: number;
  lockedUntil: Date | null;
}

const ACCOUNT = `id, username, display_name as "displayName", password_hash as "passwordHash", roles,
  field_office_code as "fieldOfficeCode", region_offices as "regionOffices", disabled, failed_sign_ins as "failedSignIns", locked_until as "lockedUntil"`;

export async function createAccount(
  sql: Sql,
  account: {
    username: string;
    displayName: string;
    passwordHash: string;
    roles: Role[];
    fieldOfficeCode?: string | null;
    regionOffices?: string[] | null;
  },
): Promise<Account> {
  const [row] = await sql.query<Account>(
    `insert into users (username, display_name, password_hash, roles, field_office_code, region_offices)
     values ($1, $2, $3, $4, $5, $6) returning ${ACCOUNT}`,
    [
      account.username,
      account.displayName,
      account.passwordHash,
      JSON.stringify(account.roles),
      account.fieldOfficeCode ?? null,
      account.regionOffices ?? null,
    ],
  );
  return row!;
}

export async function findAccount(sql: Sql, username: string): Promise<Account | undefined> {
  const [row] = await sql.query<Account>(`select ${ACCOUNT} from users where username = $1`, [username]);
  return row;
}

/** After the fifth failure in a row, each further one locks the account twice as long (1, 2, 4 … 60 minutes). */
export async function recordFailedSignIn(
  sql: Sql,
  accountId: number,
): Promise<{ failedSignIns: number; lockedUntil: Date | null }> {
  const [row] = await sql.query<{ failedSignIns: number; lockedUntil: Date | null }>(
    `update users set failed_sign_ins = failed_sign_ins + 1,
       locked_until = case when failed_sign_ins + 1 >= 5
                           then now() + least(60, power(2, failed_sign_ins + 1 - 5)) * interval '1 minute' end
     where id = $1
     returning failed_sign_ins as "failedSignIns", locked_until as "lockedUntil"`,
    [accountId],
  );
  return row!;
}

export async function recordSignIn(sql: Sql, accountId: number): Promise<void> {
  await sql.query('update users set failed_sign_ins = 0, locked_until = null where id = $1', [accountId]);
}

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_ABSOLUTE_HOURS = 12;

/** What the sessions table knows a cookie's token by. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new session: the cookie carries the token, the table only its hash. */
export async function openSession(
  sql: Sql,
  accountId: number,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await sql.query(
    `insert into sessions (token_hash, csrf_token, user_id, expires_at) values ($1, $2, $3, now() + $4 * interval '1 hour')`,
    [tokenHash(token), csrfToken, accountId, SESSION_ABSOLUTE_HOURS],
  );
  return { token, csrfToken };
}

/** A session's idle clock is moved on at most this often: a busy page's requests do not each rewrite the row. */
const TOUCH_EVERY_SECONDS = 60;

/**
 * The live session of a cookie token, by the token's hash (not expired, not idle too long, account enabled);
 * touches it.
 */
export async function findSession(sql: Sql, hashOfToken: string): Promise<CheckedSession | undefined> {
  const [row] = await sql.query<Account & { csrfToken: string; expiresAt: Date }>(
    `with live as (
       select s.token_hash, s.last_seen_at, s.csrf_token as "csrfToken", s.expires_at as "expiresAt", u.id, u.username, u.display_name as "displayName",
         u.password_hash as "passwordHash", u.roles, u.field_office_code as "fieldOfficeCode", u.region_offices as "regionOffices",
         u.disabled, u.failed_sign_ins as "failedSignIns", u.locked_until as "lockedUntil"
       from sessions s join users u on u.id = s.user_id
       where s.token_hash = $1 and not u.disabled
         and s.expires_at > now() and s.last_seen_at > now() - $2 * interval '1 minute'
     ), touched as (
       update sessions s set last_seen_at = now() from live
       where s.token_hash = live.token_hash and live.last_seen_at < now() - $3 * interval '1 second'
     )
     select "csrfToken", "expiresAt", id, username, "displayName", "passwordHash", roles, "fieldOfficeCode", "regionOffices",
       disabled, "failedSignIns", "lockedUntil"
     from live`,
    [hashOfToken, SESSION_IDLE_MINUTES, TOUCH_EVERY_SECONDS],
    { prepare: 'find-session' },
  );
  if (!row) return undefined;
  const { csrfToken, expiresAt, ...account } = row;
  return { account, csrfToken, expiresAt: new Date(expiresAt) };
}

export async function closeSession(sql: Sql, token: string): Promise<void> {
  await sql.query('delete from sessions where token_hash = $1', [tokenHash(token)]);
}

/**
 * The account of a person signed in by the agency's identity provider: created at first sign-in, its name, roles
 * and office refreshed from the provider at every one (the provider is the source of truth). Undefined when a
 * local account (one with a password) already has that username: the provider may not take it over.
 */
export async function upsertExternalAccount(
  sql: Sql,
  account: { username: string; displayName: string; roles: Role[]; fieldOfficeCode: string | null },
): Promise<Account | undefined> {
  const [row] = await sql.query<Account>(
    `insert into users (username, display_name, password_hash, roles, field_office_code) values ($1, $2, null, $3, $4)
     on conflict (username) do update set display_name = excluded.display_name, roles = excluded.roles,
       field_office_code = excluded.field_office_code
     where users.password_hash is null
     returning ${ACCOUNT}`,
    [account.username, account.displayName, JSON.stringify(account.roles), account.fieldOfficeCode],
  );
  return row;
}

import type { Database } from '../db';
import type { Account } from './accounts.repository';

/** Announced by the database whenever a session may have ended or an account's access changed. */
const CHANNEL = 'whereabouts_auth_changed';

/**
 * The triggers that announce it, whoever makes the change (this app, the CLI, an administrator's SQL): a session
 * ended, replaced or its idle clock set back; an account disabled, renamed, or given other roles or offices.
 * Moving the idle clock on (every request's touch) and counting failed sign-ins announce nothing.
 */
const ANNOUNCE = `
create or replace function auth_changed() returns trigger language plpgsql as $fn$
begin
  perform pg_notify('${CHANNEL}', '');
  return null;
end $fn$;
do $do$ begin
  if not exists (select 1 from pg_trigger where tgname = 'sessions_ended' and tgrelid = 'sessions'::regclass) then
    create trigger sessions_ended after delete or truncate on sessions
      for each statement execute function auth_changed();
    create trigger sessions_changed after update on sessions for each row
      when ((old.token_hash, old.csrf_token, old.user_id, old.expires_at) is distinct from
              (new.token_hash, new.csrf_token, new.user_id, new.expires_at)
            or new.last_seen_at < old.last_seen_at)
      execute function auth_changed();
    create trigger users_ended after delete or truncate on users
      for each statement execute function auth_changed();
    create trigger users_changed after update on users for each row
      when ((old.username, old.display_name, old.password_hash, old.roles, old.field_office_code,
             old.region_offices, old.disabled) is distinct from
            (new.username, new.display_name, new.password_hash, new.roles, new.field_office_code,
             new.region_offices, new.disabled))
      execute function auth_changed();
  end if;
end $do$;`;

/** Installs the announcing triggers (idempotent; run at every start by `prepareDatabase`, as the schema owner). */
export async function installSessionAnnouncements(db: Database): Promise<void> {
  await db.exec(ANNOUNCE);
}

export interface CheckedSession {
  account: Account;
  csrfToken: string;
  expiresAt: Date;
}

/** How long a checked session is believed without asking: well within the minute its idle clock moves on by. */
const BELIEVED_MS = 10_000;
/** Sessions held at most; past it the cache starts afresh (one process serves a few hundred people). */
const MAX_SESSIONS = 10_000;
/** After the listening connection is lost, how long to wait before listening again. */
const RELISTEN_MS = 1_000;

/**
 * Sessions the guard has checked, believed for a few seconds, so that a request costs the database one statement
 * instead of two (docs/decisions/0020). Every change that could end a session or change what it may do is
 * announced by the database, and each process drops everything it holds when it hears one. A process that is not
 * listening (its listening connection lost, until it listens again) holds nothing and asks every time.
 */
export class SessionCache {
  private readonly sessions = new Map<string, { session: CheckedSession; until: number }>();
  private listening = false;
  private stopListening?: () => Promise<void>;
  private closed = false;
  private waiting: (() => void)[] = [];
  /** Counts the clears: a session read before one may be from before the change, and is not kept. */
  private clears = 0;

  private constructor(private readonly db: Database) {}

  static async open(db: Database): Promise<SessionCache> {
    const cache = new SessionCache(db);
    await cache.listen();
    return cache;
  }

  /** Whether sessions are being held: only while the announcements can be heard. */
  get isListening(): boolean {
    return this.listening;
  }

  /** The session checked under this token hash a moment ago, if it is still believed. */
  get(tokenHash: string): CheckedSession | undefined {
    const held = this.sessions.get(tokenHash);
    if (!held) return undefined;
    if (held.until > Date.now()) return held.session;
    this.sessions.delete(tokenHash);
    return undefined;
  }

  /** Where the cache stands now: pass it to `keep` with what the database answers after. */
  get generation(): number {
    return this.clears;
  }

  /**
   * Holds a session the database confirmed (not past its own expiry), unless a change was announced since
   * `askedAt` (the `generation` when the question was asked): the answer may predate it.
   */
  keep(tokenHash: string, session: CheckedSession, askedAt: number): void {
    if (!this.listening || askedAt !== this.clears) return;
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.clear();
    this.sessions.set(tokenHash, {
      session,
      until: Math.min(Date.now() + BELIEVED_MS, session.expiresAt.getTime()),
    });
  }

  /** Drops every session held: a change was announced, or this process made one. */
  clear(): void {
    this.clears++;
    this.sessions.clear();
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Resolves at the next clear: for whoever must see a change take effect before going on (the tests). */
  cleared(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.clear();
    // A database closed first has stopped the listening with it.
    await this.stopListening?.().catch(() => {});
  }

  private async listen(): Promise<void> {
    try {
      const stop = await this.db.listen(
        CHANNEL,
        () => this.clear(),
        () => {
          this.listening = false;
          this.clear();
          this.listenLater();
        },
      );
      if (this.closed) return await stop();
      this.stopListening = stop;
      this.listening = true;
    } catch {
      // Not listening: every request asks the database until listening works again.
      this.listenLater();
    }
  }

  private listenLater(): void {
    if (!this.closed) setTimeout(() => void this.listen(), RELISTEN_MS).unref();
  }
}

import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { createAccount } from './accounts.repository';
import { hashPassword } from './passwords';
import type { Role } from './permissions';

const PASSWORD = 'correct horse battery staple';

/** Waits for `event`, failing with `problem` after 3 seconds. */
const within = (event: Promise<unknown>, problem: string) =>
  Promise.race([event, new Promise((_, reject) => setTimeout(() => reject(new Error(problem)), 3000))]);

/** Waits until `condition` holds, failing with `problem` after 5 seconds. */
async function until(condition: () => boolean, problem: string): Promise<void> {
  for (const started = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 20)))
    if (Date.now() - started > 5000) throw new Error(problem);
}

describe(`sessions on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    const passwordHash = await hashPassword(PASSWORD);
    const accounts: [string, Role][] = [
      ['coordinator', 'ice_juvenile_coordinator'],
      ['analyst', 'hq_analyst'],
      ['admin', 'admin'],
      ['locked', 'hq_analyst'],
    ];
    for (const [username, role] of accounts) {
      await createAccount(db, {
        username,
        displayName: username,
        passwordHash,
        roles: [role],
        fieldOfficeCode: 'HOU',
      });
    }
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const signIn = (username: string, password = PASSWORD, cookie?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password },
      headers: cookie ? { cookie } : {},
    });
  const cookieOf = (response: Awaited<ReturnType<typeof signIn>>) =>
    String(response.headers['set-cookie']).split(';')[0]!;
  /**
   * A change made outside the app (an administrator's SQL, the CLI, another process), and the moment the app hears
   * the database announce it: on PostgreSQL a notification arrives on its own connection a moment after the commit.
   */
  const changeElsewhere = async (statement: string) => {
    const heard = app.sessions.cleared();
    await db.query(statement);
    await within(heard, `no announcement of ${statement}`);
  };

  it('signs in with a session cookie that scripts cannot read and other sites cannot send', async () => {
    const response = await signIn('coordinator');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      username: 'coordinator',
      roles: ['ice_juvenile_coordinator'],
      fieldOfficeCode: 'HOU',
    });
    expect(response.json().permissions).toContain('case.read');
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^wa_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: cookieOf(response) },
    });
    expect(me.json().username).toBe('coordinator');
  });

  it('gives the same answer for an unknown user and a wrong password, and audits both', async () => {
    const unknown = await signIn('nobody');
    const wrong = await signIn('analyst', 'not the password at all');
    expect([unknown.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    const audit = await db.query<{ actor: string; result: string }>(
      `select actor, result from audit_log where action = 'session.sign_in' and actor in ('nobody', 'analyst') order by seq`,
    );
    expect(audit).toEqual([
      { actor: 'nobody', result: 'failed' },
      { actor: 'analyst', result: 'failed' },
    ]);
  });

  it('locks an account after five failures in a row, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('locked', 'wrong password again')).statusCode).toBe(401);
    const right = await signIn('locked');
    expect(right.statusCode).toBe(401);
    expect(right.json().error.message).toMatch(/locked after repeated failed sign-ins/);
  });

  it('issues a new session at every sign-in, ending the old one', async () => {
    const first = cookieOf(await signIn('analyst'));
    const second = cookieOf(await signIn('analyst', PASSWORD, first));
    expect(second).not.toBe(first);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: first } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: second } })).statusCode,
    ).toBe(200);
  });

  it('ends a session idle for 30 minutes, and keeps one in use alive without rewriting it on every request', async () => {
    const cookie = cookieOf(await signIn('analyst'));
    const read = () => app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    const lastSeen = async () =>
      (
        await db.query<{ idle: number }>(
          `select min(extract(epoch from now() - last_seen_at))::float8 as idle from sessions s
           join users u on u.id = s.user_id where u.username = 'analyst'`,
        )
      )[0]!.idle;
    await changeElsewhere(`update sessions set last_seen_at = now() - interval '20 seconds'`);
    expect((await read()).statusCode).toBe(200);
    expect(await lastSeen()).toBeGreaterThanOrEqual(19); // touched at most once a minute
    await changeElsewhere(`update sessions set last_seen_at = now() - interval '29 minutes'`);
    expect((await read()).statusCode).toBe(200);
    expect(await lastSeen()).toBeLessThan(5); // the idle clock starts again
    await changeElsewhere(`update sessions set last_seen_at = now() - interval '31 minutes'`);
    expect((await read()).statusCode).toBe(401);
  });

  it('refuses a state-changing request without the session’s CSRF token, and signs out with it', async () => {
    const response = await signIn('analyst');
    const cookie = cookieOf(response);
    const forged = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    expect(forged.statusCode).toBe(403);
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': response.json().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('lets a role reach only what it is granted: figures for an analyst, not for an admin', async () => {
    const analyst = cookieOf(await signIn('analyst'));
    const admin = cookieOf(await signIn('admin'));
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/reports/national', headers: { cookie: analyst } }))
        .statusCode,
    ).toBe(200);
    const refused = await app.inject({
      method: 'GET',
      url: '/api/v1/reports/national',
      headers: { cookie: admin },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe('Your role does not allow report.read.');
    expect((await app.inject({ method: 'GET', url: '/api/v1/reports/national' })).statusCode).toBe(401);
  });

  it('applies a changed role or office at the next request after the change is announced', async () => {
    await createAccount(db, {
      username: 'moved',
      displayName: 'moved',
      passwordHash: await hashPassword(PASSWORD),
      roles: ['hq_analyst'],
      fieldOfficeCode: 'HOU',
    });
    const cookie = cookieOf(await signIn('moved'));
    const figures = () => app.inject({ method: 'GET', url: '/api/v1/reports/national', headers: { cookie } });
    const permissions = async () =>
      (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json()
        .permissions as string[];
    expect((await figures()).statusCode).toBe(200);
    await changeElsewhere(`update users set roles = '["admin"]' where username = 'moved'`);
    expect((await figures()).statusCode).toBe(403);
    expect(await permissions()).not.toContain('report.read');
    await changeElsewhere(`update users set roles = '["hq_analyst"]' where username = 'moved'`);
    expect((await figures()).statusCode).toBe(200);
  });

  it('slows down guessing: sign-ins from one address are limited per minute', async () => {
    const strict = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 3 });
    const attempt = () =>
      strict.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'analyst', password: 'guess guess guess' },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    await strict.close();
  });

  it('writes a structured security log line for failed sign-ins, lockouts and refusals', async () => {
    const lines: Record<string, unknown>[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logged = await buildApp({ db, logLevel: 'warn', logStream, signInsPerMinute: 1000 });
    await createAccount(db, {
      username: 'watched',
      displayName: 'watched',
      passwordHash: await hashPassword(PASSWORD),
      roles: ['admin'],
    });
    for (let i = 0; i < 5; i++) {
      await logged.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'watched', password: 'wrong one' },
      });
    }
    const admin = await logged.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'admin', password: PASSWORD },
    });
    await logged.inject({
      method: 'GET',
      url: '/api/v1/reports/national',
      headers: { cookie: String(admin.headers['set-cookie']).split(';')[0]! },
    });
    const events = lines.filter((line) => line.security).map((line) => [line.security, line.actor]);
    expect(events).toEqual([
      ...Array(5).fill(['sign_in_failed', 'watched']),
      ['account_locked', 'watched'],
      ['permission_denied', 'admin'],
    ]);
    expect(lines.find((line) => line.security === 'permission_denied')).toMatchObject({
      permission: 'report.read',
      route: '/api/v1/reports/national',
    });
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
    await logged.close();
  });

  it('asks the database once for a session used again within seconds', async () => {
    let asked = 0;
    const counting: Database = {
      ...db,
      query: ((text, params, options) => {
        if (options?.prepare === 'find-session') asked++;
        return db.query(text, params, options);
      }) as Database['query'],
    };
    const counted = await buildApp({ db: counting, logLevel: 'silent' });
    try {
      const signedIn = await counted.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'analyst', password: PASSWORD },
      });
      const cookie = cookieOf(signedIn);
      for (let i = 0; i < 3; i++)
        expect(
          (await counted.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode,
        ).toBe(200);
      expect(asked).toBe(1);
    } finally {
      await counted.close();
    }
  });

  it('does not keep an answer the database gave before a change it announced meanwhile', async () => {
    const response = await signIn('analyst');
    const session = {
      account: response.json(),
      csrfToken: response.json().csrfToken,
      expiresAt: new Date(Date.now() + 60_000),
    };
    const askedAt = app.sessions.generation;
    app.sessions.clear(); // the announcement arrives while the question is on its way
    app.sessions.keep('an answer from before', session, askedAt);
    expect(app.sessions.get('an answer from before')).toBeUndefined();
    app.sessions.keep('an answer from after', session, app.sessions.generation);
    expect(app.sessions.get('an answer from after')).toBe(session);
  });

  it('ends a session here when another process signs it out', async () => {
    const other = await buildApp({ db, logLevel: 'silent' }); // a second API process on the same database
    try {
      const response = await signIn('analyst');
      const cookie = cookieOf(response);
      const read = () => app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
      expect((await read()).statusCode).toBe(200); // checked, and now believed here for a few seconds
      const heard = app.sessions.cleared();
      const out = await other.inject({
        method: 'DELETE',
        url: '/api/v1/session',
        headers: { cookie, 'x-csrf-token': response.json().csrfToken },
      });
      expect(out.statusCode).toBe(204);
      await within(heard, 'the sign-out was not announced');
      expect((await read()).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  if (testEngine === 'postgres')
    it('believes no session while it cannot hear the database, and listens again', async () => {
      const cookie = cookieOf(await signIn('analyst'));
      const read = () => app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
      expect((await read()).statusCode).toBe(200);
      await db.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and query = 'listen "whereabouts_auth_changed"'`,
      );
      await until(() => !app.sessions.isListening, 'the lost connection went unnoticed');
      try {
        // No announcement can arrive now: the change must count at the next request all the same.
        await db.query(`update users set disabled = true where username = 'analyst'`);
        expect((await read()).statusCode).toBe(401);
      } finally {
        await db.query(`update users set disabled = false where username = 'analyst'`);
      }
      await until(() => app.sessions.isListening, 'not listening again');
    });

  it('sends security headers and never a stack trace', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/session' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.body).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });
});

describe('the route table', () => {
  it('declares for every route who may call it', async () => {
    const db = await createTestDatabase();
    const app = await buildApp({ db, logLevel: 'silent' });
    await app.ready();
    const undeclared = app.routeTable.filter(
      (route) => !(route.config?.public || route.config?.permission || route.config?.feedToken),
    );
    expect(undeclared.map((route) => `${route.method} ${route.url}`)).toEqual([]);
    expect(app.routeTable.length).toBeGreaterThan(5);
    await app.close();
    await db.close();
  });

  it('refuses to start with a route that declares nothing', async () => {
    const db = await createTestDatabase();
    const app = await buildApp({ db, logLevel: 'silent' });
    app.get('/api/v1/forgotten', async () => ({ children: [] }));
    await expect(app.ready()).rejects.toThrow(/GET \/api\/v1\/forgotten/);
    await db.close();
  });
});

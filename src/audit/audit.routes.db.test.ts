import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { appendAudit } from '.';

describe(`GET /api/v1/audit on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  let auditor: { cookie: string };
  let analyst: { cookie: string };
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    auditor = await signedIn(app, db, 'auditor', 'oversight_auditor');
    analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
    await appendAudit(db, {
      actor: 'coordinator',
      action: 'case.read',
      childId: 7,
      purpose: 'fta_follow_up',
      result: 'allowed',
    });
    await appendAudit(db, {
      actor: 'coordinator',
      action: 'case.read',
      childId: 8,
      purpose: 'safety_check',
      result: 'denied',
    });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('shows auditors the entries, filtered by person and child, and audits that reading too', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?actor=coordinator&childId=8',
      headers: { cookie: auditor.cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().entries).toEqual([
      expect.objectContaining({
        actor: 'coordinator',
        childId: 8,
        purpose: 'safety_check',
        result: 'denied',
      }),
    ]);
    const [last] = await db.query(`select actor, action from audit_log order by seq desc limit 1`);
    expect(last).toEqual({ actor: 'auditor', action: 'audit.read' });
  });

  it('pages through a person’s entries, newest first, with a cursor', async () => {
    const page = (query: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v1/audit?actor=coordinator&limit=1${query}`,
        headers: { cookie: auditor.cookie },
      });
    const first = (await page('')).json();
    expect(first.entries.map((e: { childId: number }) => e.childId)).toEqual([8]);
    const second = (await page(`&before=${first.nextCursor}`)).json();
    expect(second.entries.map((e: { childId: number }) => e.childId)).toEqual([7]);
    const third = (await page(`&before=${second.nextCursor}`)).json();
    expect(third).toEqual({ entries: [], nextCursor: null });
  });

  it('is closed to roles without audit.read', async () => {
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: analyst.cookie } }))
        .statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
  });

  it('refuses malformed filters instead of passing them to the database', async () => {
    for (const query of ['childId=abc', 'from=yesterday', 'limit=100000', `actor=${'x'.repeat(200)}`]) {
      expect(
        (
          await app.inject({
            method: 'GET',
            url: `/api/v1/audit?${query}`,
            headers: { cookie: auditor.cookie },
          })
        ).statusCode,
        query,
      ).toBe(400);
    }
  });
});

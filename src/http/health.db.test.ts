import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from './app';

describe(`GET /healthz on ${testEngine}`, () => {
  it('answers 200 with the engine while the database is reachable', async () => {
    const db = await createTestDatabase();
    const app = await buildApp({ db, logLevel: 'silent' });
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', engine: testEngine });
    await app.close();
    await db.close();
  });

  it('answers 503 once the database is gone', async () => {
    const db = await createTestDatabase();
    const app = await buildApp({ db, logLevel: 'silent' });
    await db.close();
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', engine: testEngine });
    await app.close();
  });
});

describe('opening PostgreSQL', () => {
  it('refuses to open a database that does not answer, with a message naming PostgreSQL', async () => {
    await expect(
      openDatabase({ engine: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' }),
    ).rejects.toThrow(/Cannot reach PostgreSQL/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedToken, revokeFeedToken } from '../auth';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { generateCaseload } from '../synth';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-delivery-test-'));
generateCaseload({ children: 200, seed: 8, out: workDir });
const releases = fs.readFileSync(path.join(workDir, 'feeds', 'orr', 'orr_releases_v1.csv'), 'utf8');
const releaseRows = releases.trim().split('\n').length - 1;

describe(`POST /api/v1/feeds/{source} on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  let orrToken: string;
  let iceToken: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', maxDeliveryBytes: 200_000 });
    orrToken = (await createFeedToken(db, 'orr', 'test')).token;
    iceToken = (await createFeedToken(db, 'ice', 'test')).token;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const deliver = (
    token: string | undefined,
    body: string,
    contentType = 'text/csv',
    file = 'orr_releases_v1_2024-03-01.csv',
    source = 'orr',
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/feeds/${source}?file=${file}`,
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });

  it('stores a delivery through the same pipeline as a file, with the same summary', async () => {
    const response = await deliver(orrToken, releases);
    expect(response.statusCode, response.body).toBe(200);
    const summary = response.json();
    expect(summary).toMatchObject({
      rejected: 0,
      batches: [{ file: 'orr_releases_v1_2024-03-01.csv', source: 'orr', kind: 'orr_releases' }],
    });
    expect(summary.accepted + summary.duplicates).toBe(releaseRows);
    const again = await deliver(orrToken, releases);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: releaseRows });
  });

  it.each([
    ['no token', undefined],
    ['a made-up token', 'wa_orr_not-a-real-token'],
  ])('answers 401 to %s, storing nothing', async (_case, token) => {
    const [before] = await db.query<{ n: number }>('select count(*)::int as n from ingest_batches');
    const response = await deliver(token, releases);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
    const [after] = await db.query<{ n: number }>('select count(*)::int as n from ingest_batches');
    expect(after).toEqual(before);
  });

  it('answers 401 to a revoked token', async () => {
    const created = await createFeedToken(db, 'orr', 'to revoke');
    await revokeFeedToken(db, created.id);
    expect((await deliver(created.token, releases)).statusCode).toBe(401);
  });

  it('answers 403 when a token of one source delivers for another', async () => {
    const response = await deliver(iceToken, releases);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toBe('This token delivers for ice, not orr.');
  });

  it('answers 415 to a body that is not CSV or JSON Lines', async () => {
    const r = await deliver(orrToken, '{"a":1}', 'application/json');
    expect(r.statusCode).toBe(415);
  });

  it('answers 413 to a delivery over the size limit', async () => {
    const huge = releases + releases.split('\n').slice(1).join('\n').repeat(5);
    expect(huge.length).toBeGreaterThan(200_000);
    const r = await deliver(orrToken, huge);
    expect(r.statusCode).toBe(413);
  });

  it('refuses a delivery whose name and header match no format, naming what was expected', async () => {
    const response = await deliver(orrToken, 'id,name\n1,x\n', 'text/csv', 'releases.csv');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/releases\.csv: not a known feed format/);
  });
});

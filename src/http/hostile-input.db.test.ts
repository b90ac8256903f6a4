import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import { addReleasedChild } from '../cases/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from './app';

/** Texts people (and attackers) put in search boxes: SQL and pattern injection, odd Unicode, huge inputs. */
const HOSTILE = [
  "' or '1'='1",
  "'; drop table children; --",
  '1) union select password_hash from users --',
  '%',
  '_',
  '\\',
  '"',
  '$1',
  "A-123'--",
  '{n:lopez}',
  'n:lopez',
  '*',
  '.*',
  '(((((',
  'ñ̃̃̃̃',
  '\u0000',
  '\u202e\u0041',
  '😀 García',
  'İ ı ß ﬁ',
  'a'.repeat(201),
  `${'lopez '.repeat(60)}`,
];

/** Any bytes at all, percent-encoded: invalid UTF-8 included. */
const encodeBytes = (bytes: Uint8Array) =>
  [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const encodeText = (text: string) => encodeBytes(new Uint8Array(Buffer.from(text, 'utf8')));

const anyValue = fc.oneof(
  fc.constantFrom(...HOSTILE).map(encodeText),
  fc.string({ unit: 'binary', maxLength: 300 }).map(encodeText),
  fc.string({ unit: 'grapheme', minLength: 150, maxLength: 400 }).map(encodeText),
  fc.uint8Array({ maxLength: 80 }).map(encodeBytes),
  fc.integer().map(String),
  fc.double().map(String),
);

/** What must never appear in an error: database messages, SQL, stack traces. */
const LEAKS = /syntax error|relation "|column "|select .* from|pg_|postgres|pglite|at \w+ \(|\.ts:\d+/i;

describe(`hostile input to every search parameter on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  let cookie: string;
  let auditor: string;
  let childId: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', searchesPerMinute: 1_000_000, signInsPerMinute: 1000 });
    childId = await addReleasedChild(db, {
      givenNames: 'Ana María',
      surnames: 'López Tzul',
      aNumber: '012345678',
      orrId: 'UC00000101',
      sponsorName: 'Rosa Tzul',
      address: '4010 Walnut Ave Apt 609, Houston, TX 77085',
    });
    cookie = (await signedIn(app, db, 'orr', 'orr_case_manager')).cookie;
    auditor = (await signedIn(app, db, 'auditor', 'oversight_auditor')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const PARAMETERS: { route: string; parameter: string; rest: string; who: () => string }[] = [
    { route: '/api/v1/children/:id', parameter: 'note', rest: 'purpose=other&', who: () => cookie },
    { route: '/api/v1/children/:id', parameter: 'purpose', rest: '', who: () => cookie },
    { route: '/api/v1/children', parameter: 'q', rest: '', who: () => cookie },
    { route: '/api/v1/children', parameter: 'cursor', rest: 'q=lopez&', who: () => cookie },
    { route: '/api/v1/children', parameter: 'limit', rest: 'q=lopez&', who: () => cookie },
    { route: '/api/v1/addresses', parameter: 'cursor', rest: '', who: () => cookie },
    { route: '/api/v1/addresses', parameter: 'office', rest: '', who: () => cookie },
    { route: '/api/v1/risk/places', parameter: 'cursor', rest: '', who: () => cookie },
    {
      route: '/api/v1/children/:id/notices/address_confirmation',
      parameter: 'lang',
      rest: '',
      who: () => cookie,
    },
    { route: '/api/v1/audit', parameter: 'actor', rest: '', who: () => auditor },
    { route: '/api/v1/audit', parameter: 'childId', rest: '', who: () => auditor },
    { route: '/api/v1/audit', parameter: 'from', rest: '', who: () => auditor },
    { route: '/api/v1/audit', parameter: 'to', rest: '', who: () => auditor },
    { route: '/api/v1/audit', parameter: 'limit', rest: '', who: () => auditor },
  ];

  for (const { route, parameter, rest, who } of PARAMETERS) {
    it(`answers ${route}?${parameter}= with 200 or 400, never a server error or SQL`, async () => {
      await fc.assert(
        fc.asyncProperty(anyValue, async (value) => {
          const response = await app.inject({
            method: 'GET',
            url: `${route.replace(':id', String(childId))}?${rest}${parameter}=${value}`,
            headers: { cookie: who() },
          });
          expect([200, 400], `${parameter}=${value}: ${response.body.slice(0, 500)}`).toContain(
            response.statusCode,
          );
          // An answer may quote what was searched (the audit log does); an error must not show the database's words.
          if (response.statusCode !== 200) expect(response.body).not.toMatch(LEAKS);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('still finds the child after all that, and the tables are all there', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/children?q=lopez',
      headers: { cookie },
    });
    expect(response.json().children).toHaveLength(1);
  });

  it('refuses a search text longer than 200 characters or with control characters', async () => {
    for (const q of ['a'.repeat(201), 'lopez%00', 'lo%0Apez']) {
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/children?q=${q}`,
        headers: { cookie },
      });
      expect(response.statusCode, q).toBe(400);
    }
  });

  it('answers any username at sign-in with 400 or 401, never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 120 })),
        async (username) => {
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/session',
            payload: { username, password: 'not the password' },
          });
          expect([400, 401], response.body.slice(0, 300)).toContain(response.statusCode);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a request body over the size limit', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'x', password: 'y'.repeat(2 * 1024 * 1024) },
    });
    expect(response.statusCode).toBe(413);
  });
});

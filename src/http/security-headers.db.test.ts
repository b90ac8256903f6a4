import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from './app';
import { securityHeaders } from './security-headers';

/** The headers @fastify/helmet (which the app registered before) sets with its defaults, on a bare server. */
async function fastifyHelmetHeaders(): Promise<Record<string, string>> {
  const reference = Fastify();
  await reference.register(fastifyHelmet);
  reference.get('/', async () => 'ok');
  const response = await reference.inject({ method: 'GET', url: '/' });
  await reference.close();
  const names = securityHeaders().map(([name]) => name.toLowerCase());
  return Object.fromEntries(names.map((name) => [name, String(response.headers[name])]));
}

describe(`security headers on ${testEngine}`, () => {
  it('are the ones @fastify/helmet sets, on routes, errors and unknown paths alike', async () => {
    const expected = await fastifyHelmetHeaders();
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining([
        'content-security-policy',
        'strict-transport-security',
        'x-frame-options',
        'x-content-type-options',
        'referrer-policy',
        'cross-origin-opener-policy',
      ]),
    );
    expect(expected['content-security-policy']).toContain("default-src 'self'");
    const db = await createTestDatabase();
    const app = await buildApp({ db, logLevel: 'silent' });
    try {
      for (const url of ['/healthz', '/api/v1/children/1?purpose=other', '/no/such/path']) {
        const response = await app.inject({ method: 'GET', url });
        for (const [name, value] of Object.entries(expected)) {
          expect(response.headers[name], `${name} on ${url} (${response.statusCode})`).toBe(value);
        }
      }
    } finally {
      await app.close();
      await db.close();
    }
  });
});

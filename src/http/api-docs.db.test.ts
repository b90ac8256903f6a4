import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from './app';

describe(`the API's own description on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('documents every /api/v1 route with a summary, a tag and the shared error body', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const routes = app.routeTable
      .filter((route) => route.url.startsWith('/api/v1/'))
      .flatMap((route) =>
        [route.method]
          .flat()
          .filter((m) => m !== 'HEAD')
          .map((m) => `${m} ${route.url}`),
      );
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        ),
    );
    expect(routes.length).toBeGreaterThan(10);
    expect(documented.sort()).toEqual(expect.arrayContaining(routes.sort()));
    type Operation = { summary?: string; tags?: string[]; responses: Record<string, unknown> };
    for (const [path, operations] of Object.entries(
      document.paths as Record<string, Record<string, Operation>>,
    )) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(operation.tags, `${method} ${path}`).toHaveLength(1);
        const error = operation.responses['4XX'] ?? operation.responses['4xx'];
        expect(error, `${method} ${path}`).toBeDefined();
        expect(JSON.stringify(error)).toContain('"code"');
      }
    }
  });

  it('answers a refused request with the documented error body', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/reports/national' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    const invalid = await app.inject({ method: 'GET', url: '/api/v1/children/abc?purpose=other' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({
      code: 'input_invalid',
      details: [expect.objectContaining({ place: expect.any(String), problem: expect.any(String) })],
    });
  });

  it('shows no government banner unless the deployment switches it on', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/deployment' })).json()).toEqual({
      banner: 'none',
    });
    const federal = await buildApp({ db, logLevel: 'silent', banner: 'us-government' });
    expect((await federal.inject({ method: 'GET', url: '/api/v1/deployment' })).json()).toEqual({
      banner: 'us-government',
    });
    await federal.close();
  });
});

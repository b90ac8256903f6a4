import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase } from '../db/testing';
import { buildApp } from './app';
import { WEB_ROOT } from './web';

describe('the web app shell', () => {
  let db: Database;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    expect(fs.existsSync(path.join(WEB_ROOT, 'index.html')), 'run `npm run build:web` first').toBe(true);
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('is served from / with the project name and its script', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('<title>Whereabouts</title>');
    expect(response.body).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
  });

  it('answers a deep link with the same shell, so client-side routes survive a reload', async () => {
    const response = await app.inject({ method: 'GET', url: '/queue/ATL?overdue=1' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<div id="root"></div>');
  });

  it('answers an unknown API path with a JSON 404, not the shell', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /api/v1/nothing-here' },
    });
  });

  it('publishes the OpenAPI document generated from the route schemas', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(
      document.paths['/healthz'].get.responses['200'].content['application/json'].schema.properties.engine
        .enum,
    ).toEqual(['pglite', 'postgres']);
  });
});

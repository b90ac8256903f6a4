import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcSettings } from '../config';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { createAccount } from './accounts.repository';

const REDIRECT_URI = 'http://whereabouts.test/api/v1/session/oidc/callback';

/** People at the agency's identity provider, with the claims it sends about them. */
const PEOPLE: Record<string, Record<string, unknown>> = {
  'maria.ice': { name: 'María Ice', roles: ['ICE-JUV-HOU', 'ICE-ALL-STAFF'], field_office: 'HOU' },
  'omar.orr': { name: 'Omar ORR', roles: ['ORR-CM'] },
  'nobody.special': { name: 'No Role', roles: ['ICE-ALL-STAFF'] },
  'local-admin': { name: 'Impostor', roles: ['ORR-CM'] },
};

/** A real OpenID provider (oidc-provider) on a random port of this machine, with its development login pages. */
async function startProvider(): Promise<{ issuer: string; close(): Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'whereabouts',
        client_secret: 'a client secret of enough length',
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: ['test cookie signing key'] },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'roles', 'field_office'] },
    findAccount: async (_context: unknown, id: string) =>
      PEOPLE[id] && {
        accountId: id,
        claims: async () => ({ sub: `sub-${id}`, preferred_username: id, ...PEOPLE[id] }),
      },
  });
  server.on('request', provider.callback());
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A browser's part, without the browser: follows the provider's redirects with its cookies, logs in as `who` and
 * consents on the development pages, and returns the URL the provider finally sends back to Whereabouts.
 */
async function signInAtProvider(authorizationUrl: string, who: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
      ...(body ? { body } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=');
      jar.set(name!, value ?? '');
    }
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URI)) return next;
      url = next.href;
      continue;
    }
    const page = await response.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (!prompt) throw new Error(`unexpected page at ${url}: ${page.slice(0, 300)}`);
    body = new URLSearchParams(prompt === 'login' ? { prompt, login: who, password: 'any' } : { prompt });
  }
  throw new Error('the provider never sent the browser back');
}

describe(`sign-in through an OpenID Connect provider on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  beforeAll(async () => {
    provider = await startProvider();
    db = await createTestDatabase();
    const oidc: OidcSettings = {
      issuer: provider.issuer,
      clientId: 'whereabouts',
      clientSecret: 'a client secret of enough length',
      redirectUri: REDIRECT_URI,
      scopes: 'openid profile',
      usernameClaim: 'preferred_username',
      roleClaim: 'roles',
      officeClaim: 'field_office',
      roleMap: { 'ICE-JUV-HOU': 'ice_juvenile_coordinator', 'ORR-CM': 'orr_case_manager' },
    };
    app = await buildApp({ db, logLevel: 'silent', oidc });
    await createAccount(db, {
      username: 'local-admin',
      displayName: 'Local admin',
      passwordHash: 'not-a-real-hash',
      roles: ['admin'],
    });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await provider.close();
  });

  /** start → provider → callback: the callback's response and the cookie the start set. */
  async function signInAs(who: string, tamper?: (callback: URL) => void) {
    const start = await app.inject({ method: 'GET', url: '/api/v1/session/oidc/start?returnTo=/children' });
    expect(start.statusCode).toBe(302);
    const pendingCookie = String(start.headers['set-cookie']).split(';')[0]!;
    const callback = await signInAtProvider(String(start.headers.location), who);
    tamper?.(callback);
    return app.inject({
      method: 'GET',
      url: `${callback.pathname}${callback.search}`,
      headers: { cookie: pendingCookie },
    });
  }

  it('sends the browser to the provider with PKCE, state and nonce, remembering them in a Lax cookie', async () => {
    const start = await app.inject({ method: 'GET', url: '/api/v1/session/oidc/start' });
    const location = new URL(String(start.headers.location));
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    for (const parameter of ['code_challenge', 'state', 'nonce']) {
      expect(location.searchParams.get(parameter)).toMatch(/^[\w-]{20,}$/);
    }
    expect(String(start.headers['set-cookie'])).toMatch(/^wa_oidc=.*HttpOnly.*SameSite=Lax/);
  });

  it('signs a person in with the roles and office the provider states, like a local sign-in, and audits it', async () => {
    const callback = await signInAs('maria.ice');
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/children');
    const cookie = [callback.headers['set-cookie']]
      .flat()
      .find((header) => String(header).startsWith('wa_session='));
    expect(cookie).toMatch(/HttpOnly.*SameSite=Strict/);
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: String(cookie).split(';')[0]! },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      username: 'maria.ice',
      displayName: 'María Ice',
      roles: ['ice_juvenile_coordinator'],
      fieldOfficeCode: 'HOU',
    });
    const [entry] = await db.query(
      `select actor, result, detail->>'method' as method from audit_log where action = 'session.sign_in' order by seq desc limit 1`,
    );
    expect(entry).toEqual({ actor: 'maria.ice', result: 'succeeded', method: 'oidc' });
  });

  it('refuses a person the role map gives no role', async () => {
    const callback = await signInAs('nobody.special');
    expect(callback.statusCode).toBe(403);
    expect(callback.json().error.message).toMatch(/no role in Whereabouts/);
  });

  it('does not let the provider take over a local account of the same name', async () => {
    const callback = await signInAs('local-admin');
    expect(callback.statusCode).toBe(403);
    const [account] = await db.query(`select roles from users where username = 'local-admin'`);
    expect(account).toEqual({ roles: ['admin'] });
  });

  it('refuses a callback whose state is not the one it sent, and audits the failure', async () => {
    const callback = await signInAs('omar.orr', (url) => url.searchParams.set('state', 'forged-state'));
    expect(callback.statusCode).toBe(401);
    expect(callback.headers['set-cookie']).not.toMatch(/wa_session=[\w-]/);
    const [entry] = await db.query(
      `select result, detail->>'method' as method from audit_log where action = 'session.sign_in' order by seq desc limit 1`,
    );
    expect(entry).toEqual({ result: 'failed', method: 'oidc' });
  });

  it('refuses a callback without the cookie of a sign-in in progress', async () => {
    const callback = await app.inject({
      method: 'GET',
      url: '/api/v1/session/oidc/callback?code=abc&state=def',
    });
    expect(callback.statusCode).toBe(401);
  });

  it('does not redirect anywhere but this site after signing in', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', 'javascript:alert(1)']) {
      const start = await app.inject({
        method: 'GET',
        url: `/api/v1/session/oidc/start?returnTo=${encodeURIComponent(returnTo)}`,
      });
      expect(start.statusCode, returnTo).toBe(400);
    }
  });

  it('is off when no provider is configured', async () => {
    const plain = await buildApp({ db, logLevel: 'silent' });
    expect((await plain.inject({ method: 'GET', url: '/api/v1/session/oidc/start' })).statusCode).toBe(404);
    await plain.close();
  });
});

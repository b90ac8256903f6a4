import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_GRANTS, ROLES, type Role } from '../auth/permissions';
import { signedIn, TEST_PASSWORD } from '../auth/testing';
import { addReleasedChild } from '../cases/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { addReviewPair } from '../identity/testing';
import { loadPolicy, runSweep } from '../monitoring';
import { buildApp } from './app';

/**
 * The authorization matrix: every route in app.routeTable × every role (and no session) × a child of the
 * person's own field office and one of another office → the expected answer. A route that is not in EXPECTED
 * fails the test, so a new route cannot land without saying who may call it and what the others get.
 *
 * Office-scoped roles sign in at Houston (HOU); `own` is a Houston child, `other` an Atlanta one. For roles
 * without an office (nationwide or none) the two children are simply two children.
 */
type Who = Role | 'signed_out';
const WHO: readonly Who[] = [...ROLES, 'signed_out'];

/** A status, or a status and what the body showed (e.g. `200 found`), for one person and one child. */
type Outcome = string | number;
interface RouteExpectation {
  /** The request to make, as this person, about this child (own or other scope). */
  request(context: { child: Child; who: Who; session: Session | undefined }): InjectOptions;
  /** One outcome for both children, or one for each when the route is about one child. */
  expected: Record<Who, Outcome | { own: Outcome; other: Outcome }>;
  /** Adds what the body showed to the status, for routes whose answer differs by scope inside a 200. */
  describe?(response: LightMyRequestResponse, child: Child): string;
  /** The request ends the session: make a fresh one for it. */
  endsSession?: boolean;
}
interface Child {
  id: number;
  aNumber: string;
  /** A pending identity-review pair about the child. */
  reviewPair: number;
  /** One of the tasks the monitoring sweep opened for the child. */
  task: number;
}
interface Session {
  cookie: string;
  csrfToken: string;
  username: string;
}

const everyone = (outcome: Outcome): RouteExpectation['expected'] =>
  Object.fromEntries(WHO.map((who) => [who, outcome])) as RouteExpectation['expected'];
const withSession = (session: Session | undefined, extra: Record<string, string> = {}) =>
  session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...extra } : extra;

const EXPECTED: Record<string, RouteExpectation> = {
  'GET /healthz': { request: () => ({ url: '/healthz' }), expected: everyone(200) },
  'POST /api/v1/session': {
    // Signing in is public: each person with the right password gets in, a stranger does not.
    request: ({ session }) => ({
      url: '/api/v1/session',
      payload: { username: session?.username ?? 'nobody', password: TEST_PASSWORD },
    }),
    expected: { ...everyone(200), signed_out: 401 },
  },
  'GET /api/v1/session': {
    request: ({ session }) => ({ url: '/api/v1/session', headers: withSession(session) }),
    expected: { ...everyone(200), signed_out: 401 },
  },
  'DELETE /api/v1/session': {
    endsSession: true,
    request: ({ session }) => ({ url: '/api/v1/session', headers: withSession(session) }),
    expected: { ...everyone(204), signed_out: 401 },
  },
  // Sign-in through an identity provider is public, and off (404) in this app: src/auth/oidc.db.test.ts runs it.
  'GET /api/v1/session/oidc/start': {
    request: () => ({ url: '/api/v1/session/oidc/start' }),
    expected: everyone(404),
  },
  'GET /api/v1/session/oidc/callback': {
    request: () => ({ url: '/api/v1/session/oidc/callback?code=a&state=b' }),
    expected: everyone(404),
  },
  'GET /api/v1/reports/national': {
    request: ({ session }) => ({ url: '/api/v1/reports/national', headers: withSession(session) }),
    expected: { ...everyone(200), admin: 403, signed_out: 401 },
  },
  'GET /api/v1/reports/national.csv': {
    request: ({ session }) => ({ url: '/api/v1/reports/national.csv', headers: withSession(session) }),
    expected: { ...everyone(200), admin: 403, signed_out: 401 },
  },
  'GET /api/v1/reports/trends': {
    request: ({ session }) => ({ url: '/api/v1/reports/trends', headers: withSession(session) }),
    expected: { ...everyone(200), admin: 403, signed_out: 401 },
  },
  'GET /api/v1/reports/by-state': {
    request: ({ session }) => ({ url: '/api/v1/reports/by-state', headers: withSession(session) }),
    expected: { ...everyone(200), admin: 403, signed_out: 401 },
  },
  'GET /api/v1/reports/field-offices': {
    request: ({ session }) => ({ url: '/api/v1/reports/field-offices', headers: withSession(session) }),
    expected: { ...everyone(200), admin: 403, signed_out: 401 },
  },
  // The children behind a figure: names, so only for those who may list them, and only their own office's.
  'GET /api/v1/reports/figures/:figure/children': {
    request: ({ session }) => ({
      url: '/api/v1/reports/figures/released/children?limit=500',
      headers: withSession(session),
    }),
    describe: (response, child) =>
      response.json().children.some((listed: { id: number }) => listed.id === child.id)
        ? 'found'
        : 'not found',
    expected: {
      ...everyone(403),
      field_office_supervisor: { own: '200 found', other: '200 not found' },
      signed_out: 401,
    },
  },
  'GET /api/v1/reports/figures/:figure/children.csv': {
    request: ({ session }) => ({
      url: '/api/v1/reports/figures/released/children.csv',
      headers: withSession(session),
    }),
    describe: (response, child) => (response.body.includes(child.aNumber) ? 'found' : 'not found'),
    expected: {
      ...everyone(403),
      field_office_supervisor: { own: '200 found', other: '200 not found' },
      signed_out: 401,
    },
  },
  'GET /api/v1/deployment': { request: () => ({ url: '/api/v1/deployment' }), expected: everyone(200) },
  'GET /api/v1/children/:id': {
    request: ({ session, child }) => ({
      url: `/api/v1/children/${child.id}?purpose=supervision_review`,
      headers: withSession(session),
    }),
    expected: {
      orr_case_manager: { own: 200, other: 200 },
      ice_juvenile_coordinator: { own: 200, other: 404 },
      field_office_supervisor: { own: 200, other: 404 },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'GET /api/v1/children': {
    request: ({ session, child }) => ({
      url: `/api/v1/children?q=A-${child.aNumber}`,
      headers: withSession(session),
    }),
    describe: (response) => (response.json().children.length > 0 ? 'found' : 'not found'),
    expected: {
      orr_case_manager: { own: '200 found', other: '200 found' },
      ice_juvenile_coordinator: { own: '200 found', other: '200 not found' },
      field_office_supervisor: { own: '200 found', other: '200 not found' },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'GET /api/v1/review-pairs': {
    request: ({ session }) => ({ url: '/api/v1/review-pairs?limit=200', headers: withSession(session) }),
    describe: (response, child) =>
      response.json().pairs.some((pair: { id: number }) => pair.id === child.reviewPair)
        ? 'found'
        : 'not found',
    expected: {
      orr_case_manager: { own: '200 found', other: '200 found' },
      ice_juvenile_coordinator: 403,
      field_office_supervisor: { own: '200 found', other: '200 not found' },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'POST /api/v1/review-pairs/:id/decision': {
    request: ({ session, child }) => ({
      url: `/api/v1/review-pairs/${child.reviewPair}/decision`,
      headers: withSession(session),
      payload: { decision: 'different' },
    }),
    expected: {
      orr_case_manager: { own: 200, other: 200 },
      ice_juvenile_coordinator: 403,
      field_office_supervisor: { own: 200, other: 404 },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'GET /api/v1/tasks': {
    request: ({ session }) => ({ url: '/api/v1/tasks?limit=200', headers: withSession(session) }),
    describe: (response, child) =>
      response.json().tasks.some((task: { childId: number }) => task.childId === child.id)
        ? 'found'
        : 'not found',
    expected: {
      orr_case_manager: { own: '200 found', other: '200 found' },
      ice_juvenile_coordinator: { own: '200 found', other: '200 not found' },
      field_office_supervisor: { own: '200 found', other: '200 not found' },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'GET /api/v1/tasks/:id': {
    request: ({ session, child }) => ({ url: `/api/v1/tasks/${child.task}`, headers: withSession(session) }),
    expected: {
      orr_case_manager: { own: 200, other: 200 },
      ice_juvenile_coordinator: { own: 200, other: 404 },
      field_office_supervisor: { own: 200, other: 404 },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'POST /api/v1/tasks/:id/assign': {
    request: ({ session, child }) => ({
      url: `/api/v1/tasks/${child.task}/assign`,
      headers: withSession(session),
      payload: { assignee: session?.username ?? 'nobody' },
    }),
    expected: {
      ...everyone(403),
      field_office_supervisor: { own: 200, other: 404 },
      signed_out: 401,
    },
  },
  'POST /api/v1/tasks/assign': {
    request: ({ session, child }) => ({
      url: '/api/v1/tasks/assign',
      headers: withSession(session),
      payload: { taskIds: [child.task], assignee: session?.username ?? 'nobody' },
    }),
    expected: {
      ...everyone(403),
      field_office_supervisor: { own: 200, other: 404 },
      signed_out: 401,
    },
  },
  'POST /api/v1/tasks/:id/state': {
    // Releasing a task nobody has started is a conflict (409) once the person may touch the task. Routes run
    // in order: the supervisor has just assigned the own-office task to themself, so the others may not work it.
    request: ({ session, child }) => ({
      url: `/api/v1/tasks/${child.task}/state`,
      headers: withSession(session),
      payload: { action: 'release' },
    }),
    expected: {
      orr_case_manager: { own: 403, other: 409 },
      ice_juvenile_coordinator: { own: 403, other: 404 },
      field_office_supervisor: { own: 409, other: 404 },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'POST /api/v1/children/:id/outcomes': {
    request: ({ session, child }) => ({
      url: `/api/v1/children/${child.id}/outcomes`,
      headers: withSession(session),
      payload: { outcome: { kind: 'contact_made', method: 'phone' } },
    }),
    expected: {
      orr_case_manager: { own: 201, other: 201 },
      ice_juvenile_coordinator: { own: 201, other: 404 },
      field_office_supervisor: { own: 201, other: 404 },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'GET /api/v1/alerts': {
    request: ({ session, child }) => ({
      url: `/api/v1/alerts?child=${child.id}`,
      headers: withSession(session),
    }),
    describe: (response) => (response.json().alerts.length > 0 ? 'found' : 'not found'),
    expected: {
      orr_case_manager: { own: '200 found', other: '200 found' },
      ice_juvenile_coordinator: { own: '200 found', other: '200 not found' },
      field_office_supervisor: { own: '200 found', other: '200 not found' },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  // Worklists of children's addresses and shared places: case roles, each bounded to what it may read (the
  // routes' own tests check the rows: src/cases/address-worklist.routes.db.test.ts, src/monitoring/places.routes.db.test.ts).
  'GET /api/v1/addresses': {
    request: ({ session }) => ({ url: '/api/v1/addresses?limit=200', headers: withSession(session) }),
    expected: {
      ...everyone(403),
      orr_case_manager: 200,
      ice_juvenile_coordinator: 200,
      field_office_supervisor: 200,
      signed_out: 401,
    },
  },
  'GET /api/v1/risk/places': {
    request: ({ session }) => ({ url: '/api/v1/risk/places', headers: withSession(session) }),
    expected: {
      ...everyone(403),
      orr_case_manager: 200,
      ice_juvenile_coordinator: 200,
      field_office_supervisor: 200,
      signed_out: 401,
    },
  },
  'POST /api/v1/tips': {
    // A name no child here has: the tip is stored and matched, and opens no task that later rows would see.
    request: ({ session }) => ({
      url: '/api/v1/tips',
      headers: withSession(session),
      payload: { channel: 'hotline', said: 'A boy sleeps in the bus station', childName: 'Zebedeo' },
    }),
    expected: {
      ...everyone(403),
      orr_case_manager: 201,
      ice_juvenile_coordinator: 201,
      field_office_supervisor: 201,
      signed_out: 401,
    },
  },
  'GET /api/v1/children/:id/notices/:kind': {
    request: ({ session, child }) => ({
      url: `/api/v1/children/${child.id}/notices/address_confirmation?lang=es`,
      headers: withSession(session),
    }),
    expected: {
      orr_case_manager: { own: 200, other: 200 },
      ice_juvenile_coordinator: { own: 200, other: 404 },
      field_office_supervisor: { own: 200, other: 404 },
      hq_analyst: 403,
      oversight_auditor: 403,
      admin: 403,
      signed_out: 401,
    },
  },
  'GET /api/v1/audit': {
    request: ({ session, child }) => ({
      url: `/api/v1/audit?childId=${child.id}`,
      headers: withSession(session),
    }),
    expected: { ...everyone(403), oversight_auditor: 200, signed_out: 401 },
  },
  'POST /api/v1/feeds/:source': {
    // Feed deliveries take a feed token, never a person's session.
    request: ({ session }) => ({
      url: '/api/v1/feeds/orr?file=orr_releases_v1.csv',
      headers: withSession(session, { 'content-type': 'text/csv' }),
      payload: 'orr_case_id\n',
    }),
    expected: everyone(401),
  },
};

/** The API documentation is public and the same for everyone: one rule for its routes. */
const PUBLIC_DOCS = /^\/api\/docs(\/|$)/;

const keyOf = (method: string, url: string) => `${method} ${url}`;

describe(`the authorization matrix on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  let routes: { method: string; url: string }[];
  const sessions = new Map<Who, Session>();
  let own: Child;
  let other: Child;
  beforeAll(async () => {
    db = await createTestDatabase();
    const noWebApp = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-no-web-'));
    app = await buildApp({
      db,
      logLevel: 'silent',
      webRoot: noWebApp,
      signInsPerMinute: 10_000,
      searchesPerMinute: 10_000,
    });
    await app.ready();
    routes = app.routeTable.flatMap((route) =>
      [route.method].flat().map((method) => ({ method: String(method), url: route.url })),
    );
    own = await childAt('4010 Walnut Ave Apt 609, Houston, TX 77085', '100000001');
    other = await childAt('1500 Moreland Ave SE, Atlanta, GA 30316', '100000002');
    // Released long ago with no NTA and no contact since: the sweep opens alerts and tasks for both.
    await runSweep(db, loadPolicy());
    for (const child of [own, other]) {
      const [task] = await db.query<{ id: number }>(
        'select id from tasks where child_id = $1 order by id limit 1',
        [child.id],
      );
      child.task = Number(task!.id);
    }
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  async function childAt(address: string, aNumber: string): Promise<Child> {
    const id = await addReleasedChild(db, {
      givenNames: 'Ana',
      surnames: 'Matrix',
      aNumber,
      orrId: `UC${aNumber}`,
      sponsorName: 'Rosa Matrix',
      address,
    });
    return { id, aNumber, reviewPair: await addReviewPair(db, id), task: 0 };
  }

  let accounts = 0;
  /** One account and session per person, and a fresh one for a request that ends it. */
  async function sessionFor(who: Who, fresh = false): Promise<Session | undefined> {
    if (who === 'signed_out') return undefined;
    const known = sessions.get(who);
    if (known && !fresh) return known;
    const username = `${who}-${++accounts}`;
    const office = ROLE_GRANTS[who].scope === 'own_office' ? 'HOU' : null;
    const session = { ...(await signedIn(app, db, username, who, office)), username };
    if (!fresh) sessions.set(who, session);
    return session;
  }

  it('has an expectation for every route, and no expectation for a route that is gone', () => {
    const declared = routes
      .filter((route) => route.method !== 'HEAD' && !PUBLIC_DOCS.test(route.url))
      .map((route) => keyOf(route.method, route.url));
    const missing = declared.filter((key) => !EXPECTED[key]);
    expect(missing, 'add these routes to EXPECTED in src/http/authorization-matrix.db.test.ts').toEqual([]);
    expect(Object.keys(EXPECTED).filter((key) => !declared.includes(key))).toEqual([]);
  });

  it('answers each route as expected for each person and each scope', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      if (PUBLIC_DOCS.test(route.url)) continue;
      // HEAD is GET without a body: the same rule, the same status.
      const key = keyOf(route.method === 'HEAD' ? 'GET' : route.method, route.url);
      const rule = EXPECTED[key];
      if (!rule) continue; // reported by the test above
      for (const who of WHO) {
        for (const [scope, child] of [
          ['own', own],
          ['other', other],
        ] as const) {
          const session = await sessionFor(who, rule.endsSession);
          const response = await app.inject({
            method: route.method as InjectOptions['method'],
            ...rule.request({ child, who, session }),
          });
          const expectedCell = rule.expected[who];
          const expected = String(typeof expectedCell === 'object' ? expectedCell[scope] : expectedCell);
          const shown =
            rule.describe && response.statusCode === 200 && route.method !== 'HEAD'
              ? `${response.statusCode} ${rule.describe(response, child)}`
              : String(response.statusCode);
          const wanted = route.method === 'HEAD' ? expected.split(' ')[0]! : expected;
          if (shown !== wanted) {
            mismatches.push(
              `${route.method} ${route.url} as ${who}, ${scope} child: got ${shown}, expected ${wanted}`,
            );
          }
          if (response.statusCode >= 500) mismatches.push(`${route.method} ${route.url}: ${response.body}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('serves the public documentation to everyone alike', async () => {
    const docs = routes.filter((route) => PUBLIC_DOCS.test(route.url) && route.method === 'GET');
    expect(docs.length).toBeGreaterThan(0);
    for (const who of WHO) {
      const session = await sessionFor(who);
      const response = await app.inject({ url: '/api/docs/json', headers: withSession(session) });
      expect(response.statusCode, who).toBe(200);
    }
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { childFromEvents } from '../monitoring/testing';

const released = (address: string) => [
  {
    type: 'released_to_sponsor',
    daysAgo: 90,
    data: { address, phone: '(713) 555-0142', sponsor_name: 'Rosa' },
  },
];

describe(`recording a tip on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  let houston: number;
  let atlanta: number;
  const as: Record<string, { cookie: string; csrfToken: string }> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    houston = await childFromEvents(db, released('4010 Walnut Ave Apt 609, Houston, TX 77085'), {
      givenNames: 'Marisol',
      surnames: 'Pérez',
      dob: '2012-03-04',
    });
    // The same first name, age and sponsor phone in another office: a candidate the coordinator may not see.
    atlanta = await childFromEvents(db, released('1500 Moreland Ave SE, Atlanta, GA 30316'), {
      givenNames: 'Marisol',
      surnames: 'Ixcoy',
      dob: '2011-09-01',
    });
    as.coordinator = await signedIn(app, db, 'coordinator-hou', 'ice_juvenile_coordinator', 'HOU');
    as.orr = await signedIn(app, db, 'orr-manager', 'orr_case_manager');
    as.analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const tip = (who: string, payload: Record<string, unknown>, csrf = true) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/tips',
      headers: { cookie: as[who]!.cookie, ...(csrf ? { 'x-csrf-token': as[who]!.csrfToken } : {}) },
      payload,
    });

  it('stores the tip as a tips-feed record, finds the candidates and opens the triage task', async () => {
    const response = await tip('coordinator', {
      channel: 'hotline',
      reportedBy: 'A neighbour, did not give a name',
      said: 'A girl called Marisol works nights at a restaurant and does not go to school.',
      childName: 'marisol',
      childDob: '2012-03-04',
      aNumber: 'A-200-000-001',
      location: 'Houston',
      phone: '713-555-0142',
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.tipId).toMatch(/^WEB-\d{8}-[0-9a-f]{8}$/);
    expect(body.candidates).toEqual([
      {
        childId: houston,
        givenNames: 'Marisol',
        surnames: 'Pérez',
        fieldOfficeCode: 'HOU',
        evidence: ['name', 'age', 'town', 'phone'],
        task: { id: expect.any(Number), officeCode: 'HOU', state: 'open', dueAt: expect.any(String) },
        view: 'full',
      },
    ]);
    // The Atlanta Marisol matches by phone: a candidate too, but only counted for a Houston coordinator.
    expect(body.otherCandidates).toBe(1);
    const [record] = await db.query<{ payload: Record<string, unknown> }>(
      `select payload from source_records where source = 'tips' and kind = 'tips' and source_key = $1`,
      [body.tipId],
    );
    expect(record!.payload).toMatchObject({
      channel: 'hotline',
      name_mentioned: 'marisol',
      approximate_age: expect.any(Number),
      street_or_town: 'Houston',
      phone: '713-555-0142',
    });
    expect(record!.payload.text).toContain('Reported by: A neighbour, did not give a name');
    expect(record!.payload.text).toContain('A-number given: A-200-000-001');
    const tasks = await db.query<{ child_id: number; kind: string }>(
      `select t.child_id, t.kind from tasks t join alerts a on a.id = t.alert_id where a.rule = 'tip_triage' order by t.child_id`,
    );
    expect(tasks).toEqual([
      { child_id: houston, kind: 'triage_tip' },
      { child_id: atlanta, kind: 'triage_tip' },
    ]);
    const [entry] = await db.query<{ actor: string; detail: { candidates: number[]; shown: number[] } }>(
      `select actor, detail from audit_log where action = 'tip.record' order by seq desc limit 1`,
    );
    expect(entry).toMatchObject({ actor: 'coordinator-hou', detail: { shown: [houston] } });
    expect(entry!.detail.candidates.sort()).toEqual([houston, atlanta].sort());
  });

  it('stores a tip that names no known child, with no candidates', async () => {
    const response = await tip('orr', {
      channel: 'email',
      said: 'Someone saw a lost boy at the bus station.',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ candidates: [], otherCandidates: 0 });
  });

  it('refuses a tip without what was said, one without the CSRF token, and one from an aggregate role', async () => {
    const missing = await tip('coordinator', { channel: 'hotline', said: ' ' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([
      { place: '/said', problem: 'what was said: write down what the person reported' },
    ]);
    expect((await tip('coordinator', { channel: 'hotline', said: 'hello there' }, false)).statusCode).toBe(
      403,
    );
    expect((await tip('analyst', { channel: 'hotline', said: 'hello there' })).statusCode).toBe(403);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAddresses } from '../addresses/addresses.repository';
import { FIELD_GROUPS, parseSharingRules } from '../auth/sharing-rules';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { loadPolicy, runSweep } from '../monitoring';
import { parseCaseFile, readCaseFileText } from './case-file.repository';
import { shapeCaseFile } from './case-view';
import { CaseView } from './cases.routes';
import { addReleasedChild } from './testing';

async function addChild(db: Database, office: string, protected1367 = false): Promise<number> {
  const [child] = await db.query<{ id: number }>(
    `insert into children (given_names, surnames, a_number, orr_id, dob) values ('Ana María', 'López Tzul', '200000001', 'UC1', (current_date - interval '12 years')::date) returning id`,
  );
  const address = '4010 Walnut Ave Apt 609, Houston, TX 77085';
  await storeAddresses(db, [address], []);
  await db.query(
    `insert into child_state (child_id, status, field_office_code, protected_1367, released_at, address_id, release_address_id)
     select $1, 'released', $2, $3, '2023-01-05', id, id from addresses where raw_text = $4`,
    [child!.id, office, protected1367, address],
  );
  await db.query(
    `insert into events (child_id, type, occurred_at, data) values ($1, 'released_to_sponsor', '2023-01-05', '{"address": "4010 Walnut Ave Apt 609, Houston, TX 77085"}')`,
    [child!.id],
  );
  return child!.id;
}

describe(`reading a child's case on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  let houston: number;
  let atlanta: number;
  let protectedChild: number;
  const as: Record<string, { cookie: string }> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    houston = await addChild(db, 'HOU');
    atlanta = await addChild(db, 'ATL');
    protectedChild = await addChild(db, 'HOU', true);
    as.coordinator = await signedIn(app, db, 'coordinator-hou', 'ice_juvenile_coordinator', 'HOU');
    as.orr = await signedIn(app, db, 'orr-manager', 'orr_case_manager');
    as.orrSouthTexas = await signedIn(app, db, 'orr-region', 'orr_case_manager', null, ['HOU', 'SNA']);
    as.analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const read = (who: string, id: number, query = 'purpose=fta_follow_up&note=task%2042') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/children/${id}?${query}`,
      headers: { cookie: as[who]!.cookie },
    });

  it('shows a coordinator a child of the own field office, and audits the read with its purpose', async () => {
    const response = await read('coordinator', houston);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      view: 'full',
      child: { id: houston, aNumber: '200000001' },
      state: { status: 'released' },
    });
    expect(response.json().timeline[0]).toMatchObject({ type: 'released_to_sponsor' });
    expect(response.json().addresses).toEqual([
      {
        role: 'current',
        written: '4010 Walnut Ave Apt 609, Houston, TX 77085',
        deliveryLine: '4010 WALNUT AVE APT 609',
        lastLine: 'HOUSTON TX 77085',
        verdict: 'deliverable_likely',
        reasons: [],
      },
      expect.objectContaining({ role: 'release', verdict: 'deliverable_likely' }),
    ]);
    const [entry] = await db.query(
      `select actor, purpose, result, child_id, detail from audit_log where action = 'case.read' order by seq desc limit 1`,
    );
    expect(entry).toEqual({
      actor: 'coordinator-hou',
      purpose: 'fta_follow_up',
      result: 'allowed',
      child_id: houston,
      detail: {
        note: 'task 42',
        view: 'full',
        fieldGroups: [
          'identity',
          'identifiers',
          'status',
          'case_state',
          'addresses',
          'sponsor',
          'timeline',
          'records',
        ],
        sharingRules: '2025-03',
      },
    });
  });

  it('answers a child of another office exactly as a child that does not exist, and audits the attempt', async () => {
    const other = await read('coordinator', atlanta);
    const missing = await read('coordinator', 987654);
    expect([other.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(other.json().error.code).toBe(missing.json().error.code);
    const denied = await db.query(
      `select object_id from audit_log where action = 'case.read' and result = 'denied' order by seq`,
    );
    expect(denied).toEqual([{ object_id: String(atlanta) }, { object_id: '987654' }]);
  });

  it('lets ORR read children nationwide', async () => {
    expect((await read('orr', atlanta)).statusCode).toBe(200);
  });

  it('requires a stated purpose', async () => {
    const response = await read('coordinator', houston, 'note=just%20looking');
    expect(response.statusCode).toBe(400);
  });

  it('keeps names out of reach of an aggregate-only role', async () => {
    expect((await read('analyst', houston)).statusCode).toBe(403);
  });

  it('shows an enforcement role only the minimum facts of a child protected under § 1367, and ORR the whole case', async () => {
    const ice = await read('coordinator', protectedChild);
    expect(ice.statusCode).toBe(200);
    const body = ice.json();
    expect(body.view).toBe('minimum_1367');
    expect(body.timeline).toBeUndefined();
    expect(body.addresses).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('Walnut');
    expect(body.withheld[0]).toMatch(/§ 1367/);
    const orr = await read('orr', protectedChild);
    expect(orr.json().view).toBe('full');
    expect(JSON.stringify(orr.json())).toContain('Walnut');
  });

  it('cuts the case down to the field groups the sharing rules in force give the role, and records the version', async () => {
    const role = (groups: string) => `{ basis: a basis, groups: [${groups}], protected_1367: [identity] }`;
    const sharingRules = parseSharingRules(`versions:
  - id: 'test-2024'
    effective: 2024-07-01
    title: Sponsor details and source records withheld from ICE
    roles:
      orr_case_manager: ${role('identity, identifiers, status, case_state, addresses, sponsor, timeline, records')}
      ice_juvenile_coordinator: ${role('identity, identifiers, status, addresses, timeline')}
      field_office_supervisor: ${role('identity')}
`);
    const limited = await buildApp({ db, logLevel: 'silent', sharingRules });
    const child = await addReleasedChild(db, {
      givenNames: 'Eva',
      surnames: 'Sharing',
      aNumber: '200000077',
      orrId: 'UC00000077',
      sponsorName: 'Rosa Sponsor',
      address: '4010 Walnut Ave Apt 609, Houston, TX 77085',
    });
    const response = await limited.inject({
      method: 'GET',
      url: `/api/v1/children/${child}?purpose=court_preparation`,
      headers: { cookie: as.coordinator!.cookie },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      view: 'limited',
      fieldGroups: ['identity', 'identifiers', 'status', 'addresses', 'timeline'],
      sharingRules: { version: 'test-2024', basis: ['a basis'] },
      state: { status: 'released', fieldOfficeCode: 'HOU' },
    });
    expect(body.records).toBeUndefined();
    expect(body.state.releasedAt).toBeUndefined();
    expect(body.timeline[0].data).toEqual({ address: '4010 Walnut Ave Apt 609, Houston, TX 77085' });
    expect(JSON.stringify(body)).not.toContain('Rosa Sponsor');
    expect(body.withheld).toEqual([
      'case_state: not shared with your role under the sharing rules in force',
      'sponsor: not shared with your role under the sharing rules in force',
      'records: not shared with your role under the sharing rules in force',
    ]);
    const [entry] = await db.query<{ detail: { sharingRules: string; view: string } }>(
      `select detail from audit_log where action = 'case.read' order by seq desc limit 1`,
    );
    expect(entry!.detail).toMatchObject({ sharingRules: 'test-2024', view: 'limited' });
    await limited.close();
  });

  it('names the sponsor from the release form when no sponsor record is kept', async () => {
    await db.query(
      `insert into events (child_id, type, occurred_at, data) values ($1, 'released_to_sponsor', '2023-01-06', '{"sponsor_name": "Marta Tzul", "relationship": "sister", "category": 2, "phone": "(555) 010-0000"}')`,
      [atlanta],
    );
    expect((await read('orr', atlanta)).json().sponsor).toEqual({
      name: 'Marta Tzul',
      relationship: 'sister',
      category: 2,
      phone: '(555) 010-0000',
    });
  });

  it('shows the sponsor, the open alerts and tasks (not the closed ones) and why each record is linked', async () => {
    const [sponsor] = await db.query<{ id: number }>(
      `insert into sponsors (name, relationship, category) values ('Rosa Tzul', 'aunt', 2) returning id`,
    );
    await db.query('update child_state set sponsor_id = $1 where child_id = $2', [sponsor!.id, houston]);
    await db.query(
      `insert into field_offices (code, name, city) values ('HOU', 'Houston', 'Houston, TX') on conflict do nothing`,
    );
    const [open] = await db.query<{ id: number }>(
      `insert into alerts (rule, child_id, severity, opened_at) values ('missed_hearing', $1::bigint, 'high', '2024-03-01') returning id`,
      [houston],
    );
    await db.query(
      `insert into alerts (rule, child_id, severity, opened_at, closed_at) values ('no_nta', $1::bigint, 'low', '2023-03-01', '2023-04-01')`,
      [houston],
    );
    await db.query(
      `insert into tasks (alert_id, child_id, office_code, kind, severity, due_at, state) values
       ($1, $2, 'HOU', 'locate', 'high', '2024-03-08', 'open'), ($1, $2, 'HOU', 'call_sponsor', 'high', '2024-03-02', 'done')`,
      [open!.id, houston],
    );
    const [batch] = await db.query<{ id: number }>(
      `insert into ingest_batches (source, kind, format_version, file_name, sha256) values ('orr', 'release', '1', 'r.csv', 'sha') returning id`,
    );
    const [record] = await db.query<{ id: number }>(
      `insert into source_records (batch_id, source, kind, source_key, version, content_hash, line, payload)
       values ($1, 'orr', 'release', 'R-1', 1, 'hash-r-1', 2, '{}') returning id`,
      [batch!.id],
    );
    await db.query(
      `insert into identity_links (source_record_id, child_id, method, evidence) values ($1, $2::bigint, 'identifier', '{"identifier": "a_number", "with": {"identity": 7}}')`,
      [record!.id, houston],
    );
    const body = (await read('coordinator', houston)).json();
    expect(body.sponsor).toEqual({ name: 'Rosa Tzul', relationship: 'aunt', category: 2, phone: null });
    expect(body.alerts).toEqual([expect.objectContaining({ rule: 'missed_hearing', severity: 'high' })]);
    expect(body.tasks).toEqual([
      expect.objectContaining({
        kind: 'locate',
        state: 'open',
        dueAt: '2024-03-08T00:00:00.000Z',
        officeCode: 'HOU',
      }),
    ]);
    expect(body.records).toEqual([
      expect.objectContaining({
        source: 'orr',
        sourceKey: 'R-1',
        method: 'identifier',
        evidence: { identifier: 'a_number', with: { identity: 7 } },
        decidedBy: 'system',
      }),
    ]);
    const shielded = (await read('coordinator', protectedChild)).json();
    expect(shielded.alerts).toBeUndefined();
    expect(shielded.sponsor).toBeUndefined();
  });

  it('writes every timestamp as toISOString does: UTC, milliseconds, the microseconds cut off', async () => {
    const child = await addChild(db, 'HOU');
    await db.query(
      `update child_state set released_at = '2023-01-05 23:30:00.999999-05', next_hearing_at = '2024-07-01 09:00+02'
       where child_id = $1`,
      [child],
    );
    await db.query(
      `insert into events (child_id, type, occurred_at, data) values ($1, 'safety_call', '2024-05-06 07:08:09.123789+02', '{}')`,
      [child],
    );
    const body = (await read('orr', child)).json();
    expect(body.state).toMatchObject({
      releasedAt: new Date('2023-01-05T23:30:00.999-05:00').toISOString(),
      nextHearingAt: '2024-07-01T07:00:00.000Z',
      ntaIssuedAt: null,
    });
    expect(body.state.releasedAt).toBe('2023-01-06T04:30:00.999Z');
    expect(body.timeline.map((event: { occurredAt: string }) => event.occurredAt)).toEqual([
      '2023-01-05T00:00:00.000Z',
      '2024-05-06T05:08:09.123Z',
    ]);
  });

  it('refuses ids that are not positive whole numbers without touching the database', async () => {
    for (const id of ['0', '-1', '1.5', "1'%20or%20'1'='1", '99999999999999999999']) {
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/children/${id}?purpose=other`,
        headers: { cookie: as.orr!.cookie },
      });
      expect(response.statusCode, id).toBe(400);
    }
  });

  it('limits an ORR case manager given a region to the children of its field offices', async () => {
    expect((await read('orrSouthTexas', houston)).statusCode).toBe(200);
    expect((await read('orrSouthTexas', atlanta)).statusCode).toBe(404);
    expect((await read('orr', atlanta)).statusCode).toBe(200);
  });

  it("opens the case of every child the sweep flagged, whatever the shape of a rule's detail", async () => {
    // Four children behind one door: the shared-place rule's detail is a list of places, not an object.
    const address = '7100 Almeda Genoa Rd Apt 4, Houston, TX 77085';
    const together: number[] = [];
    for (const n of [1, 2, 3, 4])
      together.push(
        await addReleasedChild(db, {
          givenNames: `Niño ${n}`,
          surnames: 'Ajú Pérez',
          aNumber: `20000010${n}`,
          orrId: `UC10${n}`,
          sponsorName: `Sponsor ${n}`,
          address,
        }),
      );
    await runSweep(db, loadPolicy());
    const flagged = await db.query<{ child_id: number }>(
      'select distinct child_id from alerts where closed_at is null order by child_id',
    );
    expect(flagged.map((row) => row.child_id)).toEqual(expect.arrayContaining(together));
    for (const { child_id: id } of flagged)
      expect((await read('orr', id)).statusCode, `child ${id}`).toBe(200);
    const { alerts } = (await read('orr', together[0]!)).json();
    expect(alerts).toContainEqual(
      expect.objectContaining({
        rule: 'shared_sponsor_or_address',
        detail: [{ kind: 'address', children: together }],
      }),
    );
  });

  it('writes the full view from the database text exactly as the schema describes it and the shaping gives it', async () => {
    const children = await db.query<{ id: number }>('select id from children order by id');
    expect(children.length).toBeGreaterThan(8);
    for (const { id } of children) {
      const response = await read('orr', id);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = response.json();
      expect(body.view, `child ${id}`).toBe('full');
      // Nothing the schema does not declare, at any depth: parsing would strip it.
      expect(CaseView.parse(body), `child ${id}`).toEqual(body);
      const file = parseCaseFile((await readCaseFileText(db, id))!);
      expect(body, `child ${id}`).toEqual({
        ...shapeCaseFile(file, new Set(FIELD_GROUPS)),
        sharingRules: body.sharingRules,
      });
      expect(body.sharingRules).toEqual({ version: '2025-03', basis: expect.any(Array) });
    }
  });
});

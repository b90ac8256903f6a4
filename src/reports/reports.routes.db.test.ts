import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAddresses } from '../addresses/addresses.repository';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { loadFieldOffices } from '../monitoring';

const AS_OF = '2024-06-15T00:00:00Z';

describe(`the reports API on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  const as: Record<string, { cookie: string }> = {};
  const ids: Record<string, number> = {};

  async function addChild(name: string, office: string, state: Record<string, unknown>, address?: string) {
    const [child] = await db.query<{ id: number }>(
      `insert into children (given_names, surnames, a_number) values ($1, 'Tzul', $2) returning id`,
      [name, `2000000${String(Object.keys(ids).length).padStart(2, '0')}`],
    );
    if (address) await storeAddresses(db, [address], []);
    const row = { status: 'released', released_at: '2024-01-10', field_office_code: office, ...state };
    const columns = Object.keys(row);
    await db.query(
      `insert into child_state (child_id, address_id, ${columns.join(', ')})
       values ($1, (select id from addresses where raw_text = $2), ${columns.map((_, i) => `$${i + 3}`).join(', ')})`,
      [child!.id, address ?? null, ...Object.values(row)],
    );
    ids[name] = child!.id;
    return child!.id;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    await loadFieldOffices(db);
    await addChild('Ana', 'HOU', {}, '4010 Walnut Ave Apt 609, Houston, TX 77085');
    await addChild('=HYPERLINK("http://evil.example","open")', 'HOU', {});
    await addChild('Shielded', 'HOU', { protected_1367: true });
    await addChild('Verified', 'HOU', { whereabouts: 'verified' });
    await addChild('Beto', 'ATL', {}, '12 Peachtree St NE, Atlanta, GA 30303');
    await db.query(
      `insert into events (child_id, type, occurred_at) values
         ($1, 'released_to_sponsor', '2024-01-10'), ($2, 'released_to_sponsor', '2024-01-20'),
         ($1, 'nta_issued', '2024-03-02'), ($1, 'failed_to_appear', '2024-05-31T23:00:00Z'),
         ($2, 'failed_to_appear', '2022-01-01')`,
      [ids.Ana, ids.Beto],
    );
    await db.query(
      `insert into tasks (child_id, office_code, kind, due_at, state) values
         ($1, 'HOU', 'locate', '2024-06-01', 'open'), ($1, 'HOU', 'call', '2024-07-01', 'in_progress'),
         ($1, 'HOU', 'call', '2024-05-01', 'done'), ($2, 'ATL', 'locate', '2024-06-20', 'open')`,
      [ids.Ana, ids.Beto],
    );
    as.supervisor = await signedIn(app, db, 'supervisor-hou', 'field_office_supervisor', 'HOU');
    as.analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const get = (who: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: as[who]!.cookie } });

  it('counts releases, NTAs and failures to appear per month, with empty months as zero', async () => {
    const response = await get('analyst', `/api/v1/reports/trends?months=6&asOf=${AS_OF}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().months).toEqual([
      { month: '2024-01', released: 2, ntaIssued: 0, failedToAppear: 0 },
      { month: '2024-02', released: 0, ntaIssued: 0, failedToAppear: 0 },
      { month: '2024-03', released: 0, ntaIssued: 1, failedToAppear: 0 },
      { month: '2024-04', released: 0, ntaIssued: 0, failedToAppear: 0 },
      { month: '2024-05', released: 0, ntaIssued: 0, failedToAppear: 1 },
      { month: '2024-06', released: 0, ntaIssued: 0, failedToAppear: 0 },
    ]);
  });

  it('counts children whose whereabouts are unknown by the state of their address', async () => {
    const body = (await get('analyst', `/api/v1/reports/by-state?asOf=${AS_OF}`)).json();
    expect(body).toMatchObject({ figure: 'whereabouts_unknown', states: { TX: 1, GA: 1 }, noState: 2 });
    expect(body.label).toMatch(/Whereabouts unknown/);
  });

  it('compares field offices by open and overdue tasks, finished work left out', async () => {
    const { offices } = (await get('analyst', `/api/v1/reports/field-offices?asOf=${AS_OF}`)).json();
    expect(offices).toHaveLength(25);
    expect(offices.find((o: { code: string }) => o.code === 'HOU')).toEqual({
      code: 'HOU',
      name: 'Houston',
      openTasks: 2,
      overdueTasks: 1,
    });
    expect(offices.find((o: { code: string }) => o.code === 'ATL')).toMatchObject({
      openTasks: 1,
      overdueTasks: 0,
    });
  });

  it('lists the children behind a figure in the supervisor’s own office, a page at a time, and audits it', async () => {
    const first = (
      await get('supervisor', '/api/v1/reports/figures/whereabouts_unknown/children?limit=2')
    ).json();
    expect(first.office).toBe('HOU');
    expect(first.children.map((c: { id: number }) => c.id)).toEqual([
      ids.Ana,
      ids['=HYPERLINK("http://evil.example","open")'],
    ]);
    const second = (
      await get(
        'supervisor',
        `/api/v1/reports/figures/whereabouts_unknown/children?limit=2&after=${first.nextCursor}`,
      )
    ).json();
    expect(second.children.map((c: { id: number }) => c.id)).toEqual([ids.Shielded]);
    expect(second.nextCursor).toBeNull();
    const [entry] = await db.query<{ action: string; detail: unknown }>(
      `select action, detail from audit_log where action = 'report.list_children' order by seq desc limit 1`,
    );
    expect(entry).toEqual({
      action: 'report.list_children',
      detail: { office: 'HOU', after: first.nextCursor, count: 1 },
    });
  });

  it('keeps another office’s list, and every list from an aggregate-only role, out of reach', async () => {
    expect((await get('supervisor', '/api/v1/reports/figures/released/children?office=ATL')).statusCode).toBe(
      403,
    );
    const analyst = await get('analyst', '/api/v1/reports/figures/released/children');
    expect(analyst.statusCode).toBe(403);
    expect(analyst.json().error.code).toBe('forbidden');
    expect((await get('supervisor', '/api/v1/reports/figures/happy_children/children')).statusCode).toBe(400);
  });

  it('exports a figure’s children as CSV with formulas neutralized and § 1367 names withheld, and audits it', async () => {
    const response = await get('supervisor', '/api/v1/reports/figures/whereabouts_unknown/children.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="whereabouts-whereabouts_unknown-HOU-/,
    );
    const rows = parse(response.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.given_names)).toEqual([
      'Ana',
      `'=HYPERLINK("http://evil.example","open")`,
      '[withheld: 8 U.S.C. § 1367]',
    ]);
    expect(rows[2]).toMatchObject({ a_number: '[withheld: 8 U.S.C. § 1367]', protected_1367: 'yes' });
    const [entry] = await db.query<{ object_id: string; detail: unknown }>(
      `select object_id, detail from audit_log where action = 'report.export' order by seq desc limit 1`,
    );
    expect(entry).toEqual({
      object_id: 'whereabouts_unknown',
      detail: { format: 'csv', office: 'HOU', redacted1367: true },
    });
  });

  it('exports the national figures per office as CSV, with a total row, for an aggregate-only role', async () => {
    const response = await get('analyst', `/api/v1/reports/national.csv?asOf=${AS_OF}`);
    expect(response.statusCode).toBe(200);
    const rows = parse(response.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.field_office)).toEqual(['ATL', 'HOU', 'total']);
    expect(rows[2]).toMatchObject({ released: '5', whereabouts_unknown: '4' });
    expect(response.body).not.toContain('Ana');
  });
});

describe(`reports read from a read replica on ${testEngine}`, () => {
  it('reads the figures from the replica and writes their audit entries to the primary', async () => {
    const [primary, replica] = [await createTestDatabase(), await createTestDatabase()];
    try {
      await loadFieldOffices(replica);
      // Two released children exist only in the "replica": figures can come from nowhere else.
      await replica.exec(`
        insert into children (id, given_names, surnames) overriding system value values (1, 'Ana', 'Tzul'), (2, 'Beto', 'Ac');
        insert into child_state (child_id, status, released_at, field_office_code)
        values (1, 'released', '2024-01-10', 'HOU'), (2, 'released', '2024-02-10', 'ATL');`);
      const app = await buildApp({ db: primary, reportsDb: replica, logLevel: 'silent' });
      try {
        const { cookie } = await signedIn(app, primary, 'analyst', 'hq_analyst');
        const response = await app.inject({
          method: 'GET',
          url: `/api/v1/reports/national.csv?asOf=${AS_OF}`,
          headers: { cookie },
        });
        const rows = parse(response.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
        expect(rows.find((row) => row.field_office === 'total')).toMatchObject({ released: '2' });
        const audited = (db: Database) =>
          db.query(`select 1 from audit_log where action = 'report.export' or object_type = 'report'`);
        expect(await audited(primary)).toHaveLength(1);
        expect(await audited(replica)).toHaveLength(0);
      } finally {
        await app.close();
      }
    } finally {
      await primary.close();
      await replica.close();
    }
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { childFromEvents, daysFromNow, type TestEvent } from '../monitoring/testing';

const released = (address: string, extra: TestEvent[] = []): TestEvent[] => [
  { type: 'released_to_sponsor', daysAgo: 100, data: { address, sponsor_name: 'Rosa Test' } },
  ...extra,
];
const hearingIn = (days: number): TestEvent => ({
  type: 'hearing_scheduled',
  daysAgo: 20,
  data: { hearing_date: daysFromNow(days).toISOString().slice(0, 10), court: 'HOU' },
});

describe(`the addresses needing action on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  const child: Record<string, number> = {};
  const as: Record<string, { cookie: string }> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    child.poBoxLater = await childFromEvents(db, released('PO Box 77, Houston, TX 77085', [hearingIn(40)]), {
      givenNames: 'Ana',
      surnames: 'Apartado',
    });
    child.unknownSoon = await childFromEvents(db, released('UNKNOWN', [hearingIn(5)]), {
      givenNames: 'Beto',
      surnames: 'Desconocido',
    });
    // "UNKNOWN" names no state: the release form's state and ZIP place the child in Houston.
    await db.query(`update child_state set field_office_code = 'HOU' where child_id = $1`, [
      child.unknownSoon,
    ]);
    child.good = await childFromEvents(db, released('4010 Walnut Ave Apt 609, Houston, TX 77085'), {
      givenNames: 'Carla',
    });
    child.atlanta = await childFromEvents(db, released('PO Box 5, Atlanta, GA 30316'), {
      givenNames: 'Dora',
    });
    child.protected = await childFromEvents(
      db,
      released('PO Box 9, Houston, TX 77085', [
        { type: 'protection_reported', daysAgo: 10, data: { protection_type: 't_visa' } },
      ]),
      { givenNames: 'Eva' },
    );
    as.coordinator = await signedIn(app, db, 'coordinator-hou', 'ice_juvenile_coordinator', 'HOU');
    as.orr = await signedIn(app, db, 'orr-manager', 'orr_case_manager');
    as.analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const list = (who: string, query = '') =>
    app.inject({ url: `/api/v1/addresses?${query}`, headers: { cookie: as[who]!.cookie } });
  const ids = (body: { addresses: { childId: number }[] }) => body.addresses.map((row) => row.childId);

  it('lists a coordinator’s own office, hearing soonest first, with the verdict and its reasons', async () => {
    const response = await list('coordinator');
    expect(response.statusCode).toBe(200);
    expect(ids(response.json())).toEqual([child.unknownSoon, child.poBoxLater]);
    expect(response.json().addresses[1]).toMatchObject({
      givenNames: 'Ana',
      surnames: 'Apartado',
      fieldOfficeCode: 'HOU',
      verdict: 'po_box',
      written: 'PO Box 77, Houston, TX 77085',
      reasons: [expect.objectContaining({ code: 'po_box' })],
      view: 'full',
    });
    expect(response.json().addresses[0]).toMatchObject({ verdict: 'missing' });
    expect(response.json().nextCursor).toBeNull();
  });

  it('keeps a § 1367 child’s address from an enforcement role, and shows it to ORR', async () => {
    expect(ids((await list('coordinator')).json())).not.toContain(child.protected);
    const orr = await list('orr');
    expect(ids(orr.json())).toEqual(
      expect.arrayContaining([child.unknownSoon, child.poBoxLater, child.atlanta, child.protected]),
    );
    expect(ids(orr.json())).not.toContain(child.good);
    expect(ids(orr.json()).slice(0, 2)).toEqual([child.unknownSoon, child.poBoxLater]);
  });

  it('filters by verdict and office, and refuses another office to an office-scoped role', async () => {
    expect(ids((await list('orr', 'verdict=po_box&office=ATL')).json())).toEqual([child.atlanta]);
    expect((await list('coordinator', 'office=ATL')).statusCode).toBe(403);
    expect((await list('coordinator', 'verdict=deliverable_likely')).statusCode).toBe(400);
    expect((await list('analyst')).statusCode).toBe(403);
  });

  it('pages by cursor in the same order as one long page', async () => {
    const whole = ids((await list('orr', 'limit=50')).json());
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { addresses: { childId: number }[]; nextCursor: string | null } = (
        await list('orr', `limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      paged.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole);
    expect((await list('orr', 'cursor=bm9wZQ')).statusCode).toBe(400);
  });

  it('audits the listing with the children it showed', async () => {
    await list('coordinator', 'verdict=po_box');
    const [entry] = await db.query<{ actor: string; detail: { children: number[]; verdict: string } }>(
      `select actor, detail from audit_log where action = 'address.list' order by seq desc limit 1`,
    );
    expect(entry).toMatchObject({
      actor: 'coordinator-hou',
      detail: { children: [child.poBoxLater], verdict: 'po_box' },
    });
  });
});

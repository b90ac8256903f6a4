import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { loadPolicy, runSweep } from './index';
import { childFromEvents, type TestEvent } from './testing';

const DOOR = '2200 Bissonnet St Apt 4, Houston, TX 77005';
const releasedTo = (address: string, phone: string, sponsor = 'Rosa Lugar', extra: TestEvent[] = []) => [
  { type: 'released_to_sponsor', daysAgo: 60, data: { address, phone, sponsor_name: sponsor } },
  ...extra,
];
interface Place {
  kind: string;
  label: string;
  children: number;
  shown: { childId: number; givenNames?: string; why: string; view: string; alert: unknown; task: unknown }[];
  otherChildren: number;
}

describe(`sponsor and address risk on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  const door: number[] = [];
  const sponsor: number[] = [];
  let protectedChild: number;
  const as: Record<string, { cookie: string }> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    // Four children at one door, one of them written another way and one protected under § 1367.
    for (const [index, written] of [DOOR, DOOR, '2200 Bissonnet Street #4, Houston TX 77005'].entries())
      door.push(
        await childFromEvents(db, releasedTo(written, `713555010${index}`), { givenNames: `Puerta${index}` }),
      );
    protectedChild = await childFromEvents(
      db,
      releasedTo(DOOR, '7135550109', 'Rosa Lugar', [
        { type: 'protection_reported', daysAgo: 5, data: { protection_type: 'u_visa' } },
      ]),
      { givenNames: 'Protegida' },
    );
    // Four children released to one phone: two in Houston, two in Atlanta.
    for (const [index, address] of [
      '100 Main St, Houston, TX 77002',
      '200 Main St, Houston, TX 77002',
      '1500 Moreland Ave SE, Atlanta, GA 30316',
      '1600 Moreland Ave SE, Atlanta, GA 30316',
    ].entries())
      sponsor.push(
        await childFromEvents(db, releasedTo(address, '(404) 555-0177', 'Juan Patrocinador'), {
          givenNames: `Telefono${index}`,
        }),
      );
    // Three children at another door: fewer than the policy's four.
    for (let n = 0; n < 3; n++)
      await childFromEvents(db, releasedTo('300 Oak St, Houston, TX 77002', `71355502${n}0`), {
        givenNames: 'Pocos',
      });
    await runSweep(db, loadPolicy());
    as.coordinator = await signedIn(app, db, 'coordinator-hou', 'ice_juvenile_coordinator', 'HOU');
    as.orr = await signedIn(app, db, 'orr-manager', 'orr_case_manager');
    as.analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const places = async (who: string, query = '') => {
    const response = await app.inject({
      url: `/api/v1/risk/places?${query}`,
      headers: { cookie: as[who]!.cookie },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { minChildren: number; places: Place[]; nextCursor: string | null };
  };

  it('lists the door and the sponsor linked to at least the policy’s number of children, not the smaller place', async () => {
    const body = await places('orr');
    expect(body.minChildren).toBe(4);
    expect(body.places.map((place) => [place.kind, place.children])).toEqual([
      ['address', 4],
      ['sponsor', 4],
    ]);
    expect(body.places[0]!.label).toBe('2200 BISSONNET ST APT 4, HOUSTON TX 77005');
    expect(body.places[1]!.label).toBe('Juan Patrocinador · (404) 555-0177');
    expect(body.places[0]!.shown.map((child) => child.childId).sort()).toEqual(
      [...door, protectedChild].sort(),
    );
    expect(body.places[0]!.shown.find((child) => child.childId === door[2])!.why).toBe(
      'current address, written “2200 Bissonnet Street #4, Houston TX 77005”',
    );
  });

  it('names the open shared-place alert and its task for each child at the door', async () => {
    const [doorPlace] = (await places('orr')).places;
    for (const child of doorPlace!.shown) {
      expect(child.alert, `child ${child.childId}`).toMatchObject({ id: expect.any(Number) });
      expect(child.task).toMatchObject({ state: 'open', officeCode: 'HOU' });
    }
  });

  it('shows an office-scoped role its own office’s children, counts the others, and withholds a § 1367 child’s link', async () => {
    const body = await places('coordinator');
    const [doorPlace, sponsorPlace] = body.places;
    const hidden = doorPlace!.shown.find((child) => child.childId === protectedChild)!;
    expect(hidden).toMatchObject({ view: 'minimum_1367', why: expect.stringContaining('withheld') });
    expect(sponsorPlace!.shown.map((child) => child.childId).sort()).toEqual(sponsor.slice(0, 2).sort());
    expect(sponsorPlace!.otherChildren).toBe(2);
  });

  it('pages by cursor, and keeps the list from a role without case access', async () => {
    const first = await places('orr', 'limit=1');
    expect(first.places).toHaveLength(1);
    const second = await places('orr', `limit=1&cursor=${first.nextCursor}`);
    expect(second.places.map((place) => place.kind)).toEqual(['sponsor']);
    expect(second.nextCursor).toBeNull();
    const analyst = await app.inject({ url: '/api/v1/risk/places', headers: { cookie: as.analyst!.cookie } });
    expect(analyst.statusCode).toBe(403);
  });
});

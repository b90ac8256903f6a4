import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { addReleasedChild } from './testing';

const HOUSTON = '4010 Walnut Ave Apt 609, Houston, TX 77085';
const ATLANTA = '1500 Moreland Ave SE, Atlanta, GA 30316';

describe(`searching children on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  const ids: Record<string, number> = {};
  const as: Record<string, { cookie: string }> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000, searchesPerMinute: 1000 });
    ids.ana = await addReleasedChild(db, {
      givenNames: 'Ana María',
      surnames: 'López Tzul',
      aNumber: '012345678',
      orrId: 'UC00000101',
      sponsorName: 'Rosa Tzul Pérez',
      address: HOUSTON,
    });
    ids.atlanta = await addReleasedChild(db, {
      givenNames: 'José',
      surnames: 'López Ramírez',
      aNumber: '200000002',
      orrId: 'UC00000102',
      sponsorName: 'Carlos Ramírez',
      address: ATLANTA,
    });
    ids.protected = await addReleasedChild(db, {
      givenNames: 'Marta',
      surnames: 'Quispe',
      aNumber: '200000003',
      orrId: 'UC00000103',
      sponsorName: 'Lidia Quispe',
      address: '77 Harbor St, Houston, TX 77085',
      protected1367: true,
    });
    for (let i = 0; i < 5; i++) {
      await addReleasedChild(db, {
        givenNames: `Luis ${i}`,
        surnames: 'García',
        aNumber: `30000000${i}`,
        orrId: `UC0000020${i}`,
        sponsorName: 'Pedro García',
        address: HOUSTON,
      });
    }
    as.coordinator = await signedIn(app, db, 'coordinator-hou', 'ice_juvenile_coordinator', 'HOU');
    as.orr = await signedIn(app, db, 'orr-manager', 'orr_case_manager');
    as.analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const search = (who: string, query: string) =>
    app.inject({ method: 'GET', url: `/api/v1/children?${query}`, headers: { cookie: as[who]!.cookie } });
  const found = async (who: string, q: string) => {
    const response = await search(who, `q=${encodeURIComponent(q)}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().children.map((child: { id: number }) => child.id);
  };

  it('finds a child by A-number however it is written', async () => {
    for (const q of [
      'A-012-345-678',
      'a012345678',
      '012 345 678',
      '12345678',
      'A 012-345-678',
      '012345678',
    ]) {
      expect(await found('orr', q), q).toEqual([ids.ana]);
    }
  });

  it('finds a child by ORR case id', async () => {
    expect(await found('orr', 'uc00000101')).toEqual([ids.ana]);
  });

  it('finds a name without accents, in any case and order, and by one surname alone', async () => {
    for (const q of ['ana maria lopez tzul', 'LOPEZ TZUL ANA', 'tzul', 'María López']) {
      expect(await found('orr', q), q).toContain(ids.ana);
    }
    expect(await found('orr', 'lopez')).toEqual([ids.ana, ids.atlanta]);
    expect(await found('orr', 'lopez ramirez')).toEqual([ids.atlanta]);
  });

  it('finds children by their sponsor’s name and by words of their address', async () => {
    expect(await found('orr', 'Rosa Perez')).toEqual([ids.ana]);
    expect(await found('orr', 'moreland ave atlanta')).toEqual([ids.atlanta]);
    const response = await search('orr', 'q=rosa%20tzul%20perez');
    expect(response.json().children[0]).toMatchObject({ id: ids.ana, matched: 'sponsor' });
  });

  it('keeps an office-scoped role to its own field office', async () => {
    expect(await found('coordinator', 'lopez')).toEqual([ids.ana]);
    expect(await found('coordinator', '200000002')).toEqual([]);
  });

  it('shows an enforcement role only the minimum facts of a § 1367 child, and never finds it by its address or sponsor', async () => {
    const response = await search('coordinator', 'q=quispe');
    expect(response.json().children).toEqual([
      {
        id: ids.protected,
        givenNames: 'Marta',
        surnames: 'Quispe',
        aNumber: '200000003',
        orrId: 'UC00000103',
        status: 'released',
        nextHearingAt: null,
        fieldOfficeCode: 'HOU',
        matched: 'name',
        view: 'minimum_1367',
      },
    ]);
    expect(await found('coordinator', 'lidia')).toEqual([]);
    expect(await found('coordinator', 'harbor st')).toEqual([]);
    expect(await found('orr', 'lidia')).toEqual([ids.protected]);
    expect(await found('orr', 'harbor st')).toEqual([ids.protected]);
  });

  it('pages with a cursor until the end', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await search('orr', `q=garcia&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      seen.push(...response.json().children.map((child: { id: number }) => child.id));
      cursor = response.json().nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await search('orr', 'q=garcia&cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });

  it('audits every search with its query', async () => {
    await found('coordinator', 'A-012-345-678');
    const [entry] = await db.query(
      `select actor, action, result, detail from audit_log where action = 'case.search' order by seq desc limit 1`,
    );
    expect(entry).toEqual({
      actor: 'coordinator-hou',
      action: 'case.search',
      result: 'allowed',
      detail: { query: 'A-012-345-678', kind: 'a_number', results: 1, sharingRules: '2025-03' },
    });
  });

  it('is closed to aggregate-only roles and to the signed-out', async () => {
    expect((await search('analyst', 'q=lopez')).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/children?q=lopez' })).statusCode).toBe(401);
  });

  it('limits searches per person per minute', async () => {
    const strict = await buildApp({ db, logLevel: 'silent', searchesPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await strict.inject({
        method: 'GET',
        url: '/api/v1/children?q=lopez',
        headers: { cookie: as.orr!.cookie },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
    await strict.close();
  });

  it("keeps the terms index's pending list small, since every search reads all of it", async () => {
    // With the default 4 MB and few writes nothing flushes it: 218 pending pages made searches 10–30 ms at
    // 600,000 children (docs/decisions/0018).
    const [index] = await db.query<{ options: string[] }>(
      "select reloptions as options from pg_class where relname = 'child_search_terms'",
    );
    expect(index?.options).toContain('gin_pending_list_limit=128');
  });
});

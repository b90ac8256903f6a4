import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { childFromEvents, daysFromNow, type TestEvent } from '../monitoring/testing';

const released = (address: string, extra: TestEvent[] = []): TestEvent[] => [
  { type: 'released_to_sponsor', daysAgo: 90, data: { address, sponsor_name: 'Rosa <b>Tía</b>' } },
  ...extra,
];
const hearing: TestEvent = {
  type: 'hearing_scheduled',
  daysAgo: 10,
  data: { hearing_date: daysFromNow(30).toISOString().slice(0, 10), court: 'HOU' },
};

describe(`printing notices from a case on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  const child: Record<string, number> = {};
  const as: Record<string, { cookie: string }> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
    child.houston = await childFromEvents(
      db,
      released('4010 Walnut Ave Apt 609, Houston, TX 77085', [hearing]),
      {
        givenNames: 'José <Luis>',
        surnames: 'Núñez',
      },
    );
    child.noHearing = await childFromEvents(db, released('4010 Walnut Ave Apt 609, Houston, TX 77085'));
    child.atlanta = await childFromEvents(db, released('1500 Moreland Ave SE, Atlanta, GA 30316', [hearing]));
    child.protected = await childFromEvents(
      db,
      released('4010 Walnut Ave Apt 609, Houston, TX 77085', [
        hearing,
        { type: 'protection_reported', daysAgo: 5, data: { protection_type: 't_visa' } },
      ]),
    );
    as.coordinator = await signedIn(app, db, 'coordinator-hou', 'ice_juvenile_coordinator', 'HOU');
    as.orr = await signedIn(app, db, 'orr-manager', 'orr_case_manager');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const notice = (who: string, id: number, kind: string, lang = 'es') =>
    app.inject({
      url: `/api/v1/children/${id}/notices/${kind}?lang=${lang}`,
      headers: { cookie: as[who]!.cookie },
    });

  it('prints a Spanish hearing reminder with the child’s facts filled in and escaped', async () => {
    const response = await notice('coordinator', child.houston!, 'hearing_reminder');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<html lang="es">');
    expect(response.body).toContain('Recordatorio: tiene una audiencia');
    expect(response.body).toContain('José &lt;Luis&gt; Núñez');
    expect(response.body).toContain('4010 WALNUT AVE APT 609, HOUSTON TX 77085');
    expect(response.body).toContain('código de la corte HOU');
    expect(response.body).not.toMatch(/\{\{|<Luis>/);
  });

  it('prints an English address confirmation addressed to the sponsor', async () => {
    const response = await notice('orr', child.houston!, 'address_confirmation', 'en');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('To: Rosa &lt;b&gt;Tía&lt;/b&gt;, sponsor of José &lt;Luis&gt; Núñez');
    expect(response.body).toContain(`WA-${child.houston}-`);
  });

  it('audits each print with its purpose', async () => {
    await notice('coordinator', child.houston!, 'hearing_reminder');
    const [entry] = await db.query(
      `select actor, purpose, result, child_id, detail from audit_log where action = 'notice.render' order by seq desc limit 1`,
    );
    expect(entry).toMatchObject({
      actor: 'coordinator-hou',
      purpose: 'court_preparation',
      result: 'allowed',
      detail: { kind: 'hearing_reminder', lang: 'es' },
    });
    expect(Number((entry as { child_id: number }).child_id)).toBe(child.houston);
  });

  it('says why there is no notice: no hearing, another office, or a § 1367 child for an enforcement role', async () => {
    const none = await notice('coordinator', child.noHearing!, 'hearing_reminder');
    expect(none.statusCode).toBe(409);
    expect(none.json().error.message).toContain('No hearing is scheduled');
    expect((await notice('coordinator', child.atlanta!, 'hearing_reminder')).statusCode).toBe(404);
    const withheld = await notice('coordinator', child.protected!, 'address_confirmation');
    expect(withheld.statusCode).toBe(403);
    expect(withheld.json().error.message).toContain('§ 1367');
    expect((await notice('orr', child.protected!, 'address_confirmation')).statusCode).toBe(200);
    expect((await notice('orr', child.houston!, 'eviction')).statusCode).toBe(400);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { tipsV1 } from '../feeds';
import { ingestFile, listFeedFiles, recognizeFiles } from '../ingest';
import { generateCaseload } from '../synth';
import { recordOutcome } from './outcomes.service';
import { loadPolicy } from './policy';
import { childrenNamed, tipMatches } from './rules';
import { runSweep } from './sweep.service';
import { addEvents, childFromEvents, daysFromNow, releasedEvents, type TestEvent } from './testing';
import { tipCandidates } from './tip-candidates.repository';

/**
 * The tip-triage rule keeps its answer (`tip_candidates`, src/monitoring/tip-triage.ts): a tip is judged when it
 * arrives, a child when a sweep is about the child. Whatever the order things happen in, the incremental sweeps
 * must leave what a full sweep computes from scratch.
 */
const policy = loadPolicy();
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const contactedRecently: TestEvent = { type: 'contact_verified', daysAgo: 5 };
const OMAHA_ADDRESS = '12 Elm St, Omaha, NE 68102';

describe(`tip triage kept incrementally on ${testEngine}`, () => {
  let db: Database;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-tip-triage-'));
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const sweep = (childIds?: number[], asOf = new Date()) =>
    runSweep(db, policy, { asOf, ...(childIds ? { childIds } : {}) });

  async function openTipAlerts(): Promise<number[]> {
    const rows = await db.query<{ child_id: number }>(
      `select child_id from alerts where rule = 'tip_triage' and closed_at is null order by child_id`,
    );
    return rows.map((row) => Number(row.child_id));
  }

  /** An officer's outcome: recorded, and its child swept, in one transaction (as the routes do). */
  const decide = (input: Parameters<typeof recordOutcome>[2]) =>
    db.transaction((tx) => recordOutcome(tx, policy, input));

  async function candidatesOf(tip: string) {
    return (await tipCandidates(db, tip)).map((c) => ({ childId: c.childId, evidence: c.evidence }));
  }

  /** Tips delivered as a tips-feed file, through ingest. */
  let deliveries = 0;
  async function deliverTips(rows: Record<string, unknown>[]) {
    const file = path.join(workDir, `tips_v1_${++deliveries}.jsonl`);
    fs.writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const summary = await ingestFile(db, file, tipsV1);
    expect(summary.accepted).toBe(rows.length);
  }

  const tip = (id: string, fields: Record<string, unknown>) => ({
    tip_id: id,
    received_date: isoDay(new Date()),
    channel: 'hotline',
    text: 'A caller saw the child.',
    ...fields,
  });

  describe('one tip, one child', () => {
    const age14 = isoDay(daysFromNow(-14 * 365 - 100));
    beforeEach(async () => {
      await db.exec(
        'delete from tasks; delete from alerts; delete from open_alert_counts; delete from events; delete from child_state; delete from children; delete from source_records; delete from ingest_batches; delete from tips; delete from tips_pending;',
      );
    });

    it('a tip that arrives after the child was swept gets its candidates at the next sweep, whichever children it is about', async () => {
      const child = await childFromEvents(db, [...releasedEvents(20), contactedRecently], {
        givenNames: 'Marisol Elena',
        dob: age14,
      });
      const other = await childFromEvents(db, [...releasedEvents(20, OMAHA_ADDRESS), contactedRecently], {
        givenNames: 'Pedro',
        dob: age14,
      });
      await sweep([child]);
      expect(await openTipAlerts()).toEqual([]);
      await deliverTips([
        tip('T-LATE', { name_mentioned: 'marisol', approximate_age: 14, street_or_town: 'Houston' }),
      ]);
      // The next sweep is about another child: the new tip is judged all the same.
      await sweep([other]);
      expect(await openTipAlerts()).toEqual([child]);
      expect(await candidatesOf('T-LATE')).toEqual([{ childId: child, evidence: ['name', 'age', 'town'] }]);
      const [alert] = await db.query<{ detail: unknown }>(
        `select detail from alerts where rule = 'tip_triage' and child_id = $1`,
        [child],
      );
      expect(alert?.detail).toEqual({
        tips: [
          {
            tip: 'T-LATE',
            received_on: isoDay(new Date()),
            evidence: ['name', 'age', 'town'],
            candidates: [child],
          },
        ],
      });
    });

    it('an alert’s detail lists each tip that may concern the child, with every candidate of that tip', async () => {
      // Released in Omaha, living in Houston now; the other child was released in Houston.
      const moved = await childFromEvents(
        db,
        [
          ...releasedEvents(20, OMAHA_ADDRESS),
          {
            type: 'address_changed',
            daysAgo: 1,
            data: { address: '2200 Fannin St Apt 5, Houston, TX 77002' },
          },
          contactedRecently,
        ],
        { givenNames: 'Lucía', dob: age14 },
      );
      const other = await childFromEvents(db, [...releasedEvents(20), contactedRecently], {
        givenNames: 'Lucia Fernanda',
        dob: age14,
      });
      await deliverTips([
        tip('T-HOU', { name_mentioned: 'lucia', approximate_age: 14, street_or_town: 'Houston' }),
        tip('T-OMA', { name_mentioned: 'Lucia', street_or_town: 'Omaha' }),
      ]);
      await sweep();
      const details = await db.query<{ child_id: number; detail: unknown }>(
        `select child_id, detail from alerts where rule = 'tip_triage' order by child_id`,
      );
      const today = isoDay(new Date());
      const town = ['name', 'age', 'town'];
      const houston = {
        tip: 'T-HOU',
        received_on: today,
        evidence: town,
        candidates: [moved, other].sort((a, b) => a - b),
      };
      expect(details.map((row) => ({ ...row, child_id: Number(row.child_id) }))).toEqual(
        [
          {
            child_id: moved,
            detail: {
              tips: [houston, { tip: 'T-OMA', received_on: today, evidence: town, candidates: [moved] }],
            },
          },
          { child_id: other, detail: { tips: [houston] } },
        ].sort((a, b) => a.child_id - b.child_id),
      );
    });

    it('a child who moves to the tip’s town becomes a candidate at the sweep of that child, and loses it on moving away', async () => {
      const child = await childFromEvents(db, [...releasedEvents(20, OMAHA_ADDRESS), contactedRecently], {
        givenNames: 'Rosa',
        dob: age14,
      });
      await deliverTips([
        tip('T-TOWN', { name_mentioned: 'Rosa María', approximate_age: 13, street_or_town: 'houston ' }),
      ]);
      await sweep([]);
      expect(await candidatesOf('T-TOWN')).toEqual([]);
      expect(await openTipAlerts()).toEqual([]);

      await addEvents(db, child, [
        { type: 'address_changed', daysAgo: 1, data: { address: '2200 Fannin St Apt 5, Houston, TX 77002' } },
      ]);
      await sweep([child]);
      expect(await candidatesOf('T-TOWN')).toEqual([{ childId: child, evidence: ['name', 'age', 'town'] }]);
      expect(await openTipAlerts()).toEqual([child]);

      // Still a candidate through the release address in Omaha? No: the tip names Houston. Moving back clears it.
      await addEvents(db, child, [{ type: 'address_changed', daysAgo: 0, data: { address: OMAHA_ADDRESS } }]);
      await sweep([child]);
      expect(await candidatesOf('T-TOWN')).toEqual([]);
      expect(await openTipAlerts()).toEqual([]);
      const [closed] = await db.query<{ closed_at: Date | null }>(
        `select closed_at from alerts where rule = 'tip_triage' and child_id = $1`,
        [child],
      );
      expect(closed?.closed_at).not.toBeNull();
    });

    it('a child renamed away from the tip’s name loses the alert; a new version of the tip is judged again', async () => {
      const child = await childFromEvents(db, [...releasedEvents(20), contactedRecently], {
        givenNames: 'Yadira',
        dob: age14,
      });
      await deliverTips([
        tip('T-NAME', { name_mentioned: 'Yadira', approximate_age: 14, street_or_town: 'Houston' }),
      ]);
      await sweep([]);
      expect(await openTipAlerts()).toEqual([child]);
      await db.query(`update children set given_names = 'Yamileth' where id = $1`, [child]);
      await sweep([child]);
      expect(await openTipAlerts()).toEqual([]);
      // The caller calls back: the tip's new version names the child's new name.
      await deliverTips([
        tip('T-NAME', { name_mentioned: 'Yamileth', approximate_age: 14, street_or_town: 'Houston' }),
      ]);
      await sweep([]);
      expect(await candidatesOf('T-NAME')).toEqual([{ childId: child, evidence: ['name', 'age', 'town'] }]);
      expect(await openTipAlerts()).toEqual([child]);
    });

    it('not this child removes that child only; concerns this child removes the tip from every candidate', async () => {
      const first = await childFromEvents(db, [...releasedEvents(20), contactedRecently], {
        givenNames: 'Ines',
        dob: age14,
      });
      const second = await childFromEvents(db, [...releasedEvents(30), contactedRecently], {
        givenNames: 'INÉS',
        dob: age14,
      });
      const third = await childFromEvents(db, [...releasedEvents(40), contactedRecently], {
        givenNames: 'Inés Paola',
        dob: age14,
      });
      await deliverTips([
        tip('T-A', { name_mentioned: 'Inés', approximate_age: 14, street_or_town: 'Houston' }),
        tip('T-B', { name_mentioned: 'Ines', street_or_town: 'Houston', phone: '713 555 01' }),
      ]);
      await sweep([]);
      expect((await candidatesOf('T-A')).map((c) => c.childId)).toEqual([first, second, third]);
      expect(await candidatesOf('T-B')).toEqual(
        [first, second, third].map((childId) => ({ childId, evidence: ['name', 'age', 'town', 'phone'] })),
      );
      await decide({
        childId: first,
        outcome: { kind: 'tip_triaged', tip: 'T-A', decision: 'not_this_child' },
        recordedBy: 'triage',
      });
      expect((await candidatesOf('T-A')).map((c) => c.childId)).toEqual([second, third]);
      expect(await openTipAlerts()).toEqual([first, second, third]); // T-B still concerns the first
      await decide({
        childId: second,
        outcome: { kind: 'tip_triaged', tip: 'T-B', decision: 'concerns_child' },
        recordedBy: 'triage',
      });
      expect(await candidatesOf('T-B')).toEqual([]);
      // The first child had only T-B left; the third still has T-A; the second still has T-A too.
      expect(await openTipAlerts()).toEqual([second, third]);
      await sweep();
      expect(await openTipAlerts()).toEqual([second, third]);
    });
  });

  describe('on a generated caseload', () => {
    let asOf: Date;
    beforeAll(async () => {
      await db.exec(
        'delete from tasks; delete from alerts; delete from open_alert_counts; delete from events; delete from child_state; delete from children; delete from source_records; delete from ingest_batches; delete from tips; delete from tips_pending;',
      );
      const manifest = generateCaseload({ children: 250, seed: 11, out: path.join(workDir, 'caseload') });
      asOf = new Date(`${manifest.asOf}T12:00:00Z`);
      const feeds = listFeedFiles([path.join(workDir, 'caseload', 'feeds')]);
      for (const { file, format } of await recognizeFiles(feeds)) await ingestFile(db, file, format);
    }, 300_000);

    /** Tips about `count` children (every other one naming another child's town), from the store. */
    async function tipsAboutChildren(prefix: string, count: number, offset: number) {
      const rows = await db.query<{
        name: string;
        age: number;
        town: string;
        other: string;
        phone: string | null;
      }>(
        `with c as (
           select ch.id, split_part(btrim(ch.given_names), ' ', 1) as name,
                  coalesce(extract(year from age(now(), ch.dob))::int, 12) as age,
                  regexp_replace(a.last_line, ' [A-Z]{2} [0-9-]+$', '') as town,
                  (select e.data->>'phone' from events e where e.child_id = ch.id and e.type = 'released_to_sponsor'
                   order by e.occurred_at limit 1) as phone,
                  row_number() over (order by ch.id) as k
           from children ch join child_state cs on cs.child_id = ch.id join addresses a on a.id = cs.address_id
           where ch.given_names is not null)
         select c.name, c.age, c.town, o.town as other, c.phone
         from c join c o on o.k = (c.k * 7) % (select count(*) from c) + 1
         order by c.k offset $1 limit $2`,
        [offset, count],
      );
      return rows.map((row, i) =>
        tip(`${prefix}${i}`, {
          name_mentioned: row.name,
          approximate_age: Math.min(25, Math.max(0, row.age)),
          street_or_town: i % 2 ? row.other : row.town,
          ...(i % 3 === 0 && row.phone ? { phone: row.phone.slice(0, 9) } : {}),
        }),
      );
    }

    /** Tips that may concern two children of one first name: the town of one, the sponsor's phone of the other. */
    async function tipsAboutPairs(prefix: string) {
      const rows = await db.query<{ name: string; town: string; phone: string }>(
        `with c as (
           select ch.id, split_part(btrim(ch.given_names), ' ', 1) as name,
                  regexp_replace(a.last_line, ' [A-Z]{2} [0-9-]+$', '') as town,
                  (select e.data->>'phone' from events e where e.child_id = ch.id and e.type = 'released_to_sponsor'
                   order by e.occurred_at limit 1) as phone
           from children ch join child_state cs on cs.child_id = ch.id join addresses a on a.id = cs.address_id
           where ch.given_names is not null)
         select distinct on (one.name) one.name, one.town, other.phone
         from c one join c other on upper(other.name) = upper(one.name) and other.id > one.id
         where other.phone is not null
         order by one.name, one.id, other.id limit 12`,
      );
      return rows.map((row, i) =>
        tip(`${prefix}${i}`, {
          name_mentioned: row.name,
          street_or_town: row.town,
          phone: row.phone.slice(0, 9),
        }),
      );
    }

    async function kept() {
      return db.query<{ tip: string; child_id: number; evidence: string[] }>(
        'select tip, child_id, evidence from tip_candidates order by tip, child_id',
      );
    }

    it('leaves, after incremental sweeps in any order, what a full sweep computes from scratch', async () => {
      await sweep(undefined, asOf);
      await deliverTips([...(await tipsAboutChildren('G1-', 60, 0)), ...(await tipsAboutPairs('P-'))]);
      await sweep([], asOf);
      // Children move into the towns of other children (the towns the tips name), one sweep each.
      const movers = await db.query<{ child_id: number; raw_text: string }>(
        `select m.child_id, a.raw_text
         from (select child_id, row_number() over (order by child_id) as k from child_state where address_id is not null) m
           join (select cs.address_id, row_number() over (order by cs.child_id desc) as k from child_state cs
                 where cs.address_id is not null) t on t.k = m.k
           join addresses a on a.id = t.address_id
         where m.k % 9 = 0 limit 15`,
      );
      for (const mover of movers)
        await decide({
          childId: Number(mover.child_id),
          outcome: { kind: 'address_changed', address: mover.raw_text },
          recordedBy: 'officer',
          occurredAt: asOf,
        });
      // Decisions: tips with several candidates, decided for one of them either way.
      const shared = await db.query<{ tip: string; child_id: number }>(
        `select tip, min(child_id) as child_id from tip_candidates group by tip having count(*) >= 2 order by tip limit 6`,
      );
      expect(shared.length).toBeGreaterThanOrEqual(2);
      for (const [i, { tip: decided, child_id }] of shared.entries())
        await decide({
          childId: Number(child_id),
          outcome: {
            kind: 'tip_triaged',
            tip: decided,
            decision: i % 2 ? 'not_this_child' : 'concerns_child',
          },
          recordedBy: 'triage',
          occurredAt: asOf,
        });
      // More tips, and new versions of earlier ones naming another town, judged at a sweep about a few children.
      const again = await tipsAboutChildren('G1-', 10, 0);
      await deliverTips([
        ...(await tipsAboutChildren('G2-', 30, 60)),
        ...again.map((row, i) => ({ ...row, street_or_town: i % 2 ? 'Springfield' : 'Houston' })),
      ]);
      await sweep(
        movers.slice(0, 3).map((m) => Number(m.child_id)),
        asOf,
      );

      const incremental = await kept();
      const alerts = await openTipAlerts();
      expect(incremental.length).toBeGreaterThan(20);
      expect(alerts.length).toBeGreaterThan(10);
      expect(await db.query(`select 1 from tips_pending`)).toEqual([]);
      for (const { tip: decided } of shared.filter((_, i) => i % 2 === 0))
        expect(incremental.filter((row) => row.tip === decided)).toEqual([]);
      for (const { tip: decided, child_id } of shared.filter((_, i) => i % 2 === 1)) {
        expect(incremental.filter((row) => row.tip === decided && row.child_id === child_id)).toEqual([]);
        expect(incremental.filter((row) => row.tip === decided).length).toBeGreaterThan(0);
      }
      // Every child with a candidacy has the alert, and no one else.
      expect(alerts).toEqual(
        [...new Set(incremental.map((row) => Number(row.child_id)))].sort((a, b) => a - b),
      );

      // A full sweep finds nothing to change...
      const full = await sweep(undefined, asOf);
      expect(full.rules.tip_triage).toMatchObject({ opened: 0, closed: 0 });
      expect(await kept()).toEqual(incremental);
      // ...and neither does one that starts from nothing.
      await db.exec('delete from tip_candidates; delete from tips;');
      const fromScratch = await sweep(undefined, asOf);
      expect(fromScratch.rules.tip_triage).toMatchObject({ opened: 0, closed: 0 });
      expect(await kept()).toEqual(incremental);
      // The children's phones read in one pass (a sweep judging many tips) find what child by child finds.
      const matches = (most: boolean) =>
        db.query(
          `select tip, child_id, evidence from (${tipMatches(childrenNamed('select name from tips'), 'select * from tips where not decided', most)}) m
           order by tip, child_id`,
        );
      const inOnePass = await matches(true);
      expect(inOnePass.filter((row) => (row.evidence as string[]).includes('phone')).length).toBeGreaterThan(
        10,
      );
      expect(inOnePass).toEqual(await matches(false));
    }, 300_000);
  });
});

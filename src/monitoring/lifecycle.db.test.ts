import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { recordOutcome } from './outcomes.service';
import { loadPolicy } from './policy';
import { runSweep } from './sweep.service';
import { changeTaskState } from './tasks.service';
import {
  addEvents,
  childFromEvents,
  daysFromNow,
  HOUSTON_ADDRESS,
  releasedEvents,
  type TestEvent,
} from './testing';

/**
 * Each rule driven the whole way: agency facts (events) → projection → sweep → alert → tasks in the field
 * office's queue → an agency fact or an officer's outcome → the alert closes and its unfinished tasks with it.
 */
const policy = loadPolicy();
const NATIONAL = { offices: 'all' } as const;
const contactedRecently: TestEvent = { type: 'contact_verified', daysAgo: 5 };
const ntaFiled: TestEvent[] = [
  { type: 'nta_issued', daysAgo: 25 },
  { type: 'nta_served', daysAgo: 25 },
  { type: 'nta_filed', daysAgo: 20 },
];
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

describe(`each monitoring rule from events to resolution on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.exec(
      'delete from tasks; delete from alerts; delete from open_alert_counts; delete from users; delete from events; delete from child_state; delete from children; delete from source_records; delete from ingest_batches;',
    );
  });

  const sweep = (childIds?: number[], asOf = new Date()) =>
    runSweep(db, policy, { asOf, ...(childIds ? { childIds } : {}) });

  async function officer(username: string) {
    const [row] = await db.query<{ id: number }>(
      `insert into users (username, display_name, roles, field_office_code)
       values ($1, 'Officer', '["ice_juvenile_coordinator"]', 'HOU') returning id`,
      [username],
    );
    return { id: Number(row!.id), username, canAssign: false };
  }

  async function alertsOf(child: number) {
    const rows = await db.query<{ rule: string }>(
      'select rule from alerts where child_id = $1 and closed_at is null order by rule',
      [child],
    );
    return rows.map((row) => row.rule);
  }

  async function tasksOf(child: number, rule: string) {
    return db.query<{
      id: number;
      kind: string;
      agency: string;
      office_code: string;
      state: string;
      outcome: string | null;
      due_at: Date;
    }>(
      `select t.id, t.kind, t.agency, t.office_code, t.state, t.outcome, t.due_at
       from tasks t join alerts a on a.id = t.alert_id where t.child_id = $1 and a.rule = $2 order by t.id`,
      [child, rule],
    );
  }

  it('no_nta: opens 60 days after release without an NTA; the NTA arriving closes it', async () => {
    const child = await childFromEvents(db, [...releasedEvents(61), contactedRecently]);
    const waiting = await childFromEvents(db, [...releasedEvents(59), contactedRecently]);
    await sweep();
    expect(await alertsOf(child)).toEqual(['no_nta']);
    expect(await alertsOf(waiting)).toEqual([]);
    expect(await tasksOf(child, 'no_nta')).toMatchObject([
      { kind: 'issue_nta', agency: 'ice', office_code: 'HOU', state: 'open' },
    ]);
    const flags = () =>
      db
        .query<{ risk_flags: string[] }>('select risk_flags from child_state where child_id = $1', [child])
        .then((rows) => rows[0]?.risk_flags);
    expect(await flags()).toEqual(['no_nta']);
    await addEvents(db, child, [{ type: 'nta_issued', daysAgo: 0 }]);
    await sweep([child]);
    expect(await alertsOf(child)).toEqual([]);
    expect(await tasksOf(child, 'no_nta')).toMatchObject([{ state: 'done', outcome: 'condition_cleared' }]);
    expect(await flags()).toEqual([]);
  });

  it('nta_not_filed: opens 30 days after service without filing; the filing closes it', async () => {
    const child = await childFromEvents(db, [
      ...releasedEvents(90),
      contactedRecently,
      { type: 'nta_issued', daysAgo: 45 },
      { type: 'nta_served', daysAgo: 44 },
    ]);
    await sweep();
    expect(await alertsOf(child)).toEqual(['nta_not_filed']);
    expect((await tasksOf(child, 'nta_not_filed')).map((task) => task.kind)).toEqual(['file_nta_with_court']);
    await addEvents(db, child, [{ type: 'nta_filed', daysAgo: 0 }]);
    await sweep([child]);
    expect(await alertsOf(child)).toEqual([]);
  });

  it('hearing_address_risk: a hearing in 10 days with no usable address; an officer’s new address closes it', async () => {
    const child = await childFromEvents(db, [
      ...releasedEvents(50, ''),
      contactedRecently,
      ...ntaFiled,
      { type: 'hearing_scheduled', daysAgo: 15, data: { hearing_date: isoDay(daysFromNow(10)) } },
    ]);
    await sweep();
    expect(await alertsOf(child)).toEqual(['hearing_address_risk']);
    expect(await tasksOf(child, 'hearing_address_risk')).toMatchObject([{ kind: 'verify_address' }]);
    const recorded = await db.transaction((tx) =>
      recordOutcome(tx, policy, {
        childId: child,
        outcome: { kind: 'address_changed', address: HOUSTON_ADDRESS },
        recordedBy: 'officer',
      }),
    );
    expect(recorded.sweep.rules.hearing_address_risk.closed).toBe(1);
    expect(await alertsOf(child)).toEqual([]);
    const [state] = await db.query<{ address_verdict: string }>(
      'select address_verdict from child_state where child_id = $1',
      [child],
    );
    expect(state?.address_verdict).toBe('deliverable_likely');
  });

  it('failed_to_appear: starts the protocol, each task with its own due date; attending a later hearing ends it', async () => {
    const now = new Date();
    const child = await childFromEvents(db, [
      ...releasedEvents(50),
      contactedRecently,
      ...ntaFiled,
      { type: 'failed_to_appear', daysAgo: 3 },
    ]);
    await sweep(undefined, now);
    expect(await alertsOf(child)).toEqual(['failed_to_appear']);
    const tasks = await tasksOf(child, 'failed_to_appear');
    // Contact 5 days ago: whereabouts verified, so no missing-child report; no attorney: a legal referral.
    expect(tasks.map((task) => `${task.agency}:${task.kind}`)).toEqual([
      'ice:verify_address',
      'ice:contact_sponsor',
      'orr:request_orr_safety_check',
      'orr:refer_legal_services',
      'ice:locate_attempt',
    ]);
    expect(
      tasks.map((task) => Math.round((new Date(task.due_at).getTime() - now.getTime()) / 86_400_000)),
    ).toEqual([2, 2, 3, 7, 10]);
    await addEvents(db, child, [{ type: 'hearing_attended', daysAgo: 0 }]);
    await sweep([child]);
    expect(await alertsOf(child)).toEqual([]);
    expect(new Set((await tasksOf(child, 'failed_to_appear')).map((task) => task.state))).toEqual(
      new Set(['done']),
    );
  });

  it('runaway: locate and missing-child report due now; finishing the locate task with the child found closes it', async () => {
    const child = await childFromEvents(db, [
      ...releasedEvents(50),
      contactedRecently,
      ...ntaFiled,
      { type: 'runaway_reported', daysAgo: 1, data: { reported_by: 'sponsor' } },
    ]);
    await sweep();
    expect(await alertsOf(child)).toContain('runaway');
    const [locate, report] = await tasksOf(child, 'runaway');
    expect([locate?.kind, report?.kind]).toEqual(['locate_attempt', 'missing_child_report']);
    const actor = await officer('officer-hou');
    const result = await db.transaction((tx) =>
      changeTaskState(tx, policy, NATIONAL, actor, locate!.id, {
        action: 'done',
        outcome: 'child_located',
        note: 'found at an aunt’s house',
      }),
    );
    expect(result.task).toMatchObject({ state: 'done', outcome: 'child_located', assignee: 'officer-hou' });
    expect(result.recorded?.[0]?.eventType).toBe('locate_attempt');
    expect(await alertsOf(child)).toEqual([]);
    expect(await tasksOf(child, 'runaway')).toMatchObject([
      { kind: 'locate_attempt', state: 'done', outcome: 'child_located' },
      { kind: 'missing_child_report', state: 'done', outcome: 'condition_cleared' },
    ]);
  });

  it('safety_call_followup: a call raising concerns asks for a follow-up in a day; a welfare check closes it', async () => {
    const concerns = await childFromEvents(db, [
      ...releasedEvents(40),
      { type: 'safety_call', daysAgo: 2, data: { outcome: 'concerns' } },
    ]);
    const unreached = await childFromEvents(db, [
      ...releasedEvents(40),
      contactedRecently,
      { type: 'safety_call', daysAgo: 2, data: { outcome: 'not_reached' } },
    ]);
    const now = new Date();
    await sweep(undefined, now);
    expect(await alertsOf(concerns)).toEqual(['safety_call_followup']);
    expect(await alertsOf(unreached)).toEqual(['safety_call_followup']);
    const due = async (child: number) =>
      (await tasksOf(child, 'safety_call_followup')).map((task) =>
        Math.round((new Date(task.due_at).getTime() - now.getTime()) / 86_400_000),
      );
    expect(await due(concerns)).toEqual([1]);
    expect(await due(unreached)).toEqual([7]);
    await db.transaction((tx) =>
      recordOutcome(tx, policy, {
        childId: concerns,
        outcome: { kind: 'welfare_check', result: 'seen_safe' },
        recordedBy: 'orr-case-manager',
      }),
    );
    expect(await alertsOf(concerns)).toEqual([]);
  });

  it('no_recent_contact: never contacted since a release 300 days ago; a contact made closes it', async () => {
    const child = await childFromEvents(db, [...releasedEvents(300), ...ntaFiled]);
    await sweep();
    expect(await alertsOf(child)).toEqual(['no_recent_contact']);
    expect(await tasksOf(child, 'no_recent_contact')).toMatchObject([
      { kind: 'welfare_check', agency: 'orr' },
    ]);
    const recorded = await db.transaction((tx) =>
      recordOutcome(tx, policy, {
        childId: child,
        outcome: { kind: 'contact_made', method: 'phone' },
        recordedBy: 'orr-case-manager',
      }),
    );
    expect(recorded.eventType).toBe('contact_verified');
    expect(await alertsOf(child)).toEqual([]);
  });

  it('shared_sponsor_or_address: four children behind one door; when one moves, all four alerts close', async () => {
    const crowd: number[] = [];
    for (let i = 0; i < 4; i++)
      crowd.push(await childFromEvents(db, [...releasedEvents(20), contactedRecently]));
    await sweep();
    for (const child of crowd) expect(await alertsOf(child)).toEqual(['shared_sponsor_or_address']);
    const [alert] = await db.query<{ detail: unknown }>(
      `select detail from alerts where child_id = $1 and rule = 'shared_sponsor_or_address'`,
      [crowd[0]],
    );
    expect(alert?.detail).toEqual([{ kind: 'address', children: crowd }]);
    await db.transaction((tx) =>
      recordOutcome(tx, policy, {
        childId: crowd[3]!,
        outcome: { kind: 'address_changed', address: '2200 Fannin St Apt 5, Houston, TX 77002' },
        recordedBy: 'officer',
      }),
    );
    // Only the child who moved was swept; the three left behind are its former neighbours, swept with it.
    for (const child of crowd) expect(await alertsOf(child)).toEqual([]);
  });

  it('age_out: 60 days before the 18th birthday; past the birthday the alert closes', async () => {
    const birthday = daysFromNow(60);
    const dob = `${birthday.getUTCFullYear() - 18}-${isoDay(birthday).slice(5)}`;
    const child = await childFromEvents(db, [...releasedEvents(20), contactedRecently], { dob });
    await sweep();
    expect(await alertsOf(child)).toEqual(['age_out']);
    expect(await tasksOf(child, 'age_out')).toMatchObject([{ kind: 'age_out_transition' }]);
    await sweep([child], daysFromNow(62));
    expect(await alertsOf(child)).not.toContain('age_out');
    expect(await tasksOf(child, 'age_out')).toMatchObject([{ state: 'done', outcome: 'condition_cleared' }]);
  });

  it('tip_triage: a tip names two possible children; deciding it concerns one closes both alerts', async () => {
    const age15 = isoDay(daysFromNow(-15 * 365 - 100));
    const inTown = await childFromEvents(db, [...releasedEvents(20), contactedRecently], {
      givenNames: 'Yesenia Marisol',
      dob: age15,
    });
    const byPhone = await childFromEvents(
      db,
      [
        { type: 'transferred_to_orr', daysAgo: 50 },
        {
          type: 'released_to_sponsor',
          daysAgo: 20,
          data: {
            address: '77 Grand St, Brooklyn, NY 11211',
            state: 'NY',
            zip: '11211',
            phone: '212-555-0199',
          },
        },
        contactedRecently,
      ],
      { givenNames: 'YESENIA', dob: age15 },
    );
    const elsewhere = await childFromEvents(
      db,
      [
        { type: 'transferred_to_orr', daysAgo: 50 },
        {
          type: 'released_to_sponsor',
          daysAgo: 20,
          data: { address: '12 Elm St, Omaha, NE 68102', state: 'NE' },
        },
        contactedRecently,
      ],
      { givenNames: 'Yesénia', dob: age15 },
    );
    const [batch] = await db.query<{ id: number }>(
      `insert into ingest_batches (source, kind, format_version, file_name, sha256) values ('tips', 'tips', '1', 'tips.jsonl', 'x') returning id`,
    );
    await db.query(
      `insert into source_records (batch_id, source, kind, source_key, content_hash, line, payload)
       values ($1, 'tips', 'tips', 'TIP-1', 'h', 1, $2)`,
      [
        batch!.id,
        JSON.stringify({
          tip_id: 'TIP-1',
          received_date: isoDay(new Date()),
          name_mentioned: 'Yesenia',
          approximate_age: 15,
          street_or_town: 'Houston',
          phone: '(212) 555-01',
        }),
      ],
    );
    // A batch of tips touches no known child: the incremental sweep still triages them.
    await sweep([]);
    expect(await alertsOf(inTown)).toEqual(['tip_triage']);
    expect(await alertsOf(byPhone)).toEqual(['tip_triage']);
    expect(await alertsOf(elsewhere)).toEqual([]);
    const [alert] = await db.query<{ detail: { tips: unknown[] } }>(
      `select detail from alerts where child_id = $1 and rule = 'tip_triage'`,
      [byPhone],
    );
    expect(alert?.detail.tips).toEqual([
      {
        tip: 'TIP-1',
        received_on: isoDay(new Date()),
        evidence: ['name', 'age', 'phone'],
        candidates: expect.arrayContaining([inTown, byPhone]),
      },
    ]);
    const [task] = await tasksOf(inTown, 'tip_triage');
    expect(task?.kind).toBe('triage_tip');
    const actor = await officer('triage-hou');
    await db.transaction((tx) =>
      changeTaskState(tx, policy, NATIONAL, actor, task!.id, {
        action: 'done',
        outcome: 'tip_concerns_child',
      }),
    );
    expect(await alertsOf(inTown)).toEqual([]);
    expect(await alertsOf(byPhone)).toEqual([]);
  });
});

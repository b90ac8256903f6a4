import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeAddresses } from '../addresses/addresses.repository';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { loadPolicy } from './policy';
import { runSweep } from './sweep.service';

const policy = loadPolicy();
const NOW = new Date('2026-06-01T12:00:00Z');
const daysBefore = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const daysAfter = (n: number) => daysBefore(-n);

type ChildState = Record<string, unknown>;

async function addChild(db: Database, state: ChildState = {}, dob = '2010-01-01'): Promise<number> {
  const [child] = await db.query<{ id: number }>('insert into children (dob) values ($1) returning id', [
    dob,
  ]);
  const row: ChildState = {
    status: 'released',
    released_at: daysBefore(10),
    field_office_code: 'ATL',
    whereabouts: 'verified',
    last_verified_contact_at: daysBefore(5),
    nta_issued_at: daysBefore(9),
    dob, // the projection copies it from children
    ...state,
  };
  const columns = Object.keys(row);
  await db.query(
    `insert into child_state (child_id, ${columns.join(', ')}) values ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})`,
    [child!.id, ...Object.values(row)],
  );
  return child!.id;
}

async function openAlerts(db: Database, childId: number) {
  const rows = await db.query<{ rule: string }>(
    'select rule from alerts where child_id = $1 and closed_at is null order by rule',
    [childId],
  );
  return rows.map((row) => row.rule);
}

async function tasksOf(db: Database, childId: number, rule?: string) {
  return db.query<{ kind: string; agency: string; office_code: string; state: string; due_at: Date }>(
    `select t.kind, t.agency, t.office_code, t.state, t.due_at from tasks t join alerts a on a.id = t.alert_id
     where t.child_id = $1 and ($2::text is null or a.rule = $2) order by t.id`,
    [childId, rule ?? null],
  );
}

describe(`monitoring sweep on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.exec(
      'delete from tasks; delete from alerts; delete from open_alert_counts; delete from child_state; delete from children;',
    );
  });

  it('raises nothing for a released child with an NTA and a recent contact', async () => {
    const child = await addChild(db);
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, child)).toEqual([]);
  });

  it('ends the juvenile case on the 18th birthday as of the sweep’s time: alerts close, and reopen in a replay before it', async () => {
    // Released 100 days ago with no NTA; turns 18 ten days before NOW (so 18 within 90 days in the replay).
    const child = await addChild(db, { nta_issued_at: null, released_at: daysBefore(100) }, '2008-05-22');
    const before = new Date(NOW.getTime() - 20 * 86_400_000);
    await runSweep(db, policy, { asOf: before });
    expect(await openAlerts(db, child)).toEqual(['age_out', 'no_nta']);

    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, child)).toEqual([]);
    const [state] = await db.query<{ aged_out: boolean }>(
      'select aged_out from child_state where child_id = $1',
      [child],
    );
    expect(state?.aged_out).toBe(true);

    await runSweep(db, policy, { asOf: before });
    expect(await openAlerts(db, child)).toEqual(['age_out', 'no_nta']);
  });

  it('opens no_nta after the policy window, with an ICE task due in 14 days in the child’s field office', async () => {
    const early = await addChild(db, { nta_issued_at: null, released_at: daysBefore(59) });
    const late = await addChild(db, {
      nta_issued_at: null,
      released_at: daysBefore(61),
      field_office_code: 'HOU',
    });
    const result = await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, early)).toEqual([]);
    expect(await openAlerts(db, late)).toEqual(['no_nta']);
    expect(result.rules.no_nta).toEqual({ opened: 1, closed: 0, open: 1 });
    const [task] = await tasksOf(db, late);
    expect(task).toMatchObject({ kind: 'issue_nta', agency: 'ice', office_code: 'HOU', state: 'open' });
    expect(new Date(task!.due_at).toISOString()).toBe(daysAfter(14));
  });

  it('keeps one open alert per rule and child however often it sweeps', async () => {
    const child = await addChild(db, { nta_issued_at: null, released_at: daysBefore(100) });
    await runSweep(db, policy, { asOf: NOW });
    const again = await runSweep(db, policy, { asOf: new Date(NOW.getTime() + 3_600_000) });
    expect(again.rules.no_nta).toEqual({ opened: 0, closed: 0, open: 1 });
    expect(await tasksOf(db, child)).toHaveLength(1);
  });

  it('closes the alert and its unfinished tasks when the condition clears, keeping the history', async () => {
    const child = await addChild(db, { nta_issued_at: null, released_at: daysBefore(100) });
    await runSweep(db, policy, { asOf: NOW });
    await db.query('update child_state set nta_issued_at = $2 where child_id = $1', [child, daysBefore(1)]);
    const result = await runSweep(db, policy, { asOf: NOW });
    expect(result.rules.no_nta).toEqual({ opened: 0, closed: 1, open: 0 });
    expect(await openAlerts(db, child)).toEqual([]);
    const [history] = await db.query<{ n: number }>(
      'select count(*)::int as n from alerts where child_id = $1',
      [child],
    );
    expect(history?.n).toBe(1);
    expect(await tasksOf(db, child)).toMatchObject([{ kind: 'issue_nta', state: 'done' }]);
  });

  it('starts the failed-to-appear protocol, with the legal referral only for a child without an attorney', async () => {
    const withLawyer = await addChild(db, {
      last_failed_to_appear_at: daysBefore(1),
      failed_to_appear_count: 1,
      has_attorney: true,
    });
    const alone = await addChild(db, {
      last_failed_to_appear_at: daysBefore(1),
      failed_to_appear_count: 1,
      whereabouts: 'unknown',
      last_verified_contact_at: null,
    });
    await runSweep(db, policy, { asOf: NOW });
    expect((await tasksOf(db, withLawyer)).map((task) => task.kind)).toEqual([
      'verify_address',
      'contact_sponsor',
      'request_orr_safety_check',
      'locate_attempt',
    ]);
    const aloneTasks = await tasksOf(db, alone, 'failed_to_appear');
    expect(aloneTasks.map((task) => `${task.agency}:${task.kind}`)).toEqual([
      'ice:verify_address',
      'ice:contact_sponsor',
      'orr:request_orr_safety_check',
      'orr:refer_legal_services',
      'ice:locate_attempt',
      'ice:missing_child_report',
    ]);
  });

  it('clears failed-to-appear once the child attends a later hearing', async () => {
    const child = await addChild(db, { last_failed_to_appear_at: daysBefore(20), failed_to_appear_count: 1 });
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, child)).toContain('failed_to_appear');
    await db.query('update child_state set last_hearing_attended_at = $2 where child_id = $1', [
      child,
      daysBefore(2),
    ]);
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, child)).not.toContain('failed_to_appear');
  });

  it('judges whereabouts as of the sweep’s time under the policy windows', async () => {
    const recent = await addChild(db, { whereabouts: 'unknown', last_verified_contact_at: daysBefore(30) });
    const fading = await addChild(db, { whereabouts: 'verified', last_verified_contact_at: daysBefore(120) });
    const gone = await addChild(db, { whereabouts: 'verified', last_verified_contact_at: daysBefore(200) });
    await runSweep(db, policy, { asOf: NOW });
    const rows = await db.query<{ child_id: number; whereabouts: string }>(
      'select child_id, whereabouts from child_state order by child_id',
    );
    expect(rows.map((row) => row.whereabouts)).toEqual(['verified', 'unverified', 'unknown']);
    expect(rows.map((row) => row.child_id)).toEqual([recent, fading, gone]);
  });

  it('raises runaway, safety-call follow-up and unknown whereabouts from the child’s state', async () => {
    const runaway = await addChild(db, { runaway: true, runaway_reported_at: daysBefore(1) });
    const concerns = await addChild(db, {
      last_safety_call_outcome: 'concerns',
      last_safety_call_at: daysBefore(1),
    });
    const unknown = await addChild(db, { whereabouts: 'unknown', last_verified_contact_at: daysBefore(400) });
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, runaway)).toEqual(['no_recent_contact', 'runaway']); // a runaway's whereabouts are unknown
    expect(await openAlerts(db, concerns)).toEqual(['safety_call_followup']);
    expect((await tasksOf(db, concerns)).map((task) => task.kind)).toEqual(['safety_followup']);
    expect(await openAlerts(db, unknown)).toEqual(['no_recent_contact']);
  });

  it('opens the same alerts and tasks with the indexes built after them, and builds them as they were', async () => {
    await addChild(db, { runaway: true, runaway_reported_at: daysBefore(1) });
    await addChild(db, { last_safety_call_outcome: 'concerns', last_safety_call_at: daysBefore(1) });
    await addChild(db, { nta_issued_at: null, released_at: daysBefore(90) });
    await addChild(db, {
      status: 'in_proceedings',
      failed_to_appear_count: 1,
      last_failed_to_appear_at: daysBefore(3),
    });
    // Each index's definition, and its object id: an index built again is a new object.
    const indexes = () =>
      db.query<{ name: string; definition: string; oid: number }>(
        `select i.relname as name, pg_get_indexdef(i.oid) as definition, i.oid::int as oid
         from pg_index x join pg_class i on i.oid = x.indexrelid
         where x.indrelid in ('alerts'::regclass, 'tasks'::regclass) and not x.indisprimary order by 1`,
      );
    const definitions = (rows: { name: string; definition: string }[]) =>
      rows.map(({ name, definition }) => ({ name, definition }));
    const opened = async () => ({
      alerts: await db.query(
        'select rule, child_id, severity, detail, opened_at from alerts where closed_at is null order by 1, 2',
      ),
      tasks: await db.query(
        `select a.rule, t.child_id, t.kind, t.agency, t.office_code, t.severity, t.due_at, t.state
         from tasks t join alerts a on a.id = t.alert_id order by 1, 2, 3`,
      ),
      counts: await db.query('select rule, open from open_alert_counts order by rule'),
    });
    const before = await indexes();
    expect(before.length).toBe(7); // two on alerts, five on tasks

    const bulk = await runSweep(db, policy, { asOf: NOW, bulkOpening: 1 });
    const rebuilt = await opened();
    const after = await indexes();
    expect(definitions(after)).toEqual(definitions(before));
    expect(after.every((index, i) => index.oid !== before[i]!.oid)).toBe(true); // every one built again
    expect(rebuilt.alerts.length).toBeGreaterThanOrEqual(4);
    expect(rebuilt.tasks.length).toBeGreaterThanOrEqual(4);

    // As before the first sweep: the sweep trusts the flags it wrote to say which alerts are open.
    await db.exec(
      'delete from tasks; delete from alerts; delete from open_alert_counts; update child_state set risk_flags = default',
    );
    const ordinary = await runSweep(db, policy, { asOf: NOW });
    expect(ordinary).toEqual(bulk);
    expect(await opened()).toEqual(rebuilt);
    expect(await indexes()).toEqual(after); // a sweep opening fewer than the threshold keeps its indexes
  });

  it('flags every child at a sponsor shared by four or more, naming the others', async () => {
    const [sponsor] = await db.query<{ id: number }>(
      "insert into sponsors (name) values ('Sponsor A') returning id",
    );
    const crowd = [];
    for (let i = 0; i < 4; i++) crowd.push(await addChild(db, { sponsor_id: sponsor!.id }));
    const [pair] = await db.query<{ id: number }>(
      "insert into sponsors (name) values ('Sponsor B') returning id",
    );
    const sibling = await addChild(db, { sponsor_id: pair!.id });
    await addChild(db, { sponsor_id: pair!.id });
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, crowd[0]!)).toEqual(['shared_sponsor_or_address']);
    expect(await openAlerts(db, sibling)).toEqual([]);
    const [alert] = await db.query<{ detail: { kind: string; children: number[] }[] }>(
      "select detail from alerts where child_id = $1 and rule = 'shared_sponsor_or_address'",
      [crowd[2]],
    );
    expect(alert?.detail).toEqual([{ kind: 'sponsor', children: crowd }]);
  });

  it('flags four children behind one door however the address was written, and not the neighbours', async () => {
    const spellings = [
      '4500 Westheimer Rd Apt 12, Houston, TX 77027',
      '4500 WESTHEIMER ROAD #12 HOUSTON TX 77027',
      '4500 Westheimer Road, Apt. 12, Houston, Texas 77027',
      '4500 Westheimer Rd Apt 14, Houston, TX 77027',
    ];
    await storeAddresses(db, spellings, []);
    const ids = await db.query<{ id: number }>(
      'select id from addresses where raw_text = any($1) order by raw_text',
      [spellings],
    );
    const idOf = (text: string) =>
      db
        .query<{ id: number }>('select id from addresses where raw_text = $1', [text])
        .then((rows) => rows[0]!.id);
    expect(ids).toHaveLength(4);
    const door = [];
    for (const text of [spellings[0]!, spellings[1]!, spellings[2]!, spellings[0]!]) {
      door.push(await addChild(db, { address_id: await idOf(text) }));
    }
    const neighbour = await addChild(db, { address_id: await idOf(spellings[3]!) });
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, door[1]!)).toEqual(['shared_sponsor_or_address']);
    expect(await openAlerts(db, neighbour)).toEqual([]);
  });

  it('opens age-out within 90 days of the 18th birthday and not before', async () => {
    const soon = await addChild(db, {}, '2008-07-15');
    const later = await addChild(db, {}, '2008-12-15');
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, soon)).toEqual(['age_out']);
    expect(await openAlerts(db, later)).toEqual([]);
  });

  it('escalates a task left open past its due date plus the grace days', async () => {
    const child = await addChild(db, { runaway: true, runaway_reported_at: daysBefore(1) });
    await runSweep(db, policy, { asOf: NOW });
    const result = await runSweep(db, policy, { asOf: new Date(NOW.getTime() + 5 * 86_400_000) });
    expect(result.tasksEscalated).toBe(2);
    expect((await tasksOf(db, child, 'runaway')).map((task) => task.state)).toEqual([
      'escalated',
      'escalated',
    ]);
    expect((await tasksOf(db, child, 'no_recent_contact')).map((task) => task.state)).toEqual(['open']); // due in 14 days
  });

  it('limits an incremental sweep to the children it is given', async () => {
    const touched = await addChild(db, { runaway: true });
    const untouched = await addChild(db, { runaway: true });
    const result = await runSweep(db, policy, { asOf: NOW, childIds: [touched] });
    expect(result.scope).toBe('incremental');
    expect(await openAlerts(db, touched)).toContain('runaway');
    expect(await openAlerts(db, untouched)).toEqual([]);
  });

  it('flags the children already at a sponsor when a fourth arrives, sweeping only the newcomer', async () => {
    const [sponsor] = await db.query<{ id: number }>(
      "insert into sponsors (name) values ('Sponsor C') returning id",
    );
    const settled = [];
    for (let i = 0; i < 3; i++) settled.push(await addChild(db, { sponsor_id: sponsor!.id }));
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, settled[0]!)).toEqual([]);
    const newcomer = await addChild(db, { sponsor_id: sponsor!.id });
    await runSweep(db, policy, { asOf: NOW, childIds: [newcomer] });
    for (const child of [...settled, newcomer])
      expect(await openAlerts(db, child)).toEqual(['shared_sponsor_or_address']);
  });

  it('judges the housemates of a batch child for the shared place only, not for their own rules', async () => {
    const [sponsor] = await db.query<{ id: number }>(
      "insert into sponsors (name) values ('Sponsor D') returning id",
    );
    const housemates = [];
    for (let i = 0; i < 3; i++) housemates.push(await addChild(db, { sponsor_id: sponsor!.id }));
    await runSweep(db, policy, { asOf: NOW });
    // A housemate's own state changes without a batch of its own: only its next batch, or a full sweep, sees it.
    await db.query('update child_state set runaway = true where child_id = $1', [housemates[0]]);
    const newcomer = await addChild(db, { sponsor_id: sponsor!.id });
    await runSweep(db, policy, { asOf: NOW, childIds: [newcomer] });
    expect(await openAlerts(db, housemates[0]!)).toEqual(['shared_sponsor_or_address']);
    await runSweep(db, policy, { asOf: NOW });
    expect(await openAlerts(db, housemates[0]!)).toEqual([
      'no_recent_contact',
      'runaway',
      'shared_sponsor_or_address',
    ]);
  });

  it('records each opened alert’s detail and keeps risk_flags equal to the open alerts', async () => {
    const child = await addChild(db, { nta_issued_at: null, released_at: daysBefore(70), runaway: true });
    await runSweep(db, policy, { asOf: NOW });
    const alerts = await db.query<{ rule: string; detail: Record<string, unknown> }>(
      'select rule, detail from alerts where child_id = $1 and closed_at is null order by rule',
      [child],
    );
    expect(alerts.map((alert) => alert.rule)).toEqual(['no_nta', 'no_recent_contact', 'runaway']);
    expect(new Date(alerts[0]!.detail.since as string).toISOString()).toBe(daysBefore(70));
    const [state] = await db.query<{ risk_flags: string[] }>(
      'select risk_flags from child_state where child_id = $1',
      [child],
    );
    expect(state?.risk_flags).toEqual(['no_nta', 'no_recent_contact', 'runaway']);
    await db.query(
      'update child_state set runaway = false, last_verified_contact_at = $2, nta_issued_at = $2 where child_id = $1',
      [child, daysBefore(1)],
    );
    const result = await runSweep(db, policy, { asOf: NOW });
    expect(result.rules.runaway.closed).toBe(1);
    expect(result.rules.no_nta.closed).toBe(1);
    expect(await openAlerts(db, child)).toEqual([]);
  });

  it('reports open alerts per rule that agree with the alerts table after full and incremental sweeps', async () => {
    const children = [];
    for (let i = 0; i < 6; i++)
      children.push(
        await addChild(db, { nta_issued_at: null, released_at: daysBefore(61 + i), runaway: i < 2 }),
      );
    await runSweep(db, policy, { asOf: NOW });
    await db.query('update child_state set nta_issued_at = $2, runaway = false where child_id = any($1)', [
      children.slice(0, 3),
      daysBefore(1),
    ]);
    await runSweep(db, policy, { asOf: NOW, childIds: children.slice(0, 2) });
    const result = await runSweep(db, policy, { asOf: NOW, childIds: [children[2]!] });
    const actual = await db.query<{ rule: string; n: number }>(
      'select rule, count(*)::int as n from alerts where closed_at is null group by rule',
    );
    for (const id of Object.keys(result.rules) as (keyof typeof result.rules)[])
      expect([id, result.rules[id].open]).toEqual([id, actual.find((row) => row.rule === id)?.n ?? 0]);
    expect(result.rules.no_nta.open).toBe(3);
  });

  it('does nothing for a rule the policy switches off', async () => {
    const child = await addChild(db, { runaway: true });
    const quiet = structuredClone(policy);
    quiet.rules.runaway.enabled = false;
    await runSweep(db, quiet, { asOf: NOW });
    expect(await openAlerts(db, child)).not.toContain('runaway');
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../auth/testing';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { loadPolicy } from './policy';
import { runSweep } from './sweep.service';
import { childFromEvents, daysFromNow, releasedEvents, type TestEvent } from './testing';

const policy = loadPolicy();
const contacted: TestEvent = { type: 'contact_verified', daysAgo: 5 };
const ntaFiled: TestEvent[] = [
  { type: 'nta_issued', daysAgo: 25 },
  { type: 'nta_filed', daysAgo: 20 },
];
const ATLANTA = '120 Peachtree St NE Apt 4, Atlanta, GA 30303';
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

describe(`the field-office work API on ${testEngine}`, () => {
  let db: Database;
  let app: FastifyInstance;
  const as: Record<string, { cookie: string; csrfToken: string }> = {};
  const child: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000, policy });
    child.runaway = await childFromEvents(db, [
      ...releasedEvents(40, `4010 Walnut Ave Apt 611, Houston, TX 77085`),
      contacted,
      ...ntaFiled,
      { type: 'runaway_reported', daysAgo: 1 },
    ]);
    child.found = await childFromEvents(db, [
      ...releasedEvents(40, `4010 Walnut Ave Apt 615, Houston, TX 77085`),
      contacted,
      ...ntaFiled,
      { type: 'runaway_reported', daysAgo: 1 },
    ]);
    child.noNta = await childFromEvents(db, [
      ...releasedEvents(70, `4010 Walnut Ave Apt 612, Houston, TX 77085`),
      contacted,
    ]);
    child.youngConcerns = await childFromEvents(
      db,
      [
        ...releasedEvents(40, `4010 Walnut Ave Apt 613, Houston, TX 77085`),
        ...ntaFiled,
        { type: 'safety_call', daysAgo: 2, data: { outcome: 'concerns' } },
      ],
      { dob: isoDay(daysFromNow(-11 * 365)) },
    );
    child.neverContacted = await childFromEvents(db, [
      ...releasedEvents(300, `4010 Walnut Ave Apt 614, Houston, TX 77085`),
      ...ntaFiled,
    ]);
    child.atlanta = await childFromEvents(db, [
      { type: 'transferred_to_orr', daysAgo: 100 },
      { type: 'released_to_sponsor', daysAgo: 70, data: { address: ATLANTA, state: 'GA', zip: '30303' } },
      contacted,
    ]);
    await runSweep(db, policy);
    as.coordinator = await signedIn(app, db, 'coordinator-hou', 'ice_juvenile_coordinator', 'HOU');
    as.colleague = await signedIn(app, db, 'colleague-hou', 'ice_juvenile_coordinator', 'HOU');
    as.supervisor = await signedIn(app, db, 'supervisor-hou', 'field_office_supervisor', 'HOU');
    as.atlanta = await signedIn(app, db, 'coordinator-atl', 'ice_juvenile_coordinator', 'ATL');
    as.orr = await signedIn(app, db, 'orr-manager', 'orr_case_manager');
    as.analyst = await signedIn(app, db, 'analyst', 'hq_analyst');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const get = (who: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: as[who]!.cookie } });
  const post = (who: string, url: string, payload: object) =>
    app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie: as[who]!.cookie, 'x-csrf-token': as[who]!.csrfToken },
    });
  const taskOf = async (childId: number, kind: string) => {
    const [row] = await db.query<{ id: number }>(
      'select id from tasks where child_id = $1 and kind = $2 order by id limit 1',
      [childId, kind],
    );
    return Number(row!.id);
  };

  it('ranks the office queue by risk, explaining the points behind each rank', async () => {
    const response = await get('coordinator', '/api/v1/tasks?limit=200');
    expect(response.statusCode).toBe(200);
    const { tasks } = response.json() as {
      tasks: {
        childId: number;
        kind: string;
        rank: number;
        rankReasons: { factor: string; points: number; why: string }[];
      }[];
    };
    expect(tasks[0]).toMatchObject({ childId: child.runaway, kind: 'locate_attempt' });
    expect(tasks[0]!.rankReasons).toEqual([
      { factor: 'severity_critical', points: 400, why: 'critical severity (runaway)' },
      { factor: 'runaway', points: 100, why: 'reported as a runaway, not found since' },
      { factor: 'whereabouts_unknown', points: 60, why: 'whereabouts unknown' },
    ]);
    for (const task of tasks)
      expect(task.rank).toBe(task.rankReasons.reduce((sum, reason) => sum + reason.points, 0));
    const ranks = tasks.map((task) => task.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const young = tasks.find(
      (task) => task.childId === child.youngConcerns && task.kind === 'safety_followup',
    );
    expect(young?.rankReasons.map((reason) => reason.factor)).toEqual([
      'severity_high',
      'concerns_raised',
      'under_14',
    ]);
    expect(tasks.some((task) => task.childId === child.atlanta)).toBe(false);
  });

  it('pages the queue with a cursor, never repeating or skipping a task', async () => {
    const all = (await get('coordinator', '/api/v1/tasks?limit=200'))
      .json()
      .tasks.map((task: { id: number }) => task.id);
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await get('coordinator', `/api/v1/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json() as { tasks: { id: number }[]; nextCursor: string | null };
      paged.push(...page.tasks.map((task) => task.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(4);
    expect((await get('coordinator', '/api/v1/tasks?cursor=garbage')).statusCode).toBe(400);
  });

  it('filters the queue by rule, assignee, state and overdue', async () => {
    const byRule = (await get('coordinator', '/api/v1/tasks?rule=no_nta')).json().tasks;
    expect(byRule).toMatchObject([{ childId: child.noNta, kind: 'issue_nta', rule: 'no_nta' }]);
    const overdueTask = await taskOf(child.noNta!, 'issue_nta');
    await db.query(`update tasks set due_at = now() - interval '2 days' where id = $1`, [overdueTask]);
    const overdue = (await get('coordinator', '/api/v1/tasks?overdue=true')).json().tasks;
    expect(overdue.map((task: { id: number }) => task.id)).toEqual([overdueTask]);
    expect(overdue[0].rankReasons).toContainEqual({ factor: 'overdue', points: 4, why: 'overdue by 2 days' });
    expect((await get('coordinator', '/api/v1/tasks?state=done')).json().tasks).toEqual([]);
    expect((await get('coordinator', '/api/v1/tasks?assignee=nobody-at-all')).json().tasks).toEqual([]);
  });

  it('shows another office’s task as missing, and lets a national role see every office', async () => {
    const atlantaTask = await taskOf(child.atlanta!, 'issue_nta');
    expect((await get('coordinator', `/api/v1/tasks/${atlantaTask}`)).statusCode).toBe(404);
    expect((await get('atlanta', `/api/v1/tasks/${atlantaTask}`)).json()).toMatchObject({
      officeCode: 'ATL',
    });
    const national = (await get('orr', '/api/v1/tasks?limit=200')).json().tasks;
    expect(new Set(national.map((task: { officeCode: string }) => task.officeCode))).toEqual(
      new Set(['HOU', 'ATL']),
    );
    expect((await get('coordinator', '/api/v1/tasks?office=ATL')).statusCode).toBe(403);
    expect((await get('analyst', '/api/v1/tasks')).statusCode).toBe(403);
  });

  it('lets only a supervisor assign, within the office, and audits each assignment', async () => {
    const task = await taskOf(child.neverContacted!, 'welfare_check');
    expect(
      (await post('coordinator', `/api/v1/tasks/${task}/assign`, { assignee: 'colleague-hou' })).statusCode,
    ).toBe(403);
    expect(
      (await post('supervisor', `/api/v1/tasks/${task}/assign`, { assignee: 'coordinator-atl' })).statusCode,
    ).toBe(400);
    const assigned = await post('supervisor', `/api/v1/tasks/${task}/assign`, { assignee: 'colleague-hou' });
    expect(assigned.json()).toEqual({ assigned: 1 });
    expect((await get('colleague', '/api/v1/tasks?assignee=colleague-hou')).json().tasks).toMatchObject([
      { id: task, assignee: 'colleague-hou' },
    ]);
    const [entry] = await db.query(
      `select actor, action, object_id, result from audit_log where action = 'task.assign' order by seq desc limit 1`,
    );
    expect(entry).toEqual({
      actor: 'supervisor-hou',
      action: 'task.assign',
      object_id: String(task),
      result: 'succeeded',
    });
  });

  it('bulk-assigns all the tasks or, when one is in another office, none', async () => {
    const houston = [await taskOf(child.noNta!, 'issue_nta'), await taskOf(child.runaway!, 'locate_attempt')];
    const atlantaTask = await taskOf(child.atlanta!, 'issue_nta');
    const refused = await post('supervisor', '/api/v1/tasks/assign', {
      taskIds: [...houston, atlantaTask],
      assignee: 'coordinator-hou',
    });
    expect(refused.statusCode).toBe(404);
    const [unchanged] = await db.query<{ n: number }>(
      'select count(*)::int as n from tasks where id = any($1::bigint[]) and assignee_id is not null',
      [houston],
    );
    expect(unchanged?.n).toBe(0);
    const done = await post('supervisor', '/api/v1/tasks/assign', {
      taskIds: houston,
      assignee: 'coordinator-hou',
    });
    expect(done.json()).toEqual({ assigned: 2 });
    const [denied] = await db.query(
      `select result from audit_log where action = 'task.assign' and actor = 'supervisor-hou' and result = 'denied'`,
    );
    expect(denied).toEqual({ result: 'denied' });
  });

  it('moves a task through its lifecycle; finishing it with a contact closes the alert', async () => {
    const task = await taskOf(child.youngConcerns!, 'safety_followup');
    const started = await post('coordinator', `/api/v1/tasks/${task}/state`, { action: 'start' });
    expect(started.json().task).toMatchObject({ state: 'in_progress', assignee: 'coordinator-hou' });
    expect((await post('colleague', `/api/v1/tasks/${task}/state`, { action: 'release' })).statusCode).toBe(
      403,
    );
    expect((await post('coordinator', `/api/v1/tasks/${task}/state`, { action: 'done' })).statusCode).toBe(
      400,
    );
    expect((await post('coordinator', `/api/v1/tasks/${task}/state`, { action: 'start' })).statusCode).toBe(
      409,
    );
    const done = await post('coordinator', `/api/v1/tasks/${task}/state`, {
      action: 'done',
      outcome: 'welfare_check_safe',
      note: 'seen at home with the sponsor',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      task: { state: 'done', outcome: 'welfare_check_safe' },
      recorded: [{ eventType: 'welfare_check', alerts: { closed: ['safety_call_followup'] } }],
    });
    const alerts = (
      await get('coordinator', `/api/v1/alerts?child=${child.youngConcerns}&rule=safety_call_followup`)
    ).json().alerts;
    expect(alerts).toMatchObject([{ rule: 'safety_call_followup', closedAt: expect.any(String) }]);
  });

  it('records an officer’s outcome as an event that clears the alerts it answers', async () => {
    const recorded = await post('coordinator', `/api/v1/children/${child.neverContacted}/outcomes`, {
      outcome: { kind: 'contact_made', method: 'in_person' },
      note: 'home visit',
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toEqual({
      eventType: 'contact_verified',
      alerts: { opened: [], closed: ['no_recent_contact'] },
    });
    const [event] = await db.query<{ data: Record<string, unknown> }>(
      `select data from events where child_id = $1 and type = 'contact_verified'`,
      [child.neverContacted],
    );
    expect(event?.data).toEqual({ method: 'in_person', recorded_by: 'coordinator-hou', note: 'home visit' });
    const [entry] = await db.query(
      `select action, child_id, result from audit_log where action = 'outcome.record' order by seq desc limit 1`,
    );
    expect(entry).toEqual({ action: 'outcome.record', child_id: child.neverContacted, result: 'succeeded' });
  });

  it('lets the person working a task escalate it to the supervisor, once', async () => {
    const task = await taskOf(child.found!, 'missing_child_report');
    const escalated = await post('colleague', `/api/v1/tasks/${task}/state`, { action: 'escalate' });
    expect(escalated.statusCode).toBe(200);
    expect(escalated.json().task).toMatchObject({ id: task, state: 'escalated' });
    const [row] = await db.query<{ escalated: boolean }>(
      'select escalated_at is not null as escalated from tasks where id = $1',
      [task],
    );
    expect(row).toEqual({ escalated: true });
    expect((await post('colleague', `/api/v1/tasks/${task}/state`, { action: 'escalate' })).statusCode).toBe(
      409,
    );
  });

  it('records an outcome on the case for one of the child’s tasks, closing the task done with that outcome', async () => {
    const task = await taskOf(child.found!, 'locate_attempt');
    const elsewhere = await taskOf(child.youngConcerns!, 'safety_followup');
    const wrongChild = await post('coordinator', `/api/v1/children/${child.found}/outcomes`, {
      outcome: { kind: 'locate_attempt', result: 'located' },
      taskId: elsewhere,
    });
    expect(wrongChild.statusCode).toBe(400);
    const recorded = await post('coordinator', `/api/v1/children/${child.found}/outcomes`, {
      outcome: { kind: 'locate_attempt', result: 'located' },
      taskId: task,
      note: 'found at the sponsor’s home',
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toMatchObject({
      eventType: 'locate_attempt',
      alerts: { closed: expect.arrayContaining(['runaway']) },
    });
    const [row] = await db.query(
      `select t.state, t.outcome, t.outcome_note, t.done_by, e.data->>'task_id' as event_task
         from tasks t join events e on e.child_id = t.child_id and e.type = 'locate_attempt' where t.id = $1`,
      [task],
    );
    expect(row).toEqual({
      state: 'done',
      outcome: 'child_located',
      outcome_note: 'found at the sponsor’s home',
      done_by: 'coordinator-hou',
      event_task: String(task),
    });
    const again = await post('coordinator', `/api/v1/children/${child.found}/outcomes`, {
      outcome: { kind: 'locate_attempt', result: 'located' },
      taskId: task,
    });
    expect(again.statusCode).toBe(409);
    const [events] = await db.query<{ n: number }>(
      `select count(*)::int as n from events where child_id = $1 and type = 'locate_attempt'`,
      [child.found],
    );
    expect(events).toEqual({ n: 1 });
  });

  it('refuses outcomes for another office’s child, from roles without the permission, and without the CSRF token', async () => {
    const body = { outcome: { kind: 'address_confirmed' } };
    expect((await post('coordinator', `/api/v1/children/${child.atlanta}/outcomes`, body)).statusCode).toBe(
      404,
    );
    expect((await post('analyst', `/api/v1/children/${child.noNta}/outcomes`, body)).statusCode).toBe(403);
    const forged = await app.inject({
      method: 'POST',
      url: `/api/v1/children/${child.noNta}/outcomes`,
      payload: body,
      headers: { cookie: as.coordinator!.cookie },
    });
    expect(forged.statusCode).toBe(403);
    const future = await post('coordinator', `/api/v1/children/${child.noNta}/outcomes`, {
      ...body,
      occurredAt: daysFromNow(3).toISOString(),
    });
    expect(future.statusCode).toBe(400);
  });

  it('lists alerts in scope by child, rule and open state', async () => {
    const open = (await get('coordinator', `/api/v1/alerts?child=${child.runaway}&open=true`)).json().alerts;
    expect(open.map((alert: { rule: string }) => alert.rule).sort()).toEqual([
      'no_recent_contact',
      'runaway',
    ]);
    expect((await get('coordinator', `/api/v1/alerts?child=${child.atlanta}`)).json().alerts).toEqual([]);
    expect((await get('atlanta', `/api/v1/alerts?child=${child.atlanta}`)).json().alerts).toMatchObject([
      { rule: 'no_nta', officeCode: 'ATL' },
    ]);
  });
});

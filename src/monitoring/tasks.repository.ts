import type { Sql } from '../db';
import { AppError } from '../shared/errors';
import type { Policy } from './policy.schema';
import type { Alert, AlertQuery, Task, TaskQuery, TaskState } from './tasks.schema';

/** Which field offices a person's queue covers: every office (national roles) or the listed ones. */
export type OfficeScope = { offices: 'all' } | { offices: string[] };

const SEVERITY_POINTS = { critical: 400, high: 300, medium: 200, low: 100 } as const;

/** Each factor of a task's rank: its name, its points (null or not above zero: not counted) and its days. */
const FACTORS: [factor: string, points: string, days: string][] = [
  [
    `'severity_' || t.severity`,
    `case t.severity when 'critical' then ${SEVERITY_POINTS.critical} when 'high' then ${SEVERITY_POINTS.high}
       when 'medium' then ${SEVERITY_POINTS.medium} else ${SEVERITY_POINTS.low} end`,
    'null::int',
  ],
  [`'runaway'`, 'case when cs.runaway then $2::int end', 'null'],
  [`'concerns_raised'`, `case when cs.last_safety_call_outcome = 'concerns' then $3::int end`, 'null'],
  [`'whereabouts_unknown'`, `case when cs.whereabouts = 'unknown' then $4::int end`, 'null'],
  [`'never_contacted'`, 'case when cs.last_verified_contact_at is null then $5::int end', 'null'],
  [`'under_14'`, `case when ch.dob > ($1::timestamptz - interval '14 years')::date then $6::int end`, 'null'],
  [`'overdue'`, 'od.days * $7::int', 'od.days'],
];

/**
 * The rank of a task and the points behind it, in SQL so the queue is ordered (and paged) by the database:
 * a base by severity plus the policy's ranking points for what puts the child at risk now. `$1` is the as-of
 * time; the policy's points are `$2`–`$7`.
 */
const RANKING = `cross join lateral (
    select sum(f.points)::int as score,
           jsonb_agg(jsonb_build_object('factor', f.factor, 'points', f.points, 'days', f.days) order by f.points desc, f.factor) as reasons
    from (values ${FACTORS.map((factor) => `(${factor.join(', ')})`).join(',\n      ')}) as f(factor, points, days)
    where f.points > 0) r`;

/** The same rank as a sum, without its reasons: what ordering a whole queue needs. */
const SCORE = `(${FACTORS.map(([, points]) => `greatest(coalesce(${points}, 0), 0)`).join(' + ')})::int`;

const OVERDUE_DAYS = `cross join lateral (
    select case when t.state <> 'done' and t.due_at < $1::timestamptz
                then floor(extract(epoch from ($1::timestamptz - t.due_at)) / 86400)::int else 0 end as days) od`;

const WHY: Record<string, (days: number | null) => string> = {
  runaway: () => 'reported as a runaway, not found since',
  concerns_raised: () => 'the last safety call raised concerns',
  whereabouts_unknown: () => 'whereabouts unknown',
  never_contacted: () => 'never contacted since release',
  under_14: () => 'younger than 14',
  overdue: (days) => `overdue by ${days} day${days === 1 ? '' : 's'}`,
};

function explain(reasons: { factor: string; points: number; days: number | null }[], rule: string | null) {
  return reasons.map(({ factor, points, days }) => ({
    factor,
    points,
    why: factor.startsWith('severity_')
      ? `${factor.slice('severity_'.length)} severity${rule ? ` (${rule})` : ''}`
      : (WHY[factor]?.(days) ?? factor),
  }));
}

interface TaskRow {
  id: number;
  alert_id: number | null;
  rule: string | null;
  child_id: number;
  child_name: string | null;
  office_code: string | null;
  agency: 'ice' | 'orr';
  kind: string;
  severity: string;
  state: TaskState;
  outcome: string | null;
  assignee: string | null;
  due_at: Date | string;
  created_at: Date | string;
  score: number;
  reasons: { factor: string; points: number; days: number | null }[];
  age_days: number;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function toTask(row: TaskRow, asOf: Date): Task {
  return {
    id: Number(row.id),
    alertId: row.alert_id === null ? null : Number(row.alert_id),
    rule: row.rule as Task['rule'],
    childId: Number(row.child_id),
    childName: row.child_name,
    officeCode: row.office_code,
    agency: row.agency,
    kind: row.kind,
    severity: row.severity,
    state: row.state,
    outcome: row.outcome,
    assignee: row.assignee,
    dueAt: iso(row.due_at),
    overdue: row.state !== 'done' && new Date(row.due_at) < asOf,
    createdAt: iso(row.created_at),
    rank: Number(row.score),
    rankReasons: explain(row.reasons ?? [], row.rule),
  };
}

/** A task with what its rank and its filters read: the child, the child's state, the alert, the assignee. */
const TASK_FROM = `tasks t
    join children ch on ch.id = t.child_id
    left join child_state cs on cs.child_id = t.child_id
    left join alerts a on a.id = t.alert_id
    left join users u on u.id = t.assignee_id
    ${OVERDUE_DAYS}`;

/** The child's age in days as of `$1`, the queue's second key (the youngest first; unknown last). */
const AGE_DAYS = 'coalesce($1::timestamptz::date - ch.dob, 99999)';

const TASK_SELECT = `select t.id, t.alert_id, a.rule, t.child_id,
         nullif(concat_ws(' ', ch.given_names, ch.surnames), '') as child_name, t.office_code, t.agency, t.kind,
         t.severity, t.state, t.outcome, u.username as assignee, t.due_at, t.created_at, r.score, r.reasons,
         ${AGE_DAYS} as age_days
  from ${TASK_FROM}
    ${RANKING}`;

const rankingParams = (policy: Policy, asOf: Date) => [
  asOf.toISOString(),
  policy.ranking.runaway,
  policy.ranking.concerns_raised,
  policy.ranking.whereabouts_unknown,
  policy.ranking.never_contacted,
  policy.ranking.under_14,
  policy.ranking.overdue_per_day,
];

/** The page cursor: the as-of time the ranks were computed at, and the last task's sort key. */
interface Cursor {
  asOf: string;
  key: [number, number, string, number];
}
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decodeCursor(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof cursor.asOf === 'string' &&
      !Number.isNaN(Date.parse(cursor.asOf)) &&
      Array.isArray(cursor.key) &&
      cursor.key.length === 4 &&
      Number.isInteger(cursor.key[0]) &&
      Number.isInteger(cursor.key[1]) &&
      !Number.isNaN(Date.parse(cursor.key[2])) &&
      Number.isInteger(cursor.key[3])
    )
      return cursor;
  } catch {
    // fall through to the error below
  }
  throw new AppError('input_invalid', 'cursor: expected the nextCursor of a previous page');
}

const scopeParam = (scope: OfficeScope) => (scope.offices === 'all' ? null : scope.offices);

/**
 * A field office's queue, most at risk first: rank (points) descending, then the youngest child, the earliest
 * due date, the oldest task. Keyset-paged: the cursor carries the sort key of the last task and the time the
 * ranks were computed at, so a page never repeats or skips a task while overdue points grow.
 */
export async function listTasks(
  sql: Sql,
  policy: Policy,
  scope: OfficeScope,
  query: TaskQuery,
  now = new Date(),
): Promise<{ tasks: Task[]; nextCursor: string | null }> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const asOf = cursor ? new Date(cursor.asOf) : now;
  const params = [
    ...rankingParams(policy, asOf),
    scopeParam(scope), // $8
    query.office ?? null,
    query.rule ?? null,
    query.state ?? null,
    query.assignee ?? null,
    query.overdue ?? null,
    query.agency ?? null,
    cursor ? cursor.key[0] : null, // $15
    cursor ? cursor.key[1] : null,
    cursor ? cursor.key[2] : null,
    cursor ? cursor.key[3] : null,
    query.limit + 1, // $19
  ];
  // The page is ranked from the sums alone; only its own tasks are then read whole with their reasons (an
  // office's queue holds tens of thousands of open tasks at 600,000 children).
  const rows = await sql.query<TaskRow>(
    `with page as (
       select q.id from (
         select t.id, ${SCORE} as score, ${AGE_DAYS} as age_days, t.due_at
         from ${TASK_FROM}
         where ($8::text[] is null or t.office_code = any($8::text[]))
           and ($9::text is null or t.office_code = $9)
           and ($10::text is null or a.rule = $10)
           and (case when $11::text is null then t.state <> 'done' else t.state = $11 end)
           and ($12::text is null or ($12 = 'none' and t.assignee_id is null) or u.username = $12)
           and ($13::boolean is null or (t.state <> 'done' and t.due_at < $1::timestamptz) = $13)
           and ($14::text is null or t.agency = $14)) q
       where $15::int is null or (-q.score, q.age_days, q.due_at, q.id) > ($15::int, $16::int, $17::timestamptz, $18::bigint)
       order by -q.score, q.age_days, q.due_at, q.id
       limit $19)
     select * from (${TASK_SELECT} where t.id = any(array(select id from page))) q
     order by -q.score, q.age_days, q.due_at, q.id`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    tasks: page.map((row) => toTask(row, asOf)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({
            asOf: asOf.toISOString(),
            key: [-Number(last.score), Number(last.age_days), iso(last.due_at), Number(last.id)],
          })
        : null,
  };
}

/** One task in the person's scope; out of scope and missing look the same (404), so ids reveal nothing. */
export async function findTask(
  sql: Sql,
  policy: Policy,
  scope: OfficeScope,
  taskId: number,
  now = new Date(),
): Promise<Task & { assigneeId: number | null }> {
  const [row] = await sql.query<TaskRow & { assignee_id: number | null }>(
    `select q.*, t2.assignee_id from (${TASK_SELECT} where t.id = $9) q join tasks t2 on t2.id = q.id
     where $8::text[] is null or q.office_code = any($8::text[])`,
    [...rankingParams(policy, now), scopeParam(scope), taskId],
  );
  if (!row) throw new AppError('not_found', `No task ${taskId} in your scope.`);
  return { ...toTask(row, now), assigneeId: row.assignee_id === null ? null : Number(row.assignee_id) };
}

/** Tasks not in the scope among the given ids (missing ones included): a bulk change touches all or none. */
export async function tasksOutOfScope(sql: Sql, scope: OfficeScope, taskIds: number[]): Promise<number[]> {
  const rows = await sql.query<{ id: number }>(
    `select wanted.id from unnest($1::bigint[]) as wanted(id)
     left join tasks t on t.id = wanted.id and ($2::text[] is null or t.office_code = any($2::text[]))
     where t.id is null order by wanted.id`,
    [taskIds, scopeParam(scope)],
  );
  return rows.map((row) => Number(row.id));
}

/** Assigns tasks to a person; returns how many changed. The caller has checked scope and the assignee. */
export async function assignTasks(sql: Sql, taskIds: number[], assigneeId: number, at: Date) {
  const rows = await sql.query(
    `update tasks set assignee_id = $2, assigned_at = $3, updated_at = $3
     where id = any($1::bigint[]) and state <> 'done' and assignee_id is distinct from $2 returning id`,
    [taskIds, assigneeId, at.toISOString()],
  );
  return rows.length;
}

/** Moves a task to its next state; `from` guards against a change made meanwhile by someone else. */
export async function updateTaskState(
  sql: Sql,
  taskId: number,
  change: {
    from: TaskState[];
    to: TaskState;
    at: Date;
    assigneeId?: number;
    outcome?: string;
    note?: string;
    doneBy?: string;
  },
): Promise<void> {
  const rows = await sql.query(
    `update tasks set state = $3, updated_at = $4,
       started_at = case when $3 = 'in_progress' then $4 else started_at end,
       escalated_at = case when $3 = 'escalated' and state <> 'escalated' then $4 else escalated_at end,
       assignee_id = coalesce($5, assignee_id), assigned_at = case when $5::bigint is not null and assignee_id is null then $4 else assigned_at end,
       outcome = coalesce($6, outcome), outcome_note = coalesce($7, outcome_note),
       done_at = case when $3 = 'done' then $4 end, done_by = case when $3 = 'done' then $8 end
     where id = $1 and state = any($2::text[]) returning id`,
    [
      taskId,
      change.from,
      change.to,
      change.at.toISOString(),
      change.assigneeId ?? null,
      change.outcome ?? null,
      change.note ?? null,
      change.doneBy ?? null,
    ],
  );
  if (rows.length === 0)
    throw new AppError('conflict', `Task ${taskId} changed meanwhile; reload it and try again.`);
}

/** The detail of the alert a task was created for (e.g. the tips a triage task is about). */
export async function alertDetailOf(sql: Sql, alertId: number): Promise<unknown> {
  const [row] = await sql.query<{ detail: unknown }>('select detail from alerts where id = $1', [alertId]);
  return row?.detail;
}

/** Alerts in scope, newest first, keyset-paged by id. */
export async function listAlerts(
  sql: Sql,
  scope: OfficeScope,
  query: AlertQuery,
): Promise<{ alerts: Alert[]; nextCursor: string | null }> {
  const after = query.cursor ? Number(query.cursor) : null;
  if (after !== null && !Number.isInteger(after))
    throw new AppError('input_invalid', 'cursor: expected the nextCursor of a previous page');
  const rows = await sql.query<{
    id: number;
    rule: Alert['rule'];
    child_id: number;
    office_code: string | null;
    severity: string;
    detail: unknown;
    opened_at: Date | string;
    closed_at: Date | string | null;
  }>(
    `select a.id, a.rule, a.child_id, cs.field_office_code as office_code, a.severity, a.detail, a.opened_at, a.closed_at
     from alerts a left join child_state cs on cs.child_id = a.child_id
     where ($1::text[] is null or cs.field_office_code = any($1::text[]))
       and ($2::bigint is null or a.child_id = $2)
       and ($3::text is null or a.rule = $3)
       and ($4::boolean is null or (a.closed_at is null) = $4)
       and ($5::bigint is null or a.id < $5)
     order by a.id desc limit $6`,
    [scopeParam(scope), query.child ?? null, query.rule ?? null, query.open ?? null, after, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  return {
    alerts: page.map((row) => ({
      id: Number(row.id),
      rule: row.rule,
      childId: Number(row.child_id),
      officeCode: row.office_code,
      severity: row.severity,
      detail: row.detail,
      openedAt: iso(row.opened_at),
      closedAt: row.closed_at === null ? null : iso(row.closed_at),
    })),
    nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}

/** Whether a child is in scope (for recording an outcome): out of scope and missing look the same. */
export async function childInScope(sql: Sql, scope: OfficeScope, childId: number): Promise<boolean> {
  const [row] = await sql.query(
    `select 1 from children ch left join child_state cs on cs.child_id = ch.id
     where ch.id = $1 and ($2::text[] is null or cs.field_office_code = any($2::text[]))`,
    [childId, scopeParam(scope)],
  );
  return row !== undefined;
}

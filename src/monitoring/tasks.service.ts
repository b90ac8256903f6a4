import { type AppAbility, officesOf } from '../auth/abilities';
import type { Account } from '../auth/accounts.repository';
import type { Permission } from '../auth/permissions';
import { ROLE_GRANTS } from '../auth/permissions';
import type { Sql } from '../db';
import { AppError } from '../shared/errors';
import { recordOutcome } from './outcomes.service';
import type { Policy } from './policy.schema';
import type { SweepResult } from './sweep.service';
import {
  alertDetailOf,
  assignTasks,
  findTask,
  type OfficeScope,
  tasksOutOfScope,
  updateTaskState,
} from './tasks.repository';
import {
  type ChildOutcome,
  TASK_OUTCOME_FACTS,
  type Task,
  type TaskOutcome,
  type TaskStateChange,
  taskOutcomeOf,
} from './tasks.schema';

/** The offices a person's task and alert reads reach: national roles every office, the others their own. */
export function officeScopeOf(ability: AppAbility, permission: Permission): OfficeScope {
  return { offices: officesOf(ability, permission) };
}

/** A person tasks may be assigned to: an enabled account with a case role, in the tasks' office. */
async function assignee(sql: Sql, username: string, scope: OfficeScope) {
  const [row] = await sql.query<{ id: number; roles: string[]; field_office_code: string | null }>(
    'select id, roles, field_office_code from users where username = $1 and not disabled',
    [username],
  );
  const caseRole = row?.roles.some(
    (role) => ROLE_GRANTS[role as keyof typeof ROLE_GRANTS]?.permissions.includes('task.read') ?? false,
  );
  const inOffice =
    scope.offices === 'all' ||
    (row?.field_office_code !== null && scope.offices.includes(row?.field_office_code ?? ''));
  const national = row?.roles.some(
    (role) => ROLE_GRANTS[role as keyof typeof ROLE_GRANTS]?.scope === 'national',
  );
  if (!row || !caseRole || !(inOffice || national))
    throw new AppError(
      'input_invalid',
      `assignee: ${username} is not someone in this office who works tasks (an enabled account with task.read)`,
    );
  return Number(row.id);
}

/** Assigns tasks in the supervisor's scope to a person; all of them or, if any is out of scope, none. */
export async function assign(
  sql: Sql,
  scope: OfficeScope,
  taskIds: number[],
  username: string,
  at = new Date(),
): Promise<{ assigned: number }> {
  const unique = [...new Set(taskIds)];
  const missing = await tasksOutOfScope(sql, scope, unique);
  if (missing.length > 0)
    throw new AppError('not_found', `No task ${missing.join(', ')} in your scope.`, { taskIds: missing });
  const assigneeId = await assignee(sql, username, scope);
  return { assigned: await assignTasks(sql, unique, assigneeId, at) };
}

export interface StateChangeResult {
  task: Task;
  /** The fact recorded about the child, when the outcome states one, and what the sweep did with it. */
  recorded?: { eventType: string; sweep: SweepResult }[];
}

/**
 * Moves a task through its lifecycle. `start` takes an open or escalated task (assigning it to the person when
 * unassigned); `release` puts a task in progress back to open; `done` needs an outcome, and an outcome that
 * states a fact about the child is recorded as that fact, re-sweeping the child so the alert can clear.
 * Only the assignee — or someone who may assign tasks — may work a task assigned to someone else.
 */
export async function changeTaskState(
  sql: Sql,
  policy: Policy,
  scope: OfficeScope,
  actor: Pick<Account, 'id' | 'username'> & { canAssign: boolean },
  taskId: number,
  change: TaskStateChange,
  at = new Date(),
): Promise<StateChangeResult> {
  const task = await workableTask(sql, policy, scope, actor, taskId, at);
  const refuse = (what: string) =>
    new AppError('conflict', `Task ${taskId} is ${task.state}: it cannot be ${what}.`);
  let recorded: StateChangeResult['recorded'];
  switch (change.action) {
    case 'start':
      if (task.state !== 'open' && task.state !== 'escalated') throw refuse('started');
      // An escalated task stays escalated (the supervisor sees it) while someone works it.
      await updateTaskState(sql, taskId, {
        from: [task.state],
        to: task.state === 'escalated' ? 'escalated' : 'in_progress',
        at,
        ...(task.assigneeId === null ? { assigneeId: actor.id } : {}),
      });
      break;
    case 'release':
      if (task.state !== 'in_progress') throw refuse('released');
      await updateTaskState(sql, taskId, { from: ['in_progress'], to: 'open', at });
      break;
    case 'escalate':
      if (task.state !== 'open' && task.state !== 'in_progress') throw refuse('escalated');
      await updateTaskState(sql, taskId, { from: [task.state], to: 'escalated', at });
      break;
    case 'done': {
      await finish(sql, task, actor, { outcome: change.outcome, note: change.note, at });
      recorded = await recordTaskOutcome(sql, policy, task, change, actor.username, at);
      break;
    }
  }
  return { task: await findTask(sql, policy, scope, taskId, at), ...(recorded ? { recorded } : {}) };
}

/** A task in scope that the person may work: unassigned, theirs, or they may assign tasks. */
async function workableTask(
  sql: Sql,
  policy: Policy,
  scope: OfficeScope,
  actor: Pick<Account, 'id'> & { canAssign: boolean },
  taskId: number,
  at: Date,
) {
  const task = await findTask(sql, policy, scope, taskId, at);
  if (task.assigneeId !== null && task.assigneeId !== actor.id && !actor.canAssign)
    throw new AppError('forbidden', `Task ${taskId} is assigned to ${task.assignee}.`);
  return task;
}

/** Marks a task done with its outcome; an unassigned task becomes the finisher's. */
async function finish(
  sql: Sql,
  task: Task & { assigneeId: number | null },
  actor: Pick<Account, 'id' | 'username'>,
  done: { outcome: TaskOutcome; note: string | undefined; at: Date },
) {
  if (task.state === 'done')
    throw new AppError('conflict', `Task ${task.id} is done: it cannot be done again.`);
  await updateTaskState(sql, task.id, {
    from: [task.state],
    to: 'done',
    at: done.at,
    outcome: done.outcome,
    doneBy: actor.username,
    ...(done.note ? { note: done.note } : {}),
    ...(task.assigneeId === null ? { assigneeId: actor.id } : {}),
  });
}

/**
 * Records an officer's outcome on the child's case and, when it answers one of the child's tasks, closes that
 * task as done with the matching outcome — one change: the task, the event and the re-sweep, or none of them.
 */
export async function recordOutcomeForTask(
  sql: Sql,
  policy: Policy,
  scope: OfficeScope,
  actor: Pick<Account, 'id' | 'username'> & { canAssign: boolean },
  input: { childId: number; taskId: number; outcome: ChildOutcome; note?: string; occurredAt: Date },
): Promise<{ eventType: string; sweep: SweepResult }> {
  const task = await workableTask(sql, policy, scope, actor, input.taskId, input.occurredAt);
  if (task.childId !== input.childId)
    throw new AppError('input_invalid', `taskId: task ${task.id} is not about child ${input.childId}`);
  await finish(sql, task, actor, {
    outcome: taskOutcomeOf(input.outcome),
    note: input.note,
    at: input.occurredAt,
  });
  return recordOutcome(sql, policy, { ...input, recordedBy: actor.username });
}

async function recordTaskOutcome(
  sql: Sql,
  policy: Policy,
  task: Task,
  change: Extract<TaskStateChange, { action: 'done' }>,
  username: string,
  at: Date,
) {
  const fact = TASK_OUTCOME_FACTS[change.outcome];
  if (!fact) return undefined;
  let outcomes: ChildOutcome[];
  if (fact.kind === 'tip_triaged') {
    const detail = task.alertId === null ? undefined : await alertDetailOf(sql, task.alertId);
    const tips = ((detail as { tips?: { tip: string }[] } | undefined)?.tips ?? []).map((tip) => tip.tip);
    if (tips.length === 0)
      throw new AppError('input_invalid', `outcome: task ${task.id} is not about a tip (${change.outcome})`);
    outcomes = tips.map((tip) => ({ kind: 'tip_triaged', tip, decision: fact.decision }));
  } else outcomes = [fact];
  const recorded = [];
  for (const outcome of outcomes) {
    recorded.push(
      await recordOutcome(sql, policy, {
        childId: task.childId,
        outcome,
        recordedBy: username,
        occurredAt: at,
        taskId: task.id,
        ...(change.note ? { note: change.note } : {}),
      }),
    );
  }
  return recorded;
}

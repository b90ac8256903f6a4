import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AuditEntry, appendAudit, appendAuditIn } from '../audit';
import { allows } from '../auth/abilities';
import type { Account } from '../auth/accounts.repository';
import { permissionsOf } from '../auth/permissions';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { recordOutcome } from './outcomes.service';
import type { Policy } from './policy.schema';
import { childInScope, findTask, listAlerts, listTasks } from './tasks.repository';
import { Alert, AlertQuery, ChildOutcome, Task, TaskQuery, TaskStateChange } from './tasks.schema';
import { assign, changeTaskState, officeScopeOf, recordOutcomeForTask } from './tasks.service';

const Id = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const Username = z.string().min(1).max(100).describe('the username of the person to assign');

const SweepCounts = z
  .object({
    opened: z.array(z.string()).describe('rules whose alert opened for the child'),
    closed: z.array(z.string()).describe('rules whose alert closed for the child'),
  })
  .describe('what re-sweeping the child did');

const Recorded = z.object({ eventType: z.string(), alerts: SweepCounts });

/** The rules an outcome's sweep opened and closed (it sweeps one child, so counts are that child's). */
function sweepSummary(recorded: {
  eventType: string;
  sweep: { rules: Record<string, { opened: number; closed: number }> };
}) {
  const rules = Object.entries(recorded.sweep.rules);
  return {
    eventType: recorded.eventType,
    alerts: {
      opened: rules.filter(([, counts]) => counts.opened > 0).map(([rule]) => rule),
      closed: rules.filter(([, counts]) => counts.closed > 0).map(([rule]) => rule),
    },
  };
}

/**
 * Field-office work: the ranked task queue, assignment, the task lifecycle, officers' outcomes and alerts.
 * Every read is scoped to the person's office (another office's task is a 404, like one that does not exist)
 * and every change is audited in the same transaction as the change.
 */
export function monitoringRoutes(db: Database, policy: Policy): FastifyPluginAsyncZod {
  /** Runs a change and its audit entry together; a refusal (out of scope, conflict) is audited as denied. */
  async function audited<T>(
    entry: Omit<AuditEntry, 'result'>,
    work: (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) => Promise<T>,
  ) {
    try {
      return await db.transaction(async (tx) => {
        const result = await work(tx);
        await appendAuditIn(tx, { ...entry, result: 'succeeded' });
        return result;
      });
    } catch (error) {
      if (error instanceof AppError)
        await appendAudit(db, {
          ...entry,
          result: 'denied',
          detail: { ...entry.detail, reason: error.code },
        });
      throw error;
    }
  }
  const actorOf = (account: Account) => ({
    id: account.id,
    username: account.username,
    canAssign: permissionsOf(account.roles).has('task.assign'),
  });

  return async (app) => {
    app.get(
      '/api/v1/tasks',
      {
        config: { permission: 'task.read' },
        schema: {
          summary: 'Your field office’s task queue, most at risk first, with the points behind each rank',
          tags: ['tasks'],
          querystring: TaskQuery,
          response: { 200: z.object({ tasks: z.array(Task), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const account = request.account!;
        const scope = officeScopeOf(request.ability!, 'task.read');
        if (request.query.office && scope.offices !== 'all')
          throw new AppError('forbidden', 'office: only national roles choose an office; yours is implied.');
        const page = await listTasks(db, policy, scope, request.query);
        await appendAudit(db, {
          actor: account.username,
          action: 'task.read',
          objectType: 'task_queue',
          objectId: request.query.office ?? account.fieldOfficeCode ?? 'all',
          result: 'allowed',
          detail: { tasks: page.tasks.map((task) => task.id) },
        });
        return page;
      },
    );

    app.get(
      '/api/v1/tasks/:id',
      {
        config: { permission: 'task.read' },
        schema: {
          summary: 'One task with its rank explained',
          tags: ['tasks'],
          params: Id,
          response: { 200: Task },
        },
      },
      async (request) => {
        const account = request.account!;
        const entry = {
          actor: account.username,
          action: 'task.read',
          objectType: 'task',
          objectId: String(request.params.id),
        };
        try {
          const { assigneeId: _, ...task } = await findTask(
            db,
            policy,
            officeScopeOf(request.ability!, 'task.read'),
            request.params.id,
          );
          await appendAudit(db, { ...entry, childId: task.childId, result: 'allowed' });
          return task;
        } catch (error) {
          await appendAudit(db, { ...entry, result: 'denied' });
          throw error;
        }
      },
    );

    app.post(
      '/api/v1/tasks/:id/assign',
      {
        config: { permission: 'task.assign' },
        schema: {
          summary: 'Assign a task to a person in the office (supervisors)',
          tags: ['tasks'],
          params: Id,
          body: z.object({ assignee: Username }),
          response: { 200: z.object({ assigned: z.number().int() }) },
        },
      },
      async (request) => {
        const account = request.account!;
        return audited(
          {
            actor: account.username,
            action: 'task.assign',
            objectType: 'task',
            objectId: String(request.params.id),
            detail: { assignee: request.body.assignee },
          },
          (tx) =>
            assign(
              tx,
              officeScopeOf(request.ability!, 'task.assign'),
              [request.params.id],
              request.body.assignee,
            ),
        );
      },
    );

    app.post(
      '/api/v1/tasks/assign',
      {
        config: { permission: 'task.assign' },
        schema: {
          summary:
            'Assign many tasks to one person (supervisors): all of them, or none if any is out of scope',
          tags: ['tasks'],
          body: z.object({
            taskIds: z.array(z.number().int().positive()).min(1).max(500),
            assignee: Username,
          }),
          response: { 200: z.object({ assigned: z.number().int() }) },
        },
      },
      async (request) => {
        const account = request.account!;
        return audited(
          {
            actor: account.username,
            action: 'task.assign',
            objectType: 'task',
            objectId: request.body.taskIds.join(','),
            detail: { assignee: request.body.assignee, taskIds: request.body.taskIds },
          },
          (tx) =>
            assign(
              tx,
              officeScopeOf(request.ability!, 'task.assign'),
              request.body.taskIds,
              request.body.assignee,
            ),
        );
      },
    );

    app.post(
      '/api/v1/tasks/:id/state',
      {
        config: { permission: 'task.work' },
        schema: {
          summary:
            'Start, release or finish a task; an outcome that states a fact about the child is recorded as one',
          tags: ['tasks'],
          params: Id,
          body: TaskStateChange,
          response: { 200: z.object({ task: Task, recorded: z.array(Recorded).optional() }) },
        },
      },
      async (request) => {
        const account = request.account!;
        const result = await audited(
          {
            actor: account.username,
            action: 'task.state',
            objectType: 'task',
            objectId: String(request.params.id),
            detail: { ...request.body },
          },
          (tx) =>
            changeTaskState(
              tx,
              policy,
              officeScopeOf(request.ability!, 'task.work'),
              actorOf(account),
              request.params.id,
              request.body,
            ),
        );
        const { assigneeId: _, ...task } = result.task as Task & { assigneeId?: number | null };
        return { task, ...(result.recorded ? { recorded: result.recorded.map(sweepSummary) } : {}) };
      },
    );

    app.post(
      '/api/v1/children/:id/outcomes',
      {
        config: { permission: 'case.record_outcome' },
        schema: {
          summary:
            'Record what an officer found (contact, welfare check, locate attempt, address, tip decision)',
          description:
            'The outcome becomes an event on the child’s timeline; the child is swept again at once, so the alerts it answers close.',
          tags: ['tasks'],
          params: Id,
          body: z.object({
            outcome: ChildOutcome,
            occurredAt: z.iso.datetime({ offset: true }).optional().describe('when it happened; default now'),
            note: z.string().max(1000).optional(),
            taskId: z
              .number()
              .int()
              .positive()
              .optional()
              .describe('a task of this child the outcome answers: it is closed as done with this outcome'),
          }),
          response: { 201: Recorded },
        },
      },
      async (request, reply) => {
        const account = request.account!;
        const childId = request.params.id;
        const occurredAt = request.body.occurredAt ? new Date(request.body.occurredAt) : new Date();
        if (occurredAt.getTime() > Date.now() + 60_000)
          throw new AppError('input_invalid', 'occurredAt: an outcome cannot be in the future');
        const recorded = await audited(
          {
            actor: account.username,
            action: 'outcome.record',
            objectType: 'child',
            objectId: String(childId),
            childId,
            detail: {
              outcome: request.body.outcome.kind,
              ...(request.body.taskId ? { taskId: request.body.taskId } : {}),
            },
          },
          async (tx) => {
            if (!(await childInScope(tx, officeScopeOf(request.ability!, 'case.record_outcome'), childId)))
              throw new AppError('not_found', `No child ${childId} in your scope.`);
            if (request.body.taskId) {
              if (!allows(request.ability!, 'task.work'))
                throw new AppError('forbidden', 'taskId: your role does not work tasks.');
              return recordOutcomeForTask(
                tx,
                policy,
                officeScopeOf(request.ability!, 'task.work'),
                actorOf(account),
                {
                  childId,
                  taskId: request.body.taskId,
                  outcome: request.body.outcome,
                  occurredAt,
                  ...(request.body.note ? { note: request.body.note } : {}),
                },
              );
            }
            return recordOutcome(tx, policy, {
              childId,
              outcome: request.body.outcome,
              recordedBy: account.username,
              occurredAt,
              ...(request.body.note ? { note: request.body.note } : {}),
            });
          },
        );
        reply.code(201);
        return sweepSummary(recorded);
      },
    );

    app.get(
      '/api/v1/alerts',
      {
        config: { permission: 'alert.read' },
        schema: {
          summary: 'Alerts in your scope, newest first: by child, rule, open or closed',
          tags: ['tasks'],
          querystring: AlertQuery,
          response: { 200: z.object({ alerts: z.array(Alert), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const account = request.account!;
        const page = await listAlerts(db, officeScopeOf(request.ability!, 'alert.read'), request.query);
        await appendAudit(db, {
          actor: account.username,
          action: 'alert.read',
          objectType: 'alerts',
          objectId: request.query.child ? String(request.query.child) : 'list',
          childId: request.query.child ?? null,
          result: 'allowed',
          detail: { alerts: page.alerts.length },
        });
        return page;
      },
    );
  };
}

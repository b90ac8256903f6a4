import { z } from 'zod';
import { RULE_IDS } from './policy.schema';

/**
 * A task's life: open → in_progress → done (with an outcome); open or in progress past due → escalated (by the
 * sweep, or by the person working it when it needs a supervisor).
 */
export const TASK_STATES = ['open', 'in_progress', 'done', 'escalated'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/**
 * What an officer can record about a child: each becomes an event on the child's timeline (src/cases), so the
 * projection and the sweep see it like any agency fact — a confirmed contact clears `runaway`,
 * `no_recent_contact` and `safety_call_followup`; a triaged tip clears `tip_triage`.
 */
export const ChildOutcome = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('contact_made').describe('the child was seen or spoken to'),
    method: z.enum(['in_person', 'phone', 'video']).describe('how the contact was made'),
  }),
  z.object({
    kind: z.literal('welfare_check'),
    result: z
      .enum(['seen_safe', 'concerns', 'not_found'])
      .describe('seen_safe and concerns confirm a contact; not_found does not'),
  }),
  z.object({
    kind: z.literal('locate_attempt'),
    result: z.enum(['located', 'not_located']).describe('located confirms a contact'),
  }),
  z.object({ kind: z.literal('address_confirmed').describe('an officer confirmed the child lives there') }),
  z.object({
    kind: z.literal('address_changed'),
    address: z.string().trim().min(5).max(300).describe('the new address, as written'),
  }),
  z.object({
    kind: z.literal('tip_triaged'),
    tip: z.string().min(1).max(40).describe('the tip id (tip_triage alert detail)'),
    decision: z.enum(['concerns_child', 'not_this_child']),
  }),
]);
export type ChildOutcome = z.infer<typeof ChildOutcome>;
export const CHILD_OUTCOME_KINDS = ChildOutcome.options.map((option) => option.shape.kind.value);

/**
 * How a task ends. Outcomes that state a fact about the child are recorded as that fact (TASK_OUTCOME_FACTS),
 * so finishing a locate attempt that found the child clears the alert it was for.
 */
export const TASK_OUTCOMES = [
  'contact_made',
  'child_located',
  'locate_attempt_failed',
  'address_confirmed',
  'address_changed',
  'welfare_check_safe',
  'welfare_check_concerns',
  'welfare_check_not_found',
  'tip_concerns_child',
  'tip_not_this_child',
  'missing_child_report_filed',
  'referred',
  'nta_action_taken',
  'no_action_needed',
] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

/** The fact a task outcome states about the child; a tip decision applies to every tip the task's alert names. */
export type TaskOutcomeFact =
  | Exclude<ChildOutcome, { kind: 'address_changed' | 'tip_triaged' }>
  | { kind: 'tip_triaged'; decision: 'concerns_child' | 'not_this_child' };

export const TASK_OUTCOME_FACTS: Partial<Record<TaskOutcome, TaskOutcomeFact>> = {
  contact_made: { kind: 'contact_made', method: 'in_person' },
  child_located: { kind: 'locate_attempt', result: 'located' },
  locate_attempt_failed: { kind: 'locate_attempt', result: 'not_located' },
  address_confirmed: { kind: 'address_confirmed' },
  welfare_check_safe: { kind: 'welfare_check', result: 'seen_safe' },
  welfare_check_concerns: { kind: 'welfare_check', result: 'concerns' },
  welfare_check_not_found: { kind: 'welfare_check', result: 'not_found' },
  tip_concerns_child: { kind: 'tip_triaged', decision: 'concerns_child' },
  tip_not_this_child: { kind: 'tip_triaged', decision: 'not_this_child' },
};

/** The task outcome an officer's outcome, recorded on the child's case for a task, closes that task with. */
export function taskOutcomeOf(outcome: ChildOutcome): TaskOutcome {
  switch (outcome.kind) {
    case 'contact_made':
      return 'contact_made';
    case 'welfare_check':
      return outcome.result === 'seen_safe'
        ? 'welfare_check_safe'
        : outcome.result === 'concerns'
          ? 'welfare_check_concerns'
          : 'welfare_check_not_found';
    case 'locate_attempt':
      return outcome.result === 'located' ? 'child_located' : 'locate_attempt_failed';
    case 'address_confirmed':
      return 'address_confirmed';
    case 'address_changed':
      return 'address_changed';
    case 'tip_triaged':
      return outcome.decision === 'concerns_child' ? 'tip_concerns_child' : 'tip_not_this_child';
  }
}

export const TaskStateChange = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start').describe('take the task (assigns it to you when unassigned)') }),
  z.object({ action: z.literal('release').describe('put a task in progress back to open') }),
  z.object({
    action: z
      .literal('escalate')
      .describe('hand an open or started task to the supervisor before it is overdue'),
  }),
  z.object({
    action: z.literal('done'),
    outcome: z.enum(TASK_OUTCOMES),
    note: z.string().max(1000).optional(),
  }),
]);
export type TaskStateChange = z.infer<typeof TaskStateChange>;

export const RankReason = z.object({
  factor: z.string().describe('severity_critical, runaway, concerns_raised, whereabouts_unknown, …'),
  points: z.number(),
  why: z.string().describe('the reason in words, for the queue'),
});

export const Task = z.object({
  id: z.number().int(),
  alertId: z.number().int().nullable(),
  rule: z.enum(RULE_IDS).nullable(),
  childId: z.number().int(),
  childName: z.string().nullable(),
  officeCode: z.string().nullable(),
  agency: z.enum(['ice', 'orr']),
  kind: z.string(),
  severity: z.string(),
  state: z.enum(TASK_STATES),
  outcome: z.string().nullable(),
  assignee: z.string().nullable().describe('username'),
  dueAt: z.string(),
  overdue: z.boolean(),
  createdAt: z.string(),
  rank: z.number().describe('points: higher first'),
  rankReasons: z.array(RankReason).describe('the points behind the rank (docs/policy.md)'),
});
export type Task = z.infer<typeof Task>;

export const TaskQuery = z.object({
  rule: z.enum(RULE_IDS).optional(),
  state: z.enum(TASK_STATES).optional().describe('default: every state but done'),
  assignee: z.string().optional().describe('a username, or "none" for unassigned tasks'),
  overdue: z.stringbool().optional(),
  agency: z.enum(['ice', 'orr']).optional(),
  office: z.string().optional().describe('national roles only: one field office'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type TaskQuery = z.infer<typeof TaskQuery>;

export const Alert = z.object({
  id: z.number().int(),
  rule: z.enum(RULE_IDS),
  childId: z.number().int(),
  officeCode: z.string().nullable(),
  severity: z.string(),
  detail: z.unknown(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertQuery = z.object({
  child: z.coerce.number().int().positive().optional(),
  rule: z.enum(RULE_IDS).optional(),
  open: z.stringbool().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(40).optional(),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

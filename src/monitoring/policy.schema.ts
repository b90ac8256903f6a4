import { z } from 'zod';

/** The rules the policy file configures; each is implemented in the monitoring sweep. */
export const RULE_IDS = [
  'no_nta',
  'nta_not_filed',
  'hearing_address_risk',
  'failed_to_appear',
  'runaway',
  'safety_call_followup',
  'no_recent_contact',
  'shared_sponsor_or_address',
  'age_out',
  'tip_triage',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Conditions a task may depend on, beyond the rule holding. */
export const TASK_CONDITIONS = [
  'no_attorney',
  'whereabouts_unknown',
  'concerns_raised',
  'not_reached',
] as const;

const days = (what: string) =>
  z
    .number({ error: `expected ${what} as a whole number of days` })
    .int(`expected ${what} as a whole number of days`)
    .min(0, `expected ${what} as a whole number of days, 0 or more`)
    .max(3650, `expected ${what} of at most 3650 days`);

export const TaskTemplate = z
  .object({
    kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a task kind in snake_case, such as locate_attempt'),
    office: z.enum(['ice', 'orr'], { error: 'expected ice or orr: which agency does the task' }),
    due_days: days('due_days'),
    when: z.enum(TASK_CONDITIONS, { error: `expected one of ${TASK_CONDITIONS.join(', ')}` }).optional(),
  })
  .strict();
export type TaskTemplate = z.infer<typeof TaskTemplate>;

const ruleBase = {
  enabled: z.boolean({ error: 'expected true or false' }),
  severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }),
  tasks: z.array(TaskTemplate).min(1, 'expected at least one task'),
};
const rule = <Extra extends z.ZodRawShape>(extra: Extra) => z.object({ ...ruleBase, ...extra }).strict();

export const Policy = z
  .object({
    version: z.number().int().min(1),
    name: z.string().min(1),
    effective: z.iso.date({ error: 'expected a date as YYYY-MM-DD' }),
    whereabouts: z
      .object({
        verified_within_days: days('verified_within_days'),
        unknown_after_days: days('unknown_after_days'),
      })
      .strict()
      .refine((w) => w.unknown_after_days >= w.verified_within_days, {
        message: 'unknown_after_days must be at least verified_within_days',
        path: ['unknown_after_days'],
      }),
    escalation: z.object({ overdue_days: days('overdue_days') }).strict(),
    rules: z
      .object({
        no_nta: rule({ after_days: days('after_days') }),
        nta_not_filed: rule({ after_days: days('after_days') }),
        hearing_address_risk: rule({ within_days: days('within_days') }),
        failed_to_appear: rule({}),
        runaway: rule({}),
        safety_call_followup: rule({}),
        no_recent_contact: rule({}),
        shared_sponsor_or_address: rule({
          min_children: z.number().int().min(2, 'expected at least 2 children'),
        }),
        age_out: rule({ within_days: days('within_days') }),
        tip_triage: rule({}),
      })
      .strict(),
    ranking: z
      .object({
        runaway: z.number().min(0),
        concerns_raised: z.number().min(0),
        whereabouts_unknown: z.number().min(0),
        never_contacted: z.number().min(0),
        under_14: z.number().min(0),
        overdue_per_day: z.number().min(0),
      })
      .strict(),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;

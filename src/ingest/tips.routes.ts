import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { visibleGroups } from '../auth/abilities';
import { viewKind } from '../cases/case-view';
import type { Database } from '../db';
import { tipsV1 } from '../feeds';
import { type Policy, runSweep, tipCandidates } from '../monitoring';
import { AppError } from '../shared/errors';
import { NO_CONTROL_CHARACTERS } from '../shared/text';
import { ingestFile } from './ingest.service';

const SAY_WHAT = 'what was said: write down what the person reported';
const CHANNELS = ['hotline', 'email', 'web_form', 'partner_referral'] as const;
const line = (max: number, what: string, missing = `${what}: expected text`) =>
  z
    .string({ error: missing })
    .trim()
    .max(max, `expected ${what} of at most ${max} characters`)
    .regex(NO_CONTROL_CHARACTERS, 'expected no control characters');
const optional = (max: number, what: string) =>
  line(max, what)
    .optional()
    .transform((value) => value || undefined);

export const TipReport = z.object({
  channel: z.enum(CHANNELS).describe('how the tip came in'),
  reportedBy: optional(200, 'who reported').describe('who reported it, as they gave it (may be anonymous)'),
  said: line(3000, 'what was said', SAY_WHAT).min(3, SAY_WHAT),
  childName: optional(160, 'a name').describe('the child’s name, as said'),
  childDob: z.iso
    .date('expected a date as YYYY-MM-DD')
    .optional()
    .describe('the child’s date of birth, if given'),
  childAge: z.coerce.number().int().min(0).max(25).optional().describe('the child’s age, if no birth date'),
  aNumber: optional(20, 'an A-number').describe('an A-number, if the reporter gave one'),
  location: optional(200, 'a place').describe('a street or town where the child was seen or lives'),
  phone: optional(30, 'a phone number').describe('a phone number the reporter gave'),
});
export type TipReport = z.infer<typeof TipReport>;

const Candidate = z.object({
  childId: z.number().int(),
  givenNames: z.string().nullable().optional(),
  surnames: z.string().nullable().optional(),
  fieldOfficeCode: z.string().nullable(),
  evidence: z.array(z.string()).describe('what matched: name, age, town, phone'),
  task: z
    .object({ id: z.number().int(), officeCode: z.string().nullable(), state: z.string(), dueAt: z.string() })
    .nullable()
    .describe('the open triage task for this child, if any'),
  view: z.enum(['full', 'minimum_1367', 'limited']),
});

/** Whole years between a birth date and a day. */
function ageOn(dob: string, day: Date): number {
  const born = new Date(`${dob}T00:00:00Z`);
  let years = day.getUTCFullYear() - born.getUTCFullYear();
  const birthday = Date.UTC(day.getUTCFullYear(), born.getUTCMonth(), born.getUTCDate());
  if (day.getTime() < birthday) years--;
  return years;
}

/** The tip as a row of the tips feed: what the feed has no field for is kept, labelled, in its text. */
export function tipRow(tipId: string, report: TipReport, today: Date) {
  const text = [
    report.reportedBy ? `Reported by: ${report.reportedBy}` : 'Reported by: not given',
    `What was said: ${report.said}`,
    report.aNumber ? `A-number given: ${report.aNumber}` : undefined,
    report.childDob ? `Date of birth given: ${report.childDob}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  const age = report.childDob ? ageOn(report.childDob, today) : report.childAge;
  return {
    tip_id: tipId,
    received_date: today.toISOString().slice(0, 10),
    channel: report.channel,
    text,
    ...(report.childName ? { name_mentioned: report.childName } : {}),
    ...(age !== undefined && age >= 0 && age <= 25 ? { approximate_age: age } : {}),
    ...(report.location ? { street_or_town: report.location } : {}),
    ...(report.phone ? { phone: report.phone } : {}),
  };
}

/**
 * Tips taken by a person (a hotline call, an email): stored as a record of the tips feed through the same ingest
 * pipeline as a delivered file, then judged by the tip-triage rule, which opens the triage task for each
 * candidate child. The answer names the candidates the person may see; the others are only counted.
 */
export function tipRoutes(db: Database, policy: Policy): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/tips',
      {
        config: { permission: 'tip.record' },
        schema: {
          summary: 'Record a tip; it is stored as a tips-feed record and matched against known children',
          tags: ['tips'],
          body: TipReport,
          response: {
            201: z.object({
              tipId: z.string().describe('the tip’s id in the tips feed'),
              candidates: z.array(Candidate).describe('known children it may concern, that you may see'),
              otherCandidates: z
                .number()
                .int()
                .describe('candidates outside your scope (their office triages them)'),
            }),
          },
        },
      },
      async (request, reply) => {
        const account = request.account!;
        const ability = request.ability!;
        const today = new Date();
        const tipId = `WEB-${today.toISOString().slice(0, 10).replaceAll('-', '')}-${randomUUID().slice(0, 8)}`;
        const row = tipRow(tipId, request.body, today);
        const parsed = tipsV1.schema.safeParse(row);
        if (!parsed.success)
          throw new AppError('input_invalid', parsed.error.issues.map((issue) => issue.message).join('; '));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-tip-'));
        try {
          const file = path.join(dir, `tips_v1_${tipId}.jsonl`);
          fs.writeFileSync(file, `${JSON.stringify(row)}\n`, { mode: 0o600 });
          const summary = await ingestFile(db, file, tipsV1);
          if (summary.accepted !== 1)
            throw new AppError(
              'input_invalid',
              'The tip could not be stored; see the rejections of its batch.',
            );
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        // Tips reach no known child at ingest: any sweep judges the tips stored since the last one (this one).
        await runSweep(db, policy, { childIds: [] });
        const found = await tipCandidates(db, tipId);
        const shown = found
          .map((candidate) => ({ candidate, groups: visibleGroups(ability, candidate) }))
          .filter(({ groups }) => groups.size > 0);
        await appendAudit(db, {
          actor: account.username,
          action: 'tip.record',
          objectType: 'tip',
          objectId: tipId,
          result: 'succeeded',
          detail: {
            channel: request.body.channel,
            candidates: found.map((candidate) => candidate.childId),
            shown: shown.map(({ candidate }) => candidate.childId),
          },
        });
        return reply.code(201).send({
          tipId,
          candidates: shown.map(({ candidate, groups }) => ({
            childId: candidate.childId,
            ...(groups.has('identity')
              ? { givenNames: candidate.givenNames, surnames: candidate.surnames }
              : {}),
            fieldOfficeCode: candidate.fieldOfficeCode,
            evidence: candidate.evidence,
            task: candidate.task,
            view: viewKind(groups, candidate.protected1367),
          })),
          otherCandidates: found.length - shown.length,
        });
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { visibleGroups } from '../auth/abilities';
import type { Role } from '../auth/permissions';
import { securityLog } from '../auth/security-log';
import { FIELD_GROUPS, type FieldGroup, type SharingVersion } from '../auth/sharing-rules';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { NO_CONTROL_CHARACTERS } from '../shared/text';
import { parseCaseFile, readCaseFileText } from './case-file.repository';
import { fullCaseViewJson, shapeCaseFile, viewKind } from './case-view';

/** Why a person opens a child's record: asked every time, recorded with the read. */
export const PURPOSES = [
  'fta_follow_up',
  'safety_check',
  'address_verification',
  'court_preparation',
  'runaway_locate',
  'tip_triage',
  'supervision_review',
  'other',
] as const;

const Child = z.object({
  id: z.number().int(),
  givenNames: z.string().nullable().optional(),
  surnames: z.string().nullable().optional(),
  dob: z.string().nullable().optional(),
  sex: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  aNumber: z.string().nullable().optional(),
  orrId: z.string().nullable().optional(),
});

/** The case as the API writes it (exported for the test that holds the full view, written from text, to it). */
export const CaseView = z.object({
  view: z
    .enum(['full', 'minimum_1367', 'limited'])
    .describe(
      'minimum_1367: a protected child seen by an enforcement role; limited: cut down by the sharing rules in force',
    ),
  fieldGroups: z.array(z.enum(FIELD_GROUPS)).describe('the field groups shown (policy/sharing-rules.yaml)'),
  sharingRules: z.object({ version: z.string(), basis: z.array(z.string()) }),
  child: Child,
  state: z.record(z.string(), z.unknown()).nullable(),
  addresses: z
    .array(
      z.object({
        role: z.enum(['current', 'release']),
        written: z.string(),
        deliveryLine: z.string().nullable(),
        lastLine: z.string().nullable(),
        verdict: z.string().describe('docs/addresses.md'),
        reasons: z.array(z.object({ code: z.string(), detail: z.string().optional() })),
      }),
    )
    .optional(),
  sponsor: z
    .object({
      name: z.string(),
      relationship: z.string().nullable(),
      category: z
        .number()
        .int()
        .nullable()
        .describe('1 parent or guardian, 2 close relative, 3 other, 4 none'),
      phone: z.string().nullable(),
    })
    .nullable()
    .optional(),
  records: z
    .array(
      z.object({
        source: z.string(),
        kind: z.string(),
        sourceKey: z.string(),
        version: z.number(),
        receivedAt: z.string(),
        method: z
          .string()
          .describe(
            'how the record was linked: new_child, same_identity, identifier (an equal A-number or ORR id), linked (by the model), decided (by a person)',
          ),
        matchWeight: z.number().nullable(),
        evidence: z
          .record(z.string(), z.unknown())
          .describe('why it was linked: the identifiers or field comparisons'),
        decidedBy: z.string().describe('system, or the person who decided an identity review'),
      }),
    )
    .optional(),
  alerts: z
    .array(
      z.object({
        id: z.number().int(),
        rule: z.string().describe('the monitoring policy rule that holds (docs/policy.md)'),
        severity: z.string(),
        openedAt: z.string(),
        detail: z
          .unknown()
          .describe(
            "the rule's evidence: an object, or for shared_sponsor_or_address a list of places ({kind, children})",
          ),
      }),
    )
    .optional()
    .describe('open alerts'),
  tasks: z
    .array(
      z.object({
        id: z.number().int(),
        kind: z.string(),
        agency: z.string(),
        severity: z.string(),
        state: z.string(),
        dueAt: z.string(),
        officeCode: z.string().nullable(),
        assignee: z.string().nullable(),
      }),
    )
    .optional()
    .describe('open tasks'),
  timeline: z
    .array(
      z.object({
        type: z.string(),
        occurredAt: z.string(),
        source: z.string().nullable(),
        sourceKey: z.string().nullable(),
        data: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
  withheld: z.array(z.string()).describe('what was left out, and why it may be asked for'),
});

/** The legal bases under which the person's roles see records in this version. */
function basisOf(version: SharingVersion, roles: readonly Role[]): string[] {
  return roles.flatMap((role) => version.roles[role]?.basis ?? []);
}

export function caseRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/children/:id',
      {
        config: { permission: 'case.read' },
        schema: {
          summary: "A child's case: identity, state, linked records and timeline (the read is audited)",
          tags: ['cases'],
          params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
          querystring: z.object({
            purpose: z.enum(PURPOSES).describe('why the record is opened'),
            note: z
              .string()
              .max(500)
              .regex(NO_CONTROL_CHARACTERS, 'expected no control characters')
              .optional()
              .describe('free text, e.g. the task or court date concerned'),
          }),
          response: { 200: CaseView },
        },
      },
      async (request, reply) => {
        const account = request.account!;
        const { purpose, note } = request.query;
        const file = await readCaseFileText(db, request.params.id);
        const sharing = request.sharingVersion!;
        const audit = (result: 'allowed' | 'denied', view?: string, fieldGroups?: string[]) =>
          appendAudit(db, {
            actor: account.username,
            action: 'case.read',
            objectType: 'child',
            objectId: String(request.params.id),
            childId: file ? request.params.id : null,
            purpose,
            result,
            detail: {
              ...(note ? { note } : {}),
              ...(view ? { view, fieldGroups } : {}),
              sharingRules: sharing.id,
            },
          });
        // Out of scope and non-existent look the same: guessing ids reveals nothing.
        const groups = file
          ? visibleGroups(request.ability!, {
              fieldOfficeCode: file.fieldOfficeCode,
              protected1367: file.protected1367,
            })
          : new Set<FieldGroup>();
        if (!file || groups.size === 0) {
          if (file) {
            securityLog(request.log, 'out_of_scope', { actor: account.username, childId: request.params.id });
          }
          await audit('denied');
          throw new AppError('not_found', `No child ${request.params.id} in your scope.`);
        }
        const sharingRules = { version: sharing.id, basis: basisOf(sharing, account.roles) };
        if (viewKind(groups, file.protected1367) === 'full') {
          await audit('allowed', 'full', [...FIELD_GROUPS]);
          // Fastify sends a string as it is; the type provider only knows the view as an object.
          const json = fullCaseViewJson(file, sharingRules) as never;
          return reply.type('application/json; charset=utf-8').send(json);
        }
        const shaped = shapeCaseFile(parseCaseFile(file), groups);
        await audit('allowed', shaped.view, shaped.fieldGroups);
        return { ...shaped, sharingRules };
      },
    );
  };
}

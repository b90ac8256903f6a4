import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Account } from '../auth/accounts.repository';
import { ROLE_GRANTS } from '../auth/permissions';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { type CaseFile, readCaseFile } from './case-file.repository';

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

/** Roles that act for immigration enforcement: § 1367 limits what they see of a protected child. */
const ENFORCEMENT_ROLES = new Set(['ice_juvenile_coordinator', 'field_office_supervisor']);

const Child = z.object({
  id: z.number().int(),
  givenNames: z.string().nullable(),
  surnames: z.string().nullable(),
  dob: z.string().nullable().optional(),
  sex: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  aNumber: z.string().nullable(),
  orrId: z.string().nullable().optional(),
});

const CaseView = z.object({
  view: z
    .enum(['full', 'minimum_1367'])
    .describe('minimum_1367: a protected child seen by an enforcement role'),
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
          .describe('how the record was linked: exact_a_number, exact_orr_id, probabilistic, person'),
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
        detail: z.record(z.string(), z.unknown()),
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

/** May this person see this child at all? Office-scoped roles see only their own field office's children. */
function inScope(account: Account, file: CaseFile): boolean {
  const scopes = account.roles.map((role) => ROLE_GRANTS[role].scope);
  if (scopes.includes('national')) return true;
  return (
    scopes.includes('own_office') &&
    file.fieldOfficeCode !== null &&
    file.fieldOfficeCode === account.fieldOfficeCode
  );
}

function minimumFacts(file: CaseFile) {
  const state = file.state ?? {};
  return {
    view: 'minimum_1367' as const,
    child: {
      id: file.child.id,
      givenNames: file.child.givenNames,
      surnames: file.child.surnames,
      aNumber: file.child.aNumber,
    },
    state: {
      status: state.status,
      nextHearingAt: state.nextHearingAt,
      fieldOfficeCode: state.fieldOfficeCode,
    },
    withheld: [
      'addresses, sponsor, timeline, source records, alerts and tasks: protected under 8 U.S.C. § 1367; ORR may share them on a documented legal basis',
    ],
  };
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
            note: z.string().max(500).optional().describe('free text, e.g. the task or court date concerned'),
          }),
          response: { 200: CaseView },
        },
      },
      async (request) => {
        const account = request.account!;
        const { purpose, note } = request.query;
        const file = await readCaseFile(db, request.params.id);
        const audit = (result: 'allowed' | 'denied', view?: string) =>
          appendAudit(db, {
            actor: account.username,
            action: 'case.read',
            objectType: 'child',
            objectId: String(request.params.id),
            childId: file ? request.params.id : null,
            purpose,
            result,
            detail: { ...(note ? { note } : {}), ...(view ? { view } : {}) },
          });
        // Out of scope and non-existent look the same: guessing ids reveals nothing.
        if (!file || !inScope(account, file)) {
          await audit('denied');
          throw new AppError('not_found', `No child ${request.params.id} in your scope.`);
        }
        const protectedFromRole =
          file.protected1367 &&
          account.roles.some((role) => ENFORCEMENT_ROLES.has(role)) &&
          !account.roles.includes('orr_case_manager');
        await audit('allowed', protectedFromRole ? 'minimum_1367' : 'full');
        if (protectedFromRole) return minimumFacts(file);
        return {
          view: 'full' as const,
          child: file.child,
          state: file.state,
          addresses: file.addresses,
          sponsor: file.sponsor,
          records: file.records,
          alerts: file.alerts,
          tasks: file.tasks,
          timeline: file.timeline,
          withheld: [],
        };
      },
    );
  };
}

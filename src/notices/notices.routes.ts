import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { visibleGroups } from '../auth/abilities';
import { securityLog } from '../auth/security-log';
import type { FieldGroup } from '../auth/sharing-rules';
import { readCaseFile } from '../cases/case-file.repository';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { NOTICE_KINDS, NOTICE_LANGUAGES } from './render';
import { noticeValues } from './values';

/** The parts of a record each notice prints; a person who may not see all of them gets no notice. */
const NEEDS: Record<(typeof NOTICE_KINDS)[number], FieldGroup[]> = {
  hearing_reminder: ['identity', 'identifiers', 'status', 'addresses'],
  address_confirmation: ['identity', 'identifiers', 'addresses'],
};
const PURPOSE = {
  hearing_reminder: 'court_preparation',
  address_confirmation: 'address_verification',
} as const;

/** Printable notices for a child or a sponsor, from a child's case, in English or Spanish (the print is audited). */
export function noticeRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/children/:id/notices/:kind',
      {
        config: { permission: 'case.read' },
        schema: {
          summary: 'A printable notice for the child or sponsor: hearing reminder or address confirmation',
          description:
            'Returns a whole HTML page to print. The values come from the child’s record and are HTML-escaped; the ' +
            'templates are src/notices/templates/<kind>.<lang>.html. Needs the identity, identifiers and address (and, ' +
            'for a hearing reminder, status) of the record: a role that may not see them for this child (8 U.S.C. § 1367) ' +
            'gets 403.',
          tags: ['cases'],
          produces: ['text/html'],
          params: z.object({
            id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
            kind: z.enum(NOTICE_KINDS).describe('which notice'),
          }),
          querystring: z.object({ lang: z.enum(NOTICE_LANGUAGES).default('en').describe('en or es') }),
          response: { 200: z.unknown().describe('text/html; charset=utf-8: the notice as a printable page') },
        },
      },
      async (request, reply) => {
        const account = request.account!;
        const { id, kind } = request.params;
        const { lang } = request.query;
        const file = await readCaseFile(db, id);
        const audit = (result: 'allowed' | 'denied', reason?: string) =>
          appendAudit(db, {
            actor: account.username,
            action: 'notice.render',
            objectType: 'child',
            objectId: String(id),
            childId: file ? id : null,
            purpose: PURPOSE[kind],
            result,
            detail: { kind, lang, sharingRules: request.sharingVersion!.id, ...(reason ? { reason } : {}) },
          });
        const groups = file
          ? visibleGroups(request.ability!, {
              fieldOfficeCode: file.fieldOfficeCode,
              protected1367: file.protected1367,
            })
          : new Set<FieldGroup>();
        if (!file || groups.size === 0) {
          if (file) securityLog(request.log, 'out_of_scope', { actor: account.username, childId: id });
          await audit('denied', 'not_found');
          throw new AppError('not_found', `No child ${id} in your scope.`);
        }
        const lacking = NEEDS[kind].filter((group) => !groups.has(group));
        if (lacking.length > 0) {
          await audit('denied', 'withheld');
          throw new AppError(
            'forbidden',
            `This notice prints the child’s ${lacking.join(', ')}, which your role may not see for this child${
              file.protected1367 ? ' (protected under 8 U.S.C. § 1367)' : ''
            }.`,
          );
        }
        const page = noticeValues(file, kind, lang, groups.has('sponsor'));
        if ('problem' in page) {
          await audit('denied', 'no_hearing');
          throw new AppError('conflict', page.problem);
        }
        await audit('allowed');
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.html);
      },
    );
  };
}

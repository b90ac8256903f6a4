import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db';
import { NO_CONTROL_CHARACTERS } from '../shared/text';
import { appendAudit, listAudit } from '.';

const Entry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  childId: z.number().int().nullable(),
  purpose: z.string().nullable(),
  result: z.string(),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

/** The audit log for auditors: who did what, newest first, filterable by person, child and time. Reading it is audited too. */
export function auditRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/audit',
      {
        config: { permission: 'audit.read' },
        schema: {
          summary: 'Audit entries, newest first',
          tags: ['audit'],
          querystring: z.object({
            actor: z
              .string()
              .max(100)
              .regex(NO_CONTROL_CHARACTERS, 'expected no control characters')
              .optional()
              .describe('username'),
            childId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
            before: z.coerce
              .number()
              .int()
              .positive()
              .optional()
              .describe('cursor: the nextCursor of the previous page (entries older than this seq)'),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
          response: {
            200: z.object({
              entries: z.array(Entry),
              nextCursor: z
                .number()
                .int()
                .nullable()
                .describe('pass as `before` for older entries; null at the end'),
            }),
          },
        },
      },
      async (request) => {
        const { actor, childId, from, to, before, limit } = request.query;
        const entries = await listAudit(db, {
          ...(actor ? { actor } : {}),
          ...(childId ? { childId } : {}),
          ...(from ? { from: new Date(from) } : {}),
          ...(to ? { to: new Date(to) } : {}),
          ...(before ? { before } : {}),
          limit,
        });
        await appendAudit(db, {
          actor: request.account!.username,
          action: 'audit.read',
          result: 'allowed',
          detail: { query: request.query },
        });
        return {
          nextCursor: entries.length === limit ? entries[entries.length - 1]!.seq : null,
          entries: entries.map((entry) => ({
            seq: entry.seq,
            at: new Date(entry.at).toISOString(),
            actor: entry.actor,
            action: entry.action,
            objectType: entry.objectType ?? null,
            objectId: entry.objectId ?? null,
            childId: entry.childId ?? null,
            purpose: entry.purpose ?? null,
            result: entry.result,
            detail: entry.detail ?? {},
            hash: entry.hash,
          })),
        };
      },
    );
  };
}

import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { visibleGroups } from '../auth/abilities';
import type { FieldGroup } from '../auth/sharing-rules';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { NO_CONTROL_CHARACTERS } from '../shared/text';
import { viewKind } from './case-view';
import { type ChildHit, parseChildQuery, searchChildren } from './search.repository';

const Hit = z.object({
  id: z.number().int(),
  givenNames: z.string().nullable().optional(),
  surnames: z.string().nullable().optional(),
  aNumber: z.string().nullable().optional(),
  orrId: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  nextHearingAt: z.string().nullable().optional(),
  fieldOfficeCode: z.string().nullable().optional(),
  address: z.string().nullable().optional().describe('current address, standardized'),
  matched: z.enum(['a_number', 'orr_id', 'name', 'sponsor', 'address']),
  view: z.enum(['full', 'minimum_1367', 'limited']),
});

const CURSOR = /^[A-Za-z0-9_-]{1,24}$/;
const encodeCursor = (id: number) => Buffer.from(`after:${id}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const id = /^after:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1];
  if (!id) throw new AppError('input_invalid', 'The cursor is not one this server gave out.');
  return Number(id);
}

/**
 * Finding a child: by A-number in any writing, ORR case id, name (accents, case and order do not matter; one
 * surname alone will do), sponsor name or address words. Bounded by the person's ability, shaped by the sharing
 * rules in force, paged by cursor, rate-limited per person, and every search is audited with its query.
 */
export function searchRoutes(db: Database, searchesPerMinute = 60): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(rateLimit, {
      global: false,
      hook: 'preHandler', // after the guard, so the limit is per person rather than per address
      keyGenerator: (request) => request.account?.username ?? request.ip,
    });
    app.get(
      '/api/v1/children',
      {
        config: { permission: 'case.search', rateLimit: { max: searchesPerMinute, timeWindow: '1 minute' } },
        schema: {
          summary: 'Search children by A-number, ORR case id, name, sponsor name or address (audited)',
          tags: ['cases'],
          querystring: z.object({
            q: z
              .string()
              .trim()
              .min(2, 'expected at least 2 characters')
              .max(200, 'expected at most 200 characters')
              .regex(NO_CONTROL_CHARACTERS, 'expected no control characters')
              .describe('A-number (A-123-456-789, 123456789 …), ORR case id, or words of a name or address'),
            cursor: z.string().regex(CURSOR, 'expected a cursor from a previous page').optional(),
            limit: z.coerce.number().int().min(1).max(100).default(25),
          }),
          response: {
            200: z.object({
              children: z.array(Hit),
              nextCursor: z.string().nullable().describe('pass as cursor for the next page; null at the end'),
            }),
          },
        },
      },
      async (request) => {
        const { q, cursor, limit } = request.query;
        const ability = request.ability!;
        const query = parseChildQuery(q);
        if (!query) throw new AppError('input_invalid', 'The search has no letters or digits to look for.');
        const rows = await searchChildren(db, ability, query, cursor ? decodeCursor(cursor) : 0, limit + 1);
        const page = rows.slice(0, limit);
        await appendAudit(db, {
          actor: request.account!.username,
          action: 'case.search',
          result: 'allowed',
          detail: {
            query: q,
            kind: query.kind,
            results: page.length,
            ...(cursor ? { cursor } : {}),
            sharingRules: request.sharingVersion!.id,
          },
        });
        return {
          children: page.map((hit) => shapeHit(hit, visibleGroups(ability, hit))),
          nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null,
        };
      },
    );
  };
}

function shapeHit(hit: ChildHit, groups: ReadonlySet<FieldGroup>) {
  return {
    id: hit.id,
    ...(groups.has('identity') ? { givenNames: hit.givenNames, surnames: hit.surnames } : {}),
    ...(groups.has('identifiers') ? { aNumber: hit.aNumber, orrId: hit.orrId } : {}),
    ...(groups.has('status')
      ? {
          status: hit.status,
          nextHearingAt: hit.nextHearingAt ? new Date(hit.nextHearingAt).toISOString() : null,
          fieldOfficeCode: hit.fieldOfficeCode,
        }
      : {}),
    ...(groups.has('addresses') ? { address: hit.address } : {}),
    matched: hit.matched,
    view: viewKind(groups, hit.protected1367),
  };
}

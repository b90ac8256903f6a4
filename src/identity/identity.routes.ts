import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { allowsChild, scopeCondition } from '../auth/abilities';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import {
  childrenOfPair,
  decideReviewPair,
  listReviewPairs,
  REVIEW_DECISIONS,
  type ReviewPair,
  readReviewPair,
} from './reviews';

const Side = z.object({
  identityId: z.number(),
  recordId: z.number(),
  childId: z.number(),
  source: z.string(),
  kind: z.string(),
  sourceKey: z.string(),
  given: z.string().nullable(),
  surnames: z.string().nullable(),
  dob: z.string().nullable(),
  sex: z.string().nullable(),
  country: z.string().nullable(),
  aNumber: z.string().nullable(),
  orrId: z.string().nullable(),
});

const PairView = z.object({
  id: z.number(),
  status: z.enum(['pending', ...REVIEW_DECISIONS]),
  matchProbability: z.number(),
  matchWeight: z.number(),
  evidence: z
    .object({
      fields: z
        .array(z.object({ field: z.string(), level: z.string(), weight: z.number() }))
        .optional()
        .describe(
          "each compared field's level and weight (log2 m/u); with the prior they add up to the match weight",
        ),
    })
    .passthrough(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  left: Side,
  right: Side,
});

const asView = (pair: ReviewPair) => ({
  ...pair,
  id: Number(pair.id),
  decidedAt: pair.decidedAt ? new Date(pair.decidedAt).toISOString() : null,
});

/** Identity review: pairs of records the model could not decide, and a person's decision on each. */
export function identityRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/review-pairs',
      {
        config: { permission: 'linkage.decide' },
        schema: {
          summary:
            'Pairs of records waiting for a person to say whether they are the same child (the read is audited)',
          tags: ['identity'],
          querystring: z.object({
            status: z.enum(['pending', ...REVIEW_DECISIONS]).default('pending'),
            cursor: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ pairs: z.array(PairView), nextCursor: z.number().nullable() }) },
        },
      },
      async (request) => {
        const { status, cursor, limit } = request.query;
        const ability = request.ability!;
        const pairs = await listReviewPairs(db, {
          status,
          limit,
          ...(cursor === undefined ? {} : { after: cursor }),
          scope: (columns, params) => scopeCondition(ability, 'linkage.decide', columns, params),
        });
        await appendAudit(db, {
          actor: request.account!.username,
          action: 'review.list',
          objectType: 'review_pair',
          objectId: null,
          childId: null,
          purpose: null,
          result: 'allowed',
          detail: { status, count: pairs.length },
        });
        return {
          pairs: pairs.map(asView),
          nextCursor: pairs.length === limit ? Number(pairs.at(-1)!.id) : null,
        };
      },
    );

    app.post(
      '/api/v1/review-pairs/:id/decision',
      {
        config: { permission: 'linkage.decide' },
        schema: {
          summary:
            'Decide a pair: the same child, or different children; applied at once and kept by every later run',
          tags: ['identity'],
          params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
          body: z.object({
            decision: z.enum(REVIEW_DECISIONS),
            note: z.string().max(500).optional(),
          }),
          response: {
            200: z.object({
              pair: PairView,
              childrenBefore: z.number(),
              childrenAfter: z.number(),
              identitiesMoved: z.number(),
            }),
          },
        },
      },
      async (request) => {
        const account = request.account!;
        const { decision, note } = request.body;
        const pair = await readReviewPair(db, request.params.id);
        const allowed =
          pair !== undefined &&
          (await childrenOfPair(db, pair)).some((child) =>
            allowsChild(request.ability!, 'linkage.decide', child),
          );
        const audit = (result: 'allowed' | 'denied') =>
          appendAudit(db, {
            actor: account.username,
            action: 'review.decide',
            objectType: 'review_pair',
            objectId: String(request.params.id),
            childId: pair ? pair.left.childId : null,
            purpose: null,
            result,
            detail: { decision, ...(note ? { note } : {}) },
          });
        if (!allowed) {
          await audit('denied');
          throw new AppError('not_found', `No review pair ${request.params.id} in your scope.`);
        }
        const { pair: decided, relinked } = await db.transaction((tx) =>
          decideReviewPair(tx, request.params.id, decision, account.username),
        );
        await audit('allowed');
        return {
          pair: asView(decided),
          childrenBefore: relinked.childrenBefore,
          childrenAfter: relinked.childrenAfter,
          identitiesMoved: relinked.identitiesMoved,
        };
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']).describe('ok when the database answers'),
  engine: z.enum(['pglite', 'postgres']).describe('which database engine serves this process'),
});

export function healthRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      {
        config: { public: true },
        schema: {
          summary: 'Liveness and database reachability',
          tags: ['system'],
          response: { 200: Health, 503: Health },
        },
      },
      async (_request, reply) => {
        try {
          await db.query('select 1');
          return { status: 'ok' as const, engine: db.engine };
        } catch {
          return reply.code(503).send({ status: 'unavailable' as const, engine: db.engine });
        }
      },
    );
  };
}

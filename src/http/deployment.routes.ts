import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BANNERS, type Banner } from '../config';

const Deployment = z.object({
  banner: z
    .enum(BANNERS)
    .describe(
      'none: no government banner (the default: Whereabouts is an open-source product); us-government: the USWDS "official website of the United States government" banner, switched on by a federal deployment (WHEREABOUTS_BANNER)',
    ),
});

/** What the web app needs to know about this deployment before anyone signs in. */
export function deploymentRoutes(banner: Banner): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/deployment',
      {
        config: { public: true },
        schema: {
          summary: 'How this deployment presents itself (its banner)',
          tags: ['deployment'],
          response: { 200: Deployment },
        },
      },
      async () => ({ banner }),
    );
  };
}

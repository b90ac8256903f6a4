import helmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { auditRoutes } from '../audit/audit.routes';
import { installGuard } from '../auth/guard';
import { sessionRoutes } from '../auth/session.routes';
import { caseRoutes } from '../cases/cases.routes';
import type { Banner } from '../config';
import type { Database } from '../db';
import { ingestRoutes } from '../ingest/ingest.routes';
import { reportRoutes } from '../reports/reports.routes';
import { deploymentRoutes } from './deployment.routes';
import { documentErrorBodies, installErrorHandler } from './error-handler';
import { healthRoutes } from './health.routes';
import { serveWebApp } from './web';

export interface AppOptions {
  db: Database;
  logLevel?: string;
  webRoot?: string;
  /** Largest feed delivery accepted over HTTP, in bytes. */
  maxDeliveryBytes?: number;
  /** Sign-in attempts allowed per minute from one address (10). */
  signInsPerMinute?: number;
  /** The banner above the header: none by default (WHEREABOUTS_BANNER). */
  banner?: Banner;
}

/**
 * Builds the HTTP application; plugins register in a fixed order: errors, security headers, the guard (which
 * refuses to start with any route that does not say who may call it), docs, API routes, web app.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info' },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(helmet);
  await installGuard(app, options.db);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Whereabouts API',
        description:
          'Where every child released from federal custody is, whether the child is safe, and whether the child has a court date and attends it.',
        version: '1',
      },
    },
    transform: jsonSchemaTransform,
  });
  // The documentation routes come from a plugin; mark them public as they are registered.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, public: true };
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  documentErrorBodies(app);

  await app.register(healthRoutes(options.db));
  await app.register(deploymentRoutes(options.banner ?? 'none'));
  await app.register(sessionRoutes(options.db, options.signInsPerMinute));
  await app.register(reportRoutes(options.db));
  await app.register(caseRoutes(options.db));
  await app.register(auditRoutes(options.db));
  await app.register(ingestRoutes(options.db, options.maxDeliveryBytes));
  await serveWebApp(app, options.webRoot);
  return app;
}

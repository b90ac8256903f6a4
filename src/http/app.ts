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
import { oidcRoutes } from '../auth/oidc.routes';
import { sessionRoutes } from '../auth/session.routes';
import { loadSharingRules, type SharingRules } from '../auth/sharing-rules';
import { addressWorklistRoutes } from '../cases/address-worklist.routes';
import { caseRoutes } from '../cases/cases.routes';
import { searchRoutes } from '../cases/search.routes';
import type { Banner, OidcSettings } from '../config';
import type { Database } from '../db';
import { identityRoutes } from '../identity/identity.routes';
import { ingestRoutes } from '../ingest/ingest.routes';
import { tipRoutes } from '../ingest/tips.routes';
import { loadPolicy, type Policy } from '../monitoring';
import { monitoringRoutes } from '../monitoring/monitoring.routes';
import { placeRoutes } from '../monitoring/places.routes';
import { noticeRoutes } from '../notices/notices.routes';
import { reportRoutes } from '../reports/reports.routes';
import { deploymentRoutes } from './deployment.routes';
import { documentErrorBodies, installErrorHandler } from './error-handler';
import { healthRoutes } from './health.routes';
import { installSecurityHeaders } from './security-headers';
import { serveWebApp } from './web';

export interface AppOptions {
  db: Database;
  /**
   * Where the dashboard's and reports' figures and lists are read: a read replica of `db`
   * (WHEREABOUTS_REPORTS_DATABASE_URL). Their audit entries are written to `db`. Unset: `db`.
   */
  reportsDb?: Database;
  logLevel?: string;
  /** Where log lines go (standard output when unset); tests read the security lines from here. */
  logStream?: NodeJS.WritableStream;
  webRoot?: string;
  /** Largest feed delivery accepted over HTTP, in bytes. */
  maxDeliveryBytes?: number;
  /** Sign-in attempts allowed per minute from one address (10). */
  signInsPerMinute?: number;
  /** Searches allowed per minute for one person (60). */
  searchesPerMinute?: number;
  /** Sign-in through the agency's OpenID Connect provider; off when undefined. */
  oidc?: OidcSettings;
  /** Who may see which parts of a record, by date (policy/sharing-rules.yaml). */
  sharingRules?: SharingRules;
  /** The monitoring policy outcomes are swept under (policy/default.yaml). */
  policy?: Policy;
  /** The banner above the header: none by default (WHEREABOUTS_BANNER). */
  banner?: Banner;
}

/**
 * Builds the HTTP application; plugins register in a fixed order: errors, security headers, the guard (which
 * refuses to start with any route that does not say who may call it), docs, API routes, web app.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installSecurityHeaders(app);
  const sharingRules = options.sharingRules ?? loadSharingRules();
  await installGuard(app, options.db, sharingRules);

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
  await app.register(sessionRoutes(options.db, sharingRules, options.signInsPerMinute));
  await app.register(oidcRoutes(options.db, options.oidc));
  await app.register(reportRoutes(options.db, options.reportsDb));
  await app.register(caseRoutes(options.db));
  await app.register(identityRoutes(options.db));
  await app.register(searchRoutes(options.db, options.searchesPerMinute));
  const policy = options.policy ?? loadPolicy();
  await app.register(monitoringRoutes(options.db, policy));
  await app.register(addressWorklistRoutes(options.db));
  await app.register(placeRoutes(options.db, policy));
  await app.register(tipRoutes(options.db, policy));
  await app.register(noticeRoutes(options.db));
  await app.register(auditRoutes(options.db));
  await app.register(ingestRoutes(options.db, options.maxDeliveryBytes));
  await serveWebApp(app, options.webRoot);
  return app;
}

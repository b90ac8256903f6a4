import cookie from '@fastify/cookie';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { type AppAbility, abilityFor, allows } from './abilities';
import { type Account, findSession, tokenHash } from './accounts.repository';
import type { Permission } from './permissions';
import { securityLog } from './security-log';
import { SessionCache } from './session-cache';
import { type SharingRules, type SharingVersion, versionInForce } from './sharing-rules';

export const SESSION_COOKIE = 'wa_session';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes anyone may call. Every other route names what it needs. */
    public?: boolean;
    /** A permission from permissions.ts, or `signed_in` for anyone with a session. */
    permission?: Permission | 'signed_in';
    /** Authenticated by a per-source feed token (agency deliveries) instead of a person's session. */
    feedToken?: boolean;
  }
  interface FastifyRequest {
    account?: Account;
    csrfToken?: string;
    /** What the signed-in person may do (src/auth/abilities.ts), under `sharingVersion`. */
    ability?: AppAbility;
    /** The sharing rules in force for this request, recorded with audited reads. */
    sharingVersion?: SharingVersion;
  }
  interface FastifyInstance {
    /** Every route with what it declared, for the authorization tests. */
    routeTable: RouteOptions[];
    /** Sessions checked a moment ago (src/auth/session-cache.ts); cleared by whatever changes one. */
    sessions: SessionCache;
  }
}

/** True when a route says who may call it; the guard refuses to register one that does not. */
export function routeIsDeclared(
  config: { public?: boolean; permission?: string; feedToken?: boolean } | undefined,
): boolean {
  return Boolean(config?.public || config?.permission || config?.feedToken);
}

/**
 * The one place where requests are authenticated and authorized. Registered before any route: a route that
 * declares neither a permission nor `public: true` (nor a feed token) stops the server from starting.
 */
export async function installGuard(
  app: FastifyInstance,
  db: Database,
  sharingRules: SharingRules,
): Promise<void> {
  await app.register(cookie);
  const sessions = await SessionCache.open(db);
  app.decorate('sessions', sessions);
  app.addHook('onClose', () => sessions.close());
  const routes: RouteOptions[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  // Checked when the app is ready, after plugins have marked their own routes (docs, static files).
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((route) => !routeIsDeclared(route.config));
    if (undeclared.length > 0) {
      const names = undeclared.map((route) => `${route.method} ${route.url}`).join(', ');
      throw new Error(
        `Routes that declare neither a permission nor public: true: ${names} (src/auth/guard.ts)`,
      );
    }
  });
  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || config.feedToken) return;
    const token = request.cookies[SESSION_COOKIE];
    const hash = token ? tokenHash(token) : undefined;
    let session = hash ? sessions.get(hash) : undefined;
    if (hash && !session) {
      const askedAt = sessions.generation;
      session = await findSession(db, hash);
      if (session) sessions.keep(hash, session, askedAt);
    }
    const where = { method: request.method, route: request.routeOptions.url, ip: request.ip };
    if (!session) {
      securityLog(request.log, 'unauthenticated', { ...where, cookie: Boolean(token) });
      throw new AppError('unauthenticated', 'Sign in first (or your session has expired).');
    }
    const who = { ...where, actor: session.account.username };
    if (STATE_CHANGING.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      securityLog(request.log, 'csrf_refused', who);
      throw new AppError(
        'forbidden',
        'This request lacks the CSRF token of your session (header X-CSRF-Token).',
      );
    }
    const sharingVersion = versionInForce(sharingRules, new Date());
    const ability = abilityFor(session.account, sharingVersion);
    if (config.permission !== 'signed_in' && !allows(ability, config.permission!)) {
      securityLog(request.log, 'permission_denied', { ...who, permission: config.permission });
      throw new AppError('forbidden', `Your role does not allow ${config.permission}.`);
    }
    request.account = session.account;
    request.csrfToken = session.csrfToken;
    request.ability = ability;
    request.sharingVersion = sharingVersion;
  });
}

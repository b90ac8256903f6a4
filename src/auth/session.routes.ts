import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { NO_CONTROL_CHARACTERS } from '../shared/text';
import { type AppAbility, defineAbilityFor, permissionsOf } from './abilities';
import {
  type Account,
  closeSession,
  findAccount,
  openSession,
  recordFailedSignIn,
  recordSignIn,
  SESSION_ABSOLUTE_HOURS,
} from './accounts.repository';
import { SESSION_COOKIE } from './guard';
import { passwordMatches } from './passwords';
import { PERMISSIONS, ROLES } from './permissions';
import { securityLog } from './security-log';
import { type SharingRules, versionInForce } from './sharing-rules';

const SessionView = z.object({
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  permissions: z.array(z.enum(PERMISSIONS)).describe('what the web app may offer this person'),
  fieldOfficeCode: z.string().nullable(),
  csrfToken: z.string().describe('send as X-CSRF-Token on every POST, PUT, PATCH and DELETE'),
});

const view = (account: Account, csrfToken: string, ability: AppAbility) => ({
  username: account.username,
  displayName: account.displayName,
  roles: account.roles,
  permissions: permissionsOf(ability),
  fieldOfficeCode: account.fieldOfficeCode,
  csrfToken,
});

const WRONG = 'Wrong username or password.';

/**
 * Opens a session for a person who has just proved who they are (password or identity provider): a new session
 * id every time, ending the one the browser had, in a cookie scripts cannot read and other sites cannot send.
 */
export async function startSession(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  account: Account,
): Promise<{ csrfToken: string }> {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await closeSession(db, previous);
  // The ended session (and a role the identity provider just changed) count in this process at once; the others
  // hear the database announce it.
  request.server.sessions.clear();
  const session = await openSession(db, account.id);
  reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: 'auto',
    path: '/',
    maxAge: SESSION_ABSOLUTE_HOURS * 3600,
  });
  return session;
}

export function sessionRoutes(
  db: Database,
  sharingRules: SharingRules,
  signInsPerMinute = 10,
): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(rateLimit, { global: false });
    app.post(
      '/api/v1/session',
      {
        config: { public: true, rateLimit: { max: signInsPerMinute, timeWindow: '1 minute' } },
        schema: {
          summary: 'Sign in with a local account',
          tags: ['session'],
          body: z.object({
            username: z
              .string()
              .min(1)
              .max(100)
              .regex(NO_CONTROL_CHARACTERS, 'expected no control characters'),
            password: z.string().min(1).max(200),
          }),
          response: { 200: SessionView },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        const account = await findAccount(db, username);
        const audit = async (result: 'succeeded' | 'failed', reason?: string) => {
          if (result === 'failed') {
            securityLog(request.log, reason === 'locked' ? 'sign_in_refused_locked' : 'sign_in_failed', {
              actor: username,
              ip: request.ip,
              reason,
            });
          }
          await appendAudit(db, {
            actor: username,
            action: 'session.sign_in',
            result,
            detail: { ip: request.ip, ...(reason ? { reason } : {}) },
          });
        };
        if (!account || account.disabled) {
          await audit('failed', account ? 'disabled' : 'unknown user');
          throw new AppError('unauthenticated', WRONG);
        }
        if (account.lockedUntil && new Date(account.lockedUntil) > new Date()) {
          await audit('failed', 'locked');
          const minutes = Math.ceil((new Date(account.lockedUntil).getTime() - Date.now()) / 60_000);
          throw new AppError(
            'unauthenticated',
            `The account is locked after repeated failed sign-ins; try again in ${minutes} minute(s).`,
          );
        }
        if (!(await passwordMatches(account.passwordHash, password))) {
          const failed = await recordFailedSignIn(db, account.id);
          await audit('failed', 'wrong password');
          if (failed.lockedUntil) {
            securityLog(request.log, 'account_locked', {
              actor: username,
              ip: request.ip,
              failedSignIns: failed.failedSignIns,
              lockedUntil: new Date(failed.lockedUntil).toISOString(),
            });
          }
          throw new AppError('unauthenticated', WRONG);
        }
        await recordSignIn(db, account.id);
        const session = await startSession(db, request, reply, account);
        await audit('succeeded');
        return view(
          account,
          session.csrfToken,
          defineAbilityFor(account, versionInForce(sharingRules, new Date())),
        );
      },
    );
    app.get(
      '/api/v1/session',
      {
        config: { permission: 'signed_in' },
        schema: { summary: 'Who is signed in', tags: ['session'], response: { 200: SessionView } },
      },
      async (request) => view(request.account!, request.csrfToken!, request.ability!),
    );
    app.delete(
      '/api/v1/session',
      {
        config: { permission: 'signed_in' },
        schema: { summary: 'Sign out', tags: ['session'], response: { 204: z.null() } },
      },
      async (request, reply) => {
        await closeSession(db, request.cookies[SESSION_COOKIE]!);
        request.server.sessions.clear();
        await appendAudit(db, {
          actor: request.account!.username,
          action: 'session.sign_out',
          result: 'succeeded',
        });
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );
  };
}

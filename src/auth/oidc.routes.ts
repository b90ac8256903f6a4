import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { OidcSettings } from '../config';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { upsertExternalAccount } from './accounts.repository';
import { OidcClient, type PendingSignIn } from './oidc';
import { securityLog } from './security-log';
import { startSession } from './session.routes';

const PENDING_COOKIE = 'wa_oidc';
const PENDING_PATH = '/api/v1/session/oidc';
/** Only a path on this site: never an open redirect to another one. */
const ReturnTo = z
  .string()
  .max(300)
  .regex(/^\/(?!\/)[\w\-./?=&%]*$/, 'expected a path on this site, such as /children')
  .default('/');

const PendingCookie = z.object({
  state: z.string().max(100),
  nonce: z.string().max(100),
  codeVerifier: z.string().max(200),
  returnTo: ReturnTo,
});

/**
 * Sign-in through the agency's identity provider. `start` sends the browser there (remembering state, nonce and
 * PKCE verifier in a short-lived cookie the callback alone receives); `callback` redeems the code, creates or
 * refreshes the person's account from the provider's claims, opens a session exactly like a password sign-in
 * and audits it. Both answer 404 when no provider is configured.
 */
export function oidcRoutes(db: Database, settings: OidcSettings | undefined): FastifyPluginAsyncZod {
  const oidc = settings ? new OidcClient(settings) : undefined;
  const configured = () => {
    if (!oidc) throw new AppError('not_found', 'Sign-in through an identity provider is not configured.');
    return oidc;
  };
  return async (app) => {
    app.get(
      `${PENDING_PATH}/start`,
      {
        config: { public: true },
        schema: {
          summary: 'Sign in through the agency’s identity provider (redirects there)',
          tags: ['session'],
          querystring: z.object({ returnTo: ReturnTo.describe('where to land after signing in') }),
        },
      },
      async (request, reply) => {
        const { url, pending } = await configured().start(request.query.returnTo);
        reply.setCookie(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
          httpOnly: true,
          // Lax: the provider's redirect back is a cross-site navigation, which a Strict cookie would miss.
          sameSite: 'lax',
          secure: 'auto',
          path: PENDING_PATH,
          maxAge: 600,
        });
        return reply.redirect(url.href, 302);
      },
    );
    app.get(
      `${PENDING_PATH}/callback`,
      {
        config: { public: true },
        schema: {
          summary: 'Where the identity provider sends the browser back (opens a session)',
          tags: ['session'],
          querystring: z.object({
            code: z.string().max(2000).optional(),
            state: z.string().max(200).optional(),
            iss: z.string().max(500).optional(),
            error: z.string().max(200).optional(),
            error_description: z.string().max(1000).optional(),
          }),
        },
      },
      async (request, reply) => {
        const client = configured();
        const pending = readPending(request.cookies[PENDING_COOKIE]);
        reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
        const audit = (actor: string, result: 'succeeded' | 'failed', reason?: string) =>
          appendAudit(db, {
            actor,
            action: 'session.sign_in',
            result,
            detail: {
              method: 'oidc',
              issuer: client.settings.issuer,
              ip: request.ip,
              ...(reason ? { reason } : {}),
            },
          });
        const refuse = async (actor: string, reason: string, error: AppError) => {
          securityLog(request.log, 'oidc_failed', { actor, ip: request.ip, reason });
          await audit(actor, 'failed', reason);
          throw error;
        };
        if (!pending) {
          return refuse(
            '(unknown)',
            'no sign-in in progress',
            new AppError('unauthenticated', 'No sign-in is in progress here; start again.'),
          );
        }
        let identity: Awaited<ReturnType<OidcClient['finish']>>;
        try {
          identity = await client.finish(new URL(request.url, 'http://callback').search, pending);
        } catch (error) {
          const reason =
            error instanceof AppError
              ? error.message
              : `the provider's answer was refused: ${(error as Error).message}`;
          return refuse(
            '(unknown)',
            reason,
            error instanceof AppError && error.code !== 'upstream_unavailable'
              ? error
              : new AppError(
                  'unauthenticated',
                  'The identity provider did not confirm who you are; start again.',
                ),
          );
        }
        const account = await upsertExternalAccount(db, identity);
        if (!account || account.disabled) {
          return refuse(
            identity.username,
            account ? 'disabled' : 'a local account has this username',
            new AppError('forbidden', 'This account cannot sign in through the identity provider.'),
          );
        }
        await startSession(db, request, reply, account);
        await audit(identity.username, 'succeeded');
        return reply.redirect(pending.returnTo, 302);
      },
    );
  };
}

function readPending(cookie: string | undefined): PendingSignIn | undefined {
  if (!cookie) return undefined;
  try {
    const parsed = PendingCookie.safeParse(JSON.parse(Buffer.from(cookie, 'base64url').toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

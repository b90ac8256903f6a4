import type { FastifyBaseLogger } from 'fastify';

/** The security events an operator watches for, each one structured log line with `security: <event>`. */
export type SecurityEvent =
  | 'unauthenticated'
  | 'csrf_refused'
  | 'permission_denied'
  | 'out_of_scope'
  | 'sign_in_failed'
  | 'account_locked'
  | 'sign_in_refused_locked'
  | 'feed_token_refused'
  | 'oidc_failed'
  | 'rate_limited';

export function securityLog(
  log: FastifyBaseLogger,
  event: SecurityEvent,
  fields: Record<string, unknown> = {},
): void {
  log.warn({ security: event, ...fields }, `security: ${event}`);
}

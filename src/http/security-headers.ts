import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * helmet's default headers (Content-Security-Policy, Strict-Transport-Security, X-Frame-Options, …), computed
 * once by running helmet's own middleware against a recorder. @fastify/helmet builds that middleware again for
 * every request (parsing the CSP directives each time); the headers do not depend on the request, so the
 * busiest routes paid for the same strings over and over.
 */
export function securityHeaders(): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.push([name, String(value)]);
    },
    removeHeader() {},
  };
  let failure: unknown;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return Object.freeze(headers.map((header) => Object.freeze(header)));
}

/** Sets the security headers on every response (errors and 404s included), before any route runs. */
export function installSecurityHeaders(app: FastifyInstance): void {
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}

import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, httpStatusFor } from '../shared/errors';

/** The one error body every API route answers with, documented on each route as its 4xx and 5xx answer. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('input_invalid, unauthenticated, forbidden, not_found, conflict, …'),
      message: z.string().describe('safe to show to a person'),
      details: z.unknown().optional().describe('for input_invalid: each place and its problem'),
    }),
  })
  .describe('{error: {code, message, details}}');

/** Adds the error body to the documented answers of every API route that declares a schema. */
export function documentErrorBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') || !route.schema) return;
    route.schema = {
      ...route.schema,
      response: { '4xx': ErrorBody, '5xx': ErrorBody, ...(route.schema.response as object | undefined) },
    };
  });
}

/** The one place errors become HTTP responses: `{error: {code, message, details}}`, never a stack or SQL text. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(400).send({
        error: {
          code: 'input_invalid',
          message: 'The request does not match the expected shape.',
          details: error.validation.map((issue) => ({
            place: issue.instancePath || '/',
            problem: issue.message,
          })),
        },
      });
    }
    if (error instanceof AppError) {
      const status = httpStatusFor(error.code);
      if (status >= 500) request.log.error({ err: error }, error.message);
      return reply
        .code(status)
        .send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply
        .code(500)
        .send({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
    }
    return reply.code(status).send({ error: { code: error.code ?? 'bad_request', message: error.message } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url}` } }),
  );
}

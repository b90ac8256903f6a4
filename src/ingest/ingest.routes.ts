import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { feedTokenSource } from '../auth';
import type { Database } from '../db';
import { FEED_SOURCES } from '../feeds';
import { loadPolicy, runSweep } from '../monitoring';
import { AppError } from '../shared/errors';
import { ingestFile, recognizeFiles } from './ingest.service';

const FEED_CONTENT_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl'];
export const MAX_DELIVERY_BYTES = 512 * 1024 * 1024;

const DeliverySummary = z.object({
  batches: z.array(
    z.object({
      file: z.string(),
      source: z.string(),
      kind: z.string(),
      accepted: z.number().int(),
      rejected: z.number().int(),
      duplicates: z.number().int(),
    }),
  ),
  accepted: z.number().int(),
  rejected: z.number().int(),
  duplicates: z.number().int(),
  seconds: z.number(),
});

/**
 * Agency deliveries over HTTP: the same formats and pipeline as files. The body streams to a private temporary
 * file (size-limited) and is ingested as one batch; the touched children are swept by the monitoring policy.
 */
export function ingestRoutes(db: Database, maxBytes = MAX_DELIVERY_BYTES): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(FEED_CONTENT_TYPES, (_request, payload, done) => done(null, payload));
    app.post(
      '/api/v1/feeds/:source',
      {
        config: { feedToken: true },
        bodyLimit: maxBytes,
        schema: {
          summary: 'Deliver one feed file (CSV or JSON Lines) from an agency',
          description:
            'Authenticate with `Authorization: Bearer <token>` from `whereabouts token create --source <source>`. Name the ' +
            'delivery with `?file=orr_releases_v1_2024-03-01.csv`: the format is recognized from that name and the first line.',
          tags: ['feeds'],
          params: z.object({ source: z.enum(FEED_SOURCES).describe('the sending agency or channel') }),
          querystring: z.object({
            file: z
              .string()
              .regex(/^[\w.-]{1,120}$/, 'expected a file name such as orr_releases_v1_2024-03-01.csv')
              .describe('the delivery’s file name, which carries its format and version'),
          }),
          response: { 200: DeliverySummary },
        },
      },
      async (request) => {
        const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
        const allowed = token ? await feedTokenSource(db, token) : undefined;
        if (!allowed)
          throw new AppError('unauthenticated', 'A valid feed token is required (Authorization: Bearer …).');
        if (allowed !== request.params.source) {
          throw new AppError(
            'forbidden',
            `This token delivers for ${allowed}, not ${request.params.source}.`,
          );
        }
        if (!FEED_CONTENT_TYPES.includes(String(request.headers['content-type']).split(';')[0]!.trim())) {
          throw new AppError(
            'unsupported_media_type',
            `Content-Type must be one of ${FEED_CONTENT_TYPES.join(', ')}.`,
          );
        }
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-delivery-'));
        const file = path.join(dir, request.query.file);
        try {
          await pipeline(
            request.body as NodeJS.ReadableStream,
            limitBytes(maxBytes),
            fs.createWriteStream(file, { mode: 0o600 }),
          );
          const started = performance.now();
          const [recognized] = await recognizeFiles([file], request.params.source);
          const summary = await ingestFile(db, file, recognized!.format);
          await runSweep(db, loadPolicy(), { childIds: summary.children });
          request.log.info(
            {
              batch: summary.batchId,
              kind: summary.kind,
              rows: summary.rowsRead,
              accepted: summary.accepted,
              rejected: summary.rejected,
              duplicates: summary.duplicates,
            },
            'feed delivery stored',
          );
          const batch = {
            file: request.query.file,
            source: summary.source,
            kind: summary.kind,
            accepted: summary.accepted,
            rejected: summary.rejected,
            duplicates: summary.duplicates,
          };
          return {
            batches: [batch],
            accepted: batch.accepted,
            rejected: batch.rejected,
            duplicates: batch.duplicates,
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          };
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  };
}

function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max)
        callback(
          new AppError(
            'too_large',
            `The delivery is larger than ${max.toLocaleString('en-US')} bytes; split it into several files.`,
          ),
        );
      else callback(null, chunk);
    },
  });
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import type { Database } from '../db';
import { nationalReport } from './reports.repository';

const Counts = z.record(z.string(), z.number());

const NationalFigures = z.object({
  asOf: z.string(),
  transferred: z.number().int(),
  released: z.number().int(),
  no_nta: z.number().int(),
  nta_not_filed: z.number().int(),
  failed_to_appear: z.number().int(),
  address_defects: z.number().int(),
  runaways: z.number().int(),
  whereabouts_unknown: z.number().int(),
  locate_attempt_share: z.number(),
  by_field_office: z.record(z.string(), Counts),
  data_quality: z.record(z.string(), Counts),
});

/** The national oversight figures: aggregates only, so every role with report.read may see them. */
export function reportRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/reports/national',
      {
        config: { permission: 'report.read' },
        schema: {
          summary: 'National oversight figures, per field office and in total (no names)',
          tags: ['reports'],
          querystring: z.object({
            asOf: z.iso.datetime({ offset: true }).optional().describe('compute as of this time'),
          }),
          response: { 200: NationalFigures },
        },
      },
      async (request) => {
        const report = await nationalReport(
          db,
          request.query.asOf ? new Date(request.query.asOf) : new Date(),
        );
        await appendAudit(db, {
          actor: request.account!.username,
          action: 'report.read',
          objectType: 'report',
          objectId: 'national',
          result: 'allowed',
        });
        return report;
      },
    );
  };
}

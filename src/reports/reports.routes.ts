import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { type AppAbility, officesOf } from '../auth/abilities';
import type { Account } from '../auth/accounts.repository';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { type CsvCell, csvStream } from './csv';
import { FIGURES, type FigureId, QUALITY_CHECKS, type QualityCheckId } from './figures';
import {
  figureByState,
  type ListedChild,
  listChildrenBehind,
  monthlyTrends,
  nationalReport,
  officeWorkload,
} from './reports.repository';

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

const FIGURE_IDS = [...Object.keys(FIGURES), ...Object.keys(QUALITY_CHECKS)] as [
  FigureId | QualityCheckId,
  ...(FigureId | QualityCheckId)[],
];
const FigureParam = z.enum(FIGURE_IDS).describe('a figure or data-quality check (src/reports/figures.ts)');
const AsOf = z.iso.datetime({ offset: true }).optional().describe('compute as of this time (default now)');
const labelOf = (figure: FigureId | QualityCheckId) =>
  (FIGURES as Record<string, { label: string }>)[figure]?.label ??
  (QUALITY_CHECKS as Record<string, { label: string }>)[figure]!.label;

const ListedChildView = z.object({
  id: z.number().int(),
  givenNames: z.string().nullable(),
  surnames: z.string().nullable(),
  aNumber: z.string().nullable(),
  orrId: z.string().nullable(),
  fieldOfficeCode: z.string().nullable(),
  status: z.string(),
  protected1367: z.boolean(),
});

const FigureListQuery = z.object({
  office: z
    .string()
    .max(20)
    .optional()
    .describe('only children of this field office (office-scoped roles always get their own)'),
  asOf: AsOf,
  after: z.coerce.number().int().min(0).optional().describe('cursor: the nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// The body is a stream of CSV text, not JSON: declared for the document, never serialized by the schema.
const CSV = { 200: z.unknown().describe('text/csv; charset=utf-8, with a byte-order mark') };

/**
 * The office whose children a person may list: office-scoped roles only their own, national roles any
 * (or the one asked for). No office at all for an office-scoped person means nothing may be listed.
 */
function listingOffice(ability: AppAbility, asked: string | undefined): string | undefined {
  const offices = officesOf(ability, 'report.list_children');
  if (offices === 'all') return asked;
  if (offices.length === 0)
    throw new AppError('forbidden', 'Your role does not reach any field office’s children.');
  if (asked && !offices.includes(asked))
    throw new AppError('forbidden', 'You may list the children of your own field offices only.');
  if (asked) return asked;
  if (offices.length > 1)
    throw new AppError('input_invalid', `office: name one of your field offices (${offices.join(', ')})`);
  return offices[0];
}

/** Exports leave the system: names and A-numbers of children protected under § 1367 stay out, except for ORR. */
function exportRedacts(account: Account): boolean {
  return !account.roles.includes('orr_case_manager');
}
const WITHHELD = '[withheld: 8 U.S.C. § 1367]';

/**
 * The national oversight figures and their drill-downs: aggregates for report.read, names only for
 * report.list_children. Figures and lists are read from `figures` (a read replica, when one is configured);
 * every read's audit entry is written to `db`.
 */
export function reportRoutes(db: Database, figures: Database = db): FastifyPluginAsyncZod {
  return async (app) => {
    const audit = (
      account: Account,
      action: string,
      objectId: string,
      detail: Record<string, unknown> = {},
    ) =>
      appendAudit(db, {
        actor: account.username,
        action,
        objectType: 'report',
        objectId,
        result: 'allowed',
        detail,
      });

    app.get(
      '/api/v1/reports/national',
      {
        config: { permission: 'report.read' },
        schema: {
          summary: 'National oversight figures, per field office and in total (no names)',
          tags: ['reports'],
          querystring: z.object({ asOf: AsOf }),
          response: { 200: NationalFigures },
        },
      },
      async (request) => {
        const report = await nationalReport(
          figures,
          request.query.asOf ? new Date(request.query.asOf) : new Date(),
        );
        await audit(request.account!, 'report.read', 'national');
        return report;
      },
    );

    app.get(
      '/api/v1/reports/national.csv',
      {
        config: { permission: 'report.read' },
        schema: {
          summary: 'The national figures per field office as CSV (no names; the download is audited)',
          tags: ['reports'],
          produces: ['text/csv'],
          querystring: z.object({ asOf: AsOf }),
          response: CSV,
        },
      },
      async (request, reply) => {
        const report = await nationalReport(
          figures,
          request.query.asOf ? new Date(request.query.asOf) : new Date(),
        );
        const figureIds = Object.keys(FIGURES) as FigureId[];
        const qualityIds = Object.keys(QUALITY_CHECKS) as QualityCheckId[];
        const offices = Object.keys(report.by_field_office).sort();
        const rows: CsvCell[][] = offices.map((office) => [
          office,
          ...figureIds.map((id) => report.by_field_office[office]![id]),
          report.by_field_office[office]!.locate_attempt_share,
          ...qualityIds.map((id) => report.data_quality[office]?.[id] ?? 0),
        ]);
        rows.push([
          'total',
          ...figureIds.map((id) =>
            offices.reduce((sum, office) => sum + (report.by_field_office[office]![id] ?? 0), 0),
          ),
          report.locate_attempt_share,
          ...qualityIds.map((id) =>
            offices.reduce((sum, office) => sum + (report.data_quality[office]?.[id] ?? 0), 0),
          ),
        ]);
        await audit(request.account!, 'report.export', 'national', { format: 'csv', asOf: report.asOf });
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="whereabouts-national-${report.asOf.slice(0, 10)}.csv"`,
          )
          .send(csvStream(['field_office', ...figureIds, 'locate_attempt_share', ...qualityIds], rows));
      },
    );

    app.get(
      '/api/v1/reports/trends',
      {
        config: { permission: 'report.read' },
        schema: {
          summary: 'Releases, Notices to Appear issued and failures to appear per month (no names)',
          tags: ['reports'],
          querystring: z.object({
            asOf: AsOf,
            months: z.coerce.number().int().min(1).max(120).default(24),
          }),
          response: {
            200: z.object({
              asOf: z.string(),
              months: z.array(
                z.object({
                  month: z.string().describe('YYYY-MM (UTC)'),
                  released: z.number().int(),
                  ntaIssued: z.number().int(),
                  failedToAppear: z.number().int(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ? new Date(request.query.asOf) : new Date();
        const months = await monthlyTrends(figures, asOf, request.query.months);
        await audit(request.account!, 'report.read', 'trends');
        return { asOf: asOf.toISOString(), months };
      },
    );

    app.get(
      '/api/v1/reports/by-state',
      {
        config: { permission: 'report.read' },
        schema: {
          summary: 'One figure counted by the state of the child’s address, for the map (no names)',
          tags: ['reports'],
          querystring: z.object({ figure: FigureParam.default('whereabouts_unknown'), asOf: AsOf }),
          response: {
            200: z.object({
              asOf: z.string(),
              figure: z.string(),
              label: z.string(),
              states: z.record(z.string(), z.number().int()).describe('USPS state code → children'),
              noState: z.number().int().describe('children with no address in a known state'),
            }),
          },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ? new Date(request.query.asOf) : new Date();
        const { figure } = request.query;
        const counts = await figureByState(figures, figure, asOf);
        await audit(request.account!, 'report.read', `by-state:${figure}`);
        return { asOf: asOf.toISOString(), figure, label: labelOf(figure), ...counts };
      },
    );

    app.get(
      '/api/v1/reports/field-offices',
      {
        config: { permission: 'report.read' },
        schema: {
          summary: 'Each field office’s open and overdue tasks, to compare offices (no names)',
          tags: ['reports'],
          querystring: z.object({ asOf: AsOf }),
          response: {
            200: z.object({
              asOf: z.string(),
              offices: z.array(
                z.object({
                  code: z.string(),
                  name: z.string(),
                  openTasks: z.number().int(),
                  overdueTasks: z.number().int().describe('open tasks past their due time'),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ? new Date(request.query.asOf) : new Date();
        const offices = await officeWorkload(figures, asOf);
        await audit(request.account!, 'report.read', 'field-offices');
        return { asOf: asOf.toISOString(), offices };
      },
    );

    app.get(
      '/api/v1/reports/figures/:figure/children',
      {
        config: { permission: 'report.list_children' },
        schema: {
          summary: 'The children behind a figure, a page at a time (the listing is audited)',
          tags: ['reports'],
          params: z.object({ figure: FigureParam }),
          querystring: FigureListQuery,
          response: {
            200: z.object({
              figure: z.string(),
              label: z.string(),
              office: z.string().nullable(),
              children: z.array(ListedChildView),
              nextCursor: z
                .number()
                .int()
                .nullable()
                .describe('pass as `after` for the next page; null at the end'),
            }),
          },
        },
      },
      async (request) => {
        const account = request.account!;
        const { figure } = request.params;
        const { asOf, after, limit } = request.query;
        const office = listingOffice(request.ability!, request.query.office);
        const children = await listChildrenBehind(figures, figure, {
          ...(asOf ? { asOf: new Date(asOf) } : {}),
          ...(office ? { office } : {}),
          ...(after ? { after } : {}),
          limit,
        });
        await audit(account, 'report.list_children', figure, {
          office: office ?? null,
          after: after ?? 0,
          count: children.length,
        });
        return {
          figure,
          label: labelOf(figure),
          office: office ?? null,
          children,
          nextCursor: children.length === limit ? children[children.length - 1]!.id : null,
        };
      },
    );

    app.get(
      '/api/v1/reports/figures/:figure/children.csv',
      {
        config: { permission: 'report.list_children' },
        schema: {
          summary:
            'The children behind a figure as CSV; names of children protected under § 1367 withheld except for ORR (the download is audited)',
          tags: ['reports'],
          produces: ['text/csv'],
          params: z.object({ figure: FigureParam }),
          querystring: FigureListQuery.pick({ office: true, asOf: true }),
          response: CSV,
        },
      },
      async (request, reply) => {
        const account = request.account!;
        const { figure } = request.params;
        const asOf = request.query.asOf ? new Date(request.query.asOf) : new Date();
        const office = listingOffice(request.ability!, request.query.office);
        const redact = exportRedacts(account);
        await audit(account, 'report.export', figure, {
          format: 'csv',
          office: office ?? null,
          redacted1367: redact,
        });
        const row = (child: ListedChild): CsvCell[] => {
          const hidden = redact && child.protected1367;
          return [
            child.id,
            hidden ? WITHHELD : child.givenNames,
            hidden ? WITHHELD : child.surnames,
            hidden ? WITHHELD : child.aNumber,
            hidden ? WITHHELD : child.orrId,
            child.fieldOfficeCode,
            child.status,
            child.protected1367 ? 'yes' : 'no',
          ];
        };
        async function* pages() {
          for (let after = 0; ; ) {
            const page = await listChildrenBehind(figures, figure, {
              asOf,
              ...(office ? { office } : {}),
              after,
              limit: 5000,
            });
            for (const child of page) yield row(child);
            if (page.length < 5000) return;
            after = page[page.length - 1]!.id;
          }
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="whereabouts-${figure}${office ? `-${office}` : ''}-${asOf.toISOString().slice(0, 10)}.csv"`,
          )
          .send(
            csvStream(
              [
                'child_id',
                'given_names',
                'surnames',
                'a_number',
                'orr_id',
                'field_office',
                'status',
                'protected_1367',
              ],
              pages(),
            ),
          );
      },
    );
  };
}

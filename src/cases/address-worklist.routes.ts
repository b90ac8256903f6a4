import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VERDICTS } from '../addresses';
import { appendAudit } from '../audit';
import { officesOf, visibleGroups } from '../auth/abilities';
import type { FieldGroup } from '../auth/sharing-rules';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { type AddressToFix, listAddressesToFix, type WorklistCursor } from './address-worklist.repository';
import { viewKind } from './case-view';

const NEEDING_ACTION = VERDICTS.filter((verdict) => verdict !== 'deliverable_likely') as [
  string,
  ...string[],
];

const AddressRow = z.object({
  childId: z.number().int(),
  givenNames: z.string().nullable().optional(),
  surnames: z.string().nullable().optional(),
  fieldOfficeCode: z.string().nullable(),
  status: z.string(),
  nextHearingAt: z.string().nullable(),
  openAlerts: z.number().int().describe('open monitoring alerts about the child'),
  verdict: z
    .string()
    .describe('the verdict on the current address (docs/addresses.md); missing: none on record'),
  written: z.string().nullable().describe('the address as the records wrote it'),
  deliveryLine: z.string().nullable().describe('its USPS standard delivery line'),
  lastLine: z.string().nullable(),
  reasons: z.array(z.object({ code: z.string(), detail: z.string().optional() })),
  view: z.enum(['full', 'minimum_1367', 'limited']),
});

const encodeCursor = (cursor: WorklistCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decodeCursor(text: string): WorklistCursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as WorklistCursor;
    if (
      typeof cursor.hearingKey === 'string' &&
      (cursor.hearingKey === 'infinity' || !Number.isNaN(Date.parse(cursor.hearingKey))) &&
      Number.isInteger(cursor.openAlerts) &&
      Number.isInteger(cursor.childId)
    )
      return cursor;
  } catch {
    // reported below
  }
  throw new AppError('input_invalid', 'cursor: not one this server gave out.');
}

/**
 * The addresses that need someone's action: children whose current address will probably not bring a notice
 * or a visit, most urgent first, for the children whose address the person may read. The listing is audited
 * with the children it showed.
 */
export function addressWorklistRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/addresses',
      {
        config: { permission: 'case.read' },
        schema: {
          summary:
            'Addresses needing action: children whose current address is not judged deliverable (audited)',
          tags: ['cases'],
          querystring: z.object({
            verdict: z.enum(NEEDING_ACTION).optional().describe('only this verdict'),
            office: z
              .string()
              .regex(/^[A-Z]{2,5}$/, 'expected a field office code such as HOU')
              .optional()
              .describe('only this field office (office-scoped roles: their own)'),
            cursor: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,200}$/, 'expected a cursor from a previous page')
              .optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({
              addresses: z.array(AddressRow),
              nextCursor: z.string().nullable().describe('pass as cursor for the next page; null at the end'),
            }),
          },
        },
      },
      async (request) => {
        const ability = request.ability!;
        const { verdict, office, cursor, limit } = request.query;
        const offices = officesOf(ability, 'case.read');
        if (office && offices !== 'all' && !offices.includes(office))
          throw new AppError('forbidden', 'office: you may list the children of your own field office only.');
        const found = await listAddressesToFix(db, ability, {
          ...(verdict ? { verdict } : {}),
          ...(office ? { office } : {}),
          ...(cursor ? { after: decodeCursor(cursor) } : {}),
          limit: limit + 1,
        });
        const rows = found.slice(0, limit);
        const more = found.length > limit;
        const last = rows[rows.length - 1];
        await appendAudit(db, {
          actor: request.account!.username,
          action: 'address.list',
          objectType: 'address_worklist',
          objectId: office ?? 'all',
          result: 'allowed',
          detail: {
            children: rows.map((row) => row.childId),
            ...(verdict ? { verdict } : {}),
            ...(cursor ? { cursor } : {}),
            sharingRules: request.sharingVersion!.id,
          },
        });
        return {
          addresses: rows.map((row) => shapeRow(row, visibleGroups(ability, row))),
          nextCursor:
            more && last
              ? encodeCursor({
                  hearingKey: last.nextHearingAt ?? 'infinity',
                  openAlerts: last.openAlerts,
                  childId: last.childId,
                })
              : null,
        };
      },
    );
  };
}

function shapeRow(row: AddressToFix, groups: ReadonlySet<FieldGroup>) {
  const { givenNames, surnames, protected1367, ...rest } = row;
  return {
    ...rest,
    ...(groups.has('identity') ? { givenNames, surnames } : {}),
    view: viewKind(groups, protected1367),
  };
}

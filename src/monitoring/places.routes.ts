import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { type AppAbility, visibleGroups } from '../auth/abilities';
import { viewKind } from '../cases/case-view';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import {
  type CrowdedPlace,
  childrenAtPlaces,
  crowdedPlaces,
  type PlaceChild,
  type PlaceCursor,
} from './places.repository';
import type { Policy } from './policy.schema';

const PlaceView = z.object({
  kind: z.enum(['address', 'sponsor']).describe('a door (street address with its unit) or a sponsor'),
  label: z.string().describe('the door’s standard address, or the sponsor’s name(s) and phone'),
  children: z.number().int().describe('children linked to the place, in every office'),
  shown: z.array(
    z.object({
      childId: z.number().int(),
      givenNames: z.string().nullable().optional(),
      surnames: z.string().nullable().optional(),
      fieldOfficeCode: z.string().nullable(),
      status: z.string(),
      why: z.string().describe('what links the child to the place'),
      alert: z
        .object({ id: z.number().int(), openedAt: z.string() })
        .nullable()
        .describe('the open shared-place alert, if the rule opened one'),
      task: z
        .object({
          id: z.number().int(),
          state: z.string(),
          officeCode: z.string().nullable(),
          assignee: z.string().nullable(),
        })
        .nullable()
        .describe('the unfinished task of that alert'),
      view: z.enum(['full', 'minimum_1367', 'limited']),
    }),
  ),
  otherChildren: z.number().int().describe('children at the place you may not see (another office, § 1367)'),
});

const encodeCursor = (cursor: PlaceCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decodeCursor(text: string): PlaceCursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PlaceCursor;
    if (
      Number.isInteger(cursor.children) &&
      (cursor.kind === 'address' || cursor.kind === 'sponsor') &&
      typeof cursor.place === 'string'
    )
      return cursor;
  } catch {
    // reported below
  }
  throw new AppError('input_invalid', 'cursor: not one this server gave out.');
}

const phoneText = (digits: string) =>
  digits.length === 10 ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : digits;

/** One place as the person may see it: the children they may see named, the others only counted. */
function shapePlace(ability: AppAbility, place: CrowdedPlace, children: Map<number, PlaceChild>) {
  const group = place.kind === 'address' ? 'addresses' : 'sponsor';
  const seen = place.childIds
    .map((id) => children.get(id))
    .filter((child): child is PlaceChild => child !== undefined)
    .map((child) => ({ child, groups: visibleGroups(ability, child) }))
    .filter(({ groups }) => groups.size > 0);
  const linked = seen.filter(({ groups }) => groups.has(group));
  const label =
    place.kind === 'address'
      ? (linked
          .map(({ child }) => [child.deliveryLine, child.lastLine].filter(Boolean).join(', '))
          .find(Boolean) ?? place.place)
      : `${[...new Set(linked.map(({ child }) => child.sponsorName).filter(Boolean))].join(' / ') || 'Sponsor'} · ${phoneText(place.place)}`;
  return {
    kind: place.kind,
    label,
    children: place.childIds.length,
    shown: seen.map(({ child, groups }) => ({
      childId: child.childId,
      ...(groups.has('identity') ? { givenNames: child.givenNames, surnames: child.surnames } : {}),
      fieldOfficeCode: child.fieldOfficeCode,
      status: child.status,
      why: !groups.has(group)
        ? 'linked to this place (the details are withheld from your role)'
        : place.kind === 'address'
          ? `current address, written “${child.written ?? ''}”`
          : `released to ${child.sponsorName ?? 'this sponsor'}, phone ${child.phone ?? ''}`,
      alert: child.alert,
      task: child.task,
      view: viewKind(groups, child.protected1367),
    })),
    otherChildren: place.childIds.length - seen.length,
  };
}

/**
 * Sponsor and address risk: the places linked to at least the policy's `min_children` children (the shared-place
 * rule's threshold), each with the children there the person may see, why each is linked, and the open
 * shared-place alert and task. The listing is audited with the children it named.
 */
export function placeRoutes(db: Database, policy: Policy): FastifyPluginAsyncZod {
  const rule = policy.rules.shared_sponsor_or_address;
  return async (app) => {
    app.get(
      '/api/v1/risk/places',
      {
        config: { permission: 'alert.read' },
        schema: {
          summary:
            'Sponsors and doors linked to many children, with the children and the open alerts (audited)',
          tags: ['alerts'],
          querystring: z.object({
            cursor: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,600}$/, 'expected a cursor from a previous page')
              .optional(),
            limit: z.coerce.number().int().min(1).max(100).default(25),
          }),
          response: {
            200: z.object({
              minChildren: z.number().int().describe('the policy’s threshold (shared_sponsor_or_address)'),
              ruleEnabled: z.boolean(),
              places: z.array(PlaceView),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const ability = request.ability!;
        const { cursor, limit } = request.query;
        const places = await crowdedPlaces(
          db,
          ability,
          rule.min_children,
          cursor ? decodeCursor(cursor) : undefined,
          limit + 1,
        );
        const page = places.slice(0, limit);
        const children = await childrenAtPlaces(db, [...new Set(page.flatMap((place) => place.childIds))]);
        const shaped = page.map((place) => shapePlace(ability, place, children));
        await appendAudit(db, {
          actor: request.account!.username,
          action: 'place.list',
          objectType: 'risk_places',
          objectId: 'all',
          result: 'allowed',
          detail: {
            places: shaped.length,
            children: shaped.flatMap((place) => place.shown.map((child) => child.childId)),
            sharingRules: request.sharingVersion!.id,
          },
        });
        const last = page[page.length - 1];
        return {
          minChildren: rule.min_children,
          ruleEnabled: rule.enabled,
          places: shaped,
          nextCursor:
            places.length > limit && last
              ? encodeCursor({ children: last.childIds.length, kind: last.kind, place: last.place })
              : null,
        };
      },
    );
  };
}

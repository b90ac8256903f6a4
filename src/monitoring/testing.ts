import { storeAddresses } from '../addresses/addresses.repository';
import { refreshChildState } from '../cases/projection';
import type { Sql } from '../db';

const DAY = 86_400_000;
export const daysFromNow = (days: number, now = new Date()) => new Date(now.getTime() + days * DAY);

export interface TestEvent {
  type: string;
  /** Days before now (negative: in the future). */
  daysAgo: number;
  data?: Record<string, unknown>;
}

export const HOUSTON_ADDRESS = '4010 Walnut Ave Apt 609, Houston, TX 77085';

/**
 * A child made the way the pipeline makes one: identity, then events, then the projection — so a test drives a
 * rule from the facts, not from a hand-written state row. Addresses the events name are judged and stored.
 */
export async function childFromEvents(
  sql: Sql,
  events: TestEvent[],
  identity: { givenNames?: string; surnames?: string; dob?: string } = {},
  now = new Date(),
): Promise<number> {
  const [child] = await sql.query<{ id: number }>(
    'insert into children (given_names, surnames, dob) values ($1, $2, $3) returning id',
    [identity.givenNames ?? 'Ana', identity.surnames ?? 'López', identity.dob ?? '2012-03-04'],
  );
  const id = Number(child!.id);
  await addEvents(sql, id, events, now);
  return id;
}

/** Appends events to a child and recomputes the child's state, as an ingest batch would. */
export async function addEvents(sql: Sql, childId: number, events: TestEvent[], now = new Date()) {
  const addresses = events.flatMap((event) =>
    typeof event.data?.address === 'string' && event.data.address !== '' ? [event.data.address] : [],
  );
  await storeAddresses(sql, addresses, []);
  for (const event of events) {
    await sql.query('insert into events (child_id, type, occurred_at, data) values ($1, $2, $3, $4)', [
      childId,
      event.type,
      daysFromNow(-event.daysAgo, now).toISOString(),
      JSON.stringify(event.data ?? {}),
    ]);
  }
  await refreshChildState(sql, [childId]);
}

/** A child released to a sponsor in Houston `daysAgo` days ago, with an NTA issued and a recent contact. */
export function releasedEvents(daysAgo: number, address = HOUSTON_ADDRESS): TestEvent[] {
  return [
    { type: 'transferred_to_orr', daysAgo: daysAgo + 30 },
    {
      type: 'released_to_sponsor',
      daysAgo,
      data: { address, state: 'TX', zip: '77085', phone: '(713) 555-0142' },
    },
  ];
}

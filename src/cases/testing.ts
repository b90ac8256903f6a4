import { storeAddresses } from '../addresses/addresses.repository';
import type { Sql } from '../db';
import { refreshChildState } from './projection';

export interface ReleasedChild {
  givenNames: string;
  surnames: string;
  aNumber: string;
  orrId: string;
  sponsorName: string;
  /** Where the sponsor lives; its state and ZIP decide the field office (Houston for 77085, Atlanta for 30315). */
  address: string;
  protected1367?: boolean;
}

/**
 * A child released to a sponsor, written as the pipeline would (children, events, judged addresses) and run
 * through the real projection, so child_state and the search index are what ingest would make of it. The child
 * is twelve whenever the test runs (at 18 the juvenile case ends).
 */
export async function addReleasedChild(sql: Sql, child: ReleasedChild): Promise<number> {
  const [row] = await sql.query<{ id: number }>(
    `insert into children (given_names, surnames, a_number, orr_id, dob) values ($1, $2, $3, $4, (current_date - interval '12 years')::date)
     returning id`,
    [child.givenNames, child.surnames, child.aNumber, child.orrId],
  );
  const id = row!.id;
  await storeAddresses(sql, [child.address], []);
  await sql.query(
    `insert into events (child_id, type, occurred_at, data) values ($1, 'released_to_sponsor', '2024-01-05', $2)`,
    [
      id,
      JSON.stringify({
        sponsor_name: child.sponsorName,
        relationship: 'aunt',
        category: 2,
        address: child.address,
      }),
    ],
  );
  if (child.protected1367) {
    await sql.query(
      `insert into events (child_id, type, occurred_at, data) values ($1, 'protection_reported', '2024-03-01', '{"protection_type": "t_visa"}')`,
      [id],
    );
  }
  await refreshChildState(sql, [id]);
  return id;
}

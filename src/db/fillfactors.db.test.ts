import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '.';
import { createTestDatabase, testEngine } from './testing';

describe(`room on the pages of rows rewritten in place, on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('keeps a rewritten child state on its page, as the sweep rewrites a third of them', async () => {
    await db.exec(
      `insert into child_state (child_id, status) select id, 'released' from generate_series(1, 3000) id`,
    );
    const pages = () =>
      db.query<{ child_id: number; page: number }>(
        `select child_id::int, (ctid::text::point)[0]::int as page from child_state where child_id % 3 = 0
         order by child_id`,
      );
    const before = await pages();
    expect(new Set(before.map((row) => row.page)).size).toBeGreaterThan(10); // many full pages, not one
    await db.exec(`update child_state set risk_flags = '["no_nta"]' where child_id % 3 = 0`);
    const moved = (await pages()).filter((row, i) => row.page !== before[i]!.page);
    expect(moved).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { childrenBehind, nationalReport } from '.';

const AS_OF = new Date('2026-06-01T00:00:00Z');

async function addChild(
  db: Database,
  state: Record<string, unknown>,
  identity: Record<string, unknown> = { a_number: '123456789' },
) {
  const idColumns = Object.keys(identity);
  const values = idColumns.length
    ? `(${idColumns.join(', ')}) values (${idColumns.map((_, i) => `$${i + 1}`).join(', ')})`
    : 'default values';
  const [child] = await db.query<{ id: number }>(
    `insert into children ${values} returning id`,
    Object.values(identity),
  );
  const row = { status: 'released', transferred_at: '2023-01-01', released_at: '2023-02-01', ...state };
  const columns = Object.keys(row);
  await db.query(
    `insert into child_state (child_id, ${columns.join(', ')}) values ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})`,
    [child!.id, ...Object.values(row)],
  );
  return child!.id;
}

describe(`the oversight report on ${testEngine}`, () => {
  let db: Database;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    ids.complete = await addChild(db, {
      field_office_code: 'HOU',
      nta_issued_at: '2023-03-01',
      nta_filed_at: '2023-04-01',
      whereabouts: 'verified',
      release_address_verdict: 'deliverable_likely',
    });
    ids.noNta = await addChild(db, {
      field_office_code: 'HOU',
      whereabouts: 'unknown',
      release_address_verdict: 'missing_unit',
    });
    ids.notFiled = await addChild(db, {
      field_office_code: 'ATL',
      nta_issued_at: '2023-03-01',
      release_address_verdict: 'missing',
    });
    ids.missed = await addChild(
      db,
      {
        field_office_code: 'ATL',
        nta_issued_at: '2023-03-01',
        nta_filed_at: '2023-04-01',
        failed_to_appear_count: 1,
        last_failed_to_appear_at: '2024-01-10',
        runaway_reported_at: '2024-02-01',
        whereabouts: 'unknown',
      },
      { orr_id: 'ORR-1' },
    );
    ids.missedAndLocated = await addChild(
      db,
      {
        field_office_code: 'ATL',
        nta_issued_at: '2023-03-01',
        nta_filed_at: '2023-04-01',
        failed_to_appear_count: 2,
        last_failed_to_appear_at: '2024-01-10',
      },
      {},
    );
    await db.query(
      `insert into events (child_id, type, occurred_at) values ($1, 'locate_attempt', '2024-01-20')`,
      [ids.missedAndLocated],
    );
  });
  afterAll(() => db.close());

  it('counts each national figure from the children’s state', async () => {
    const report = await nationalReport(db, AS_OF);
    expect(report).toMatchObject({
      transferred: 5,
      released: 5,
      no_nta: 1,
      nta_not_filed: 1,
      failed_to_appear: 2,
      address_defects: 2,
      runaways: 1,
      whereabouts_unknown: 4, // whereabouts default to unknown until a contact is verified
      locate_attempt_share: 0.5,
    });
  });

  it('breaks every figure down by field office, adding up to the national total', async () => {
    const report = await nationalReport(db, AS_OF);
    expect(Object.keys(report.by_field_office).sort()).toEqual(['ATL', 'HOU']);
    expect(report.by_field_office.HOU).toMatchObject({ released: 2, no_nta: 1, failed_to_appear: 0 });
    expect(report.by_field_office.ATL).toMatchObject({
      released: 3,
      failed_to_appear: 2,
      locate_attempt_share: 0.5,
    });
    const sum = Object.values(report.by_field_office).reduce(
      (total, office) => total + office.whereabouts_unknown,
      0,
    );
    expect(sum).toBe(report.whereabouts_unknown);
  });

  it('lists exactly the children behind a figure, so each number can be checked', async () => {
    expect(await childrenBehind(db, 'failed_to_appear', { asOf: AS_OF })).toEqual([
      ids.missed,
      ids.missedAndLocated,
    ]);
    expect(await childrenBehind(db, 'no_nta', { asOf: AS_OF, office: 'HOU' })).toEqual([ids.noNta]);
    expect(await childrenBehind(db, 'no_nta', { asOf: AS_OF, office: 'ATL' })).toEqual([]);
  });

  it('scores data quality per office, including records that carry no identifier', async () => {
    const report = await nationalReport(db, AS_OF);
    expect(report.data_quality.ATL).toMatchObject({ address_blank: 1, no_identifier: 1 });
    expect(report.data_quality.HOU).toMatchObject({ address_without_unit: 1, no_identifier: 0 });
    expect(await childrenBehind(db, 'no_identifier', { asOf: AS_OF })).toEqual([ids.missedAndLocated]);
  });

  it('refuses a figure it does not know, naming the ones it does', async () => {
    await expect(childrenBehind(db, 'happy_children' as never)).rejects.toThrow(
      /There is no figure "happy_children"\. Figures: transferred, released/,
    );
  });
});

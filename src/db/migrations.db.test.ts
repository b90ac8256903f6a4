import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../bootstrap';
import { fieldOfficeFor } from '../monitoring/field-offices.repository';
import type { Database } from '.';
import { createTestDatabase, testEngine } from './testing';

const US_STATES_AND_DC =
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(
    ' ',
  );

describe(`migrations on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('create every table of the data model', async () => {
    const rows = await db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by 1",
    );
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'addresses',
        'alerts',
        'api_tokens',
        'audit_log',
        'child_state',
        'children',
        'events',
        'field_office_areas',
        'field_offices',
        'identity_links',
        'identity_moves',
        'ingest_batches',
        'linkage_models',
        'person_identities',
        'rejections',
        'review_pairs',
        'sessions',
        'source_records',
        'sponsors',
        'tasks',
        'users',
      ]),
    );
  });

  it('can run again without changing anything', async () => {
    const before = await db.query('select count(*)::int as n from field_office_areas');
    await prepareDatabase(db);
    await prepareDatabase(db);
    expect(await db.query('select count(*)::int as n from field_office_areas')).toEqual(before);
  });

  it('load the 25 ERO field offices, covering every state and DC exactly once per ZIP prefix', async () => {
    const [offices] = await db.query<{ n: number }>('select count(*)::int as n from field_offices');
    expect(offices?.n).toBe(25);
    const covered = await db.query<{ state: string }>('select distinct state from field_office_areas');
    expect(covered.map((row) => row.state)).toEqual(expect.arrayContaining(US_STATES_AND_DC));
  });

  it('route a split state by ZIP prefix and a whole state by its code', async () => {
    expect(await fieldOfficeFor(db, 'TX', '78550')).toBe('HLG'); // Harlingen
    expect(await fieldOfficeFor(db, 'TX', '77002')).toBe('HOU');
    expect(await fieldOfficeFor(db, 'CA', '92101')).toBe('SND');
    expect(await fieldOfficeFor(db, 'NY', '14201')).toBe('BUF');
    expect(await fieldOfficeFor(db, 'ga', '30303')).toBe('ATL');
    expect(await fieldOfficeFor(db, 'VA')).toBe('WAS');
    expect(await fieldOfficeFor(db, 'ZZ', '00000')).toBeUndefined();
  });

  it('refuse an event of a type the model does not know', async () => {
    const [child] = await db.query<{ id: number }>('insert into children default values returning id');
    await expect(
      db.query("insert into events (child_id, type, occurred_at) values ($1, 'teleported', now())", [
        child?.id,
      ]),
    ).rejects.toThrow(/events_type_known/);
  });
});

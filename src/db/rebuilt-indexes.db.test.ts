import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '.';
import { withIndexesRebuilt } from './rebuilt-indexes';
import { createTestDatabase, testEngine } from './testing';

describe(`indexes and foreign keys built after a bulk write on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.exec(`create table bulk_parents (id int primary key);
      insert into bulk_parents select generate_series(1, 10);
      create table bulk_rows (id int primary key, code text not null, kind text, at int,
        parent int references bulk_parents (id));
      create unique index bulk_rows_code on bulk_rows (code) where kind is not null;
      create index bulk_rows_kind_at on bulk_rows (kind, at desc);
      create index bulk_rows_upper on bulk_rows (upper(code))`);
  });
  afterAll(() => db.close());

  const indexes = () =>
    db.query<{ indexname: string; indexdef: string }>(
      "select indexname, indexdef from pg_indexes where tablename = 'bulk_rows' order by indexname",
    );

  const foreignKeys = (sql: Pick<Database, 'query'> = db) =>
    sql.query<{ conname: string; definition: string; convalidated: boolean }>(
      `select conname, pg_get_constraintdef(oid) as definition, convalidated from pg_constraint
       where conrelid = 'bulk_rows'::regclass and contype = 'f'`,
    );

  it('drops every index but the primary key, and the foreign keys, for the work and builds each again as it was', async () => {
    const before = await indexes();
    const keysBefore = await foreignKeys();
    expect(before).toHaveLength(4);
    expect(keysBefore).toEqual([
      {
        conname: 'bulk_rows_parent_fkey',
        definition: 'FOREIGN KEY (parent) REFERENCES bulk_parents(id)',
        convalidated: true,
      },
    ]);
    const during = await db.transaction((tx) =>
      withIndexesRebuilt(tx, ['bulk_rows'], async () => {
        await tx.query(
          "insert into bulk_rows select g, 'c' || g, 'k' || (g % 3), g, 1 + g % 10 from generate_series(1, 1000) g",
        );
        return {
          indexes: await tx.query<{ indexname: string }>(
            "select indexname from pg_indexes where tablename = 'bulk_rows'",
          ),
          keys: await foreignKeys(tx),
        };
      }),
    );
    expect(during.indexes.map((row) => row.indexname)).toEqual(['bulk_rows_pkey']);
    expect(during.keys).toEqual([]);
    expect(await indexes()).toEqual(before);
    expect(await foreignKeys()).toEqual(keysBefore);
    // The foreign key holds again for rows written after.
    await expect(db.query("insert into bulk_rows values (5001, 'n', null, 0, 11)")).rejects.toThrow(
      /bulk_rows_parent_fkey/,
    );
    // The unique index holds again over the rows written while it was gone.
    await expect(db.query("insert into bulk_rows values (5000, 'c7', 'k', 1)")).rejects.toThrow(
      /bulk_rows_code/,
    );
  });

  it('leaves the indexes and the rows as they were when the work fails', async () => {
    const before = await indexes();
    const rows = await db.query('select count(*)::int as n from bulk_rows');
    await expect(
      db.transaction((tx) =>
        withIndexesRebuilt(tx, ['bulk_rows'], async () => {
          await tx.query("insert into bulk_rows values (9000, 'x', null, 0)");
          throw new Error('interrupted');
        }),
      ),
    ).rejects.toThrow('interrupted');
    expect(await indexes()).toEqual(before);
    expect(await db.query('select count(*)::int as n from bulk_rows')).toEqual(rows);
  });

  it('fails the transaction when the rows written break a unique index it builds again', async () => {
    await expect(
      db.transaction((tx) =>
        withIndexesRebuilt(tx, ['bulk_rows'], () =>
          tx.query("insert into bulk_rows values (9001, 'dup', 'k', 0), (9002, 'dup', 'k', 0)"),
        ),
      ),
    ).rejects.toThrow(/bulk_rows_code|duplicate/);
    expect(await indexes()).toHaveLength(4);
  });

  it('fails the transaction when a row written points to no parent, and keeps the foreign key', async () => {
    await expect(
      db.transaction((tx) =>
        withIndexesRebuilt(tx, ['bulk_rows'], () =>
          tx.query("insert into bulk_rows values (9003, 'orphan', null, 0, 99)"),
        ),
      ),
    ).rejects.toThrow(/bulk_rows_parent_fkey/);
    expect(await foreignKeys()).toHaveLength(1);
    expect(await db.query('select id from bulk_rows where id = 9003')).toEqual([]);
  });
});

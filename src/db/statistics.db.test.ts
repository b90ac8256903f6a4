import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '.';
import { analyzeAfterBulkChange, vacuumStore } from './statistics';
import { createTestDatabase, testEngine } from './testing';

describe(`planner statistics after bulk changes on ${testEngine}`, () => {
  let db: Database;
  const estimate = async () => {
    const [row] = await db.query<{ n: number }>(
      "select reltuples::float8 as n from pg_class where relname = 'child_state'",
    );
    return Number(row!.n);
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.exec(`insert into children (id) overriding system value select generate_series(1, 6000);
                   insert into child_state (child_id, status) select id, 'released' from children`);
  });
  afterAll(() => db.close());

  it('renews them after a change of 5,000 rows or more that is a tenth of the caseload', async () => {
    expect(await analyzeAfterBulkChange(db, 4_999)).toBe(false);
    expect(await estimate()).not.toBe(6000);
    expect(await analyzeAfterBulkChange(db, 6_000)).toBe(true);
    expect(await estimate()).toBe(6000);
    // Every table of the store, not only the one counted: a table never analyzed has no estimate (-1).
    const [unanalyzed] = await db.query<{ tables: string[] | null }>(
      `select array_agg(relname) as tables from pg_class
       where relnamespace = current_schema()::regnamespace and relkind = 'r' and reltuples < 0`,
    );
    expect(unanalyzed!.tables).toBeNull();
  });

  it('leaves a change that is a small share of a large caseload to autovacuum', async () => {
    await db.exec(`insert into children (id) overriding system value select generate_series(6001, 60000);
                   insert into child_state (child_id, status) select id, 'released' from children where id > 6000;
                   analyze child_state`);
    expect(await estimate()).toBe(60000);
    expect(await analyzeAfterBulkChange(db, 5_500)).toBe(false); // under a tenth of 60,000
    expect(await analyzeAfterBulkChange(db, 6_000)).toBe(true);
  });

  it('renews only the tables the change wrote when it names them, and refuses a table that does not exist', async () => {
    await db.exec(`create table written (x int); create table untouched (x int);
                   insert into written select generate_series(1, 1000); insert into untouched select generate_series(1, 1000)`);
    const estimates = () =>
      db.query<{ relname: string; n: number }>(
        "select relname, reltuples::float8 as n from pg_class where relname in ('written', 'untouched') order by relname",
      );
    expect(await analyzeAfterBulkChange(db, 60_000, ['written'])).toBe(true);
    expect(await estimates()).toEqual([
      { relname: 'untouched', n: -1 },
      { relname: 'written', n: 1000 },
    ]);
    await expect(analyzeAfterBulkChange(db, 60_000, ['writen'])).rejects.toThrow(/writen/);
  });

  it('vacuums and analyzes every table of the store, and vacuums the system catalogs', async () => {
    await db.exec('delete from child_state where child_id > 30000');
    // The delete's dead rows counted before the vacuum runs: a backend sends its counts at most once a second, and
    // sent after the vacuum had counted none, they read as dead rows it left.
    await db.query('select pg_stat_force_next_flush()');
    await vacuumStore(db);
    const [counts] = await db.query<{
      unvacuumed: string[] | null;
      unanalyzed: string[] | null;
      dead: number;
      catalog: boolean;
    }>(
      `select array_agg(relname) filter (where vacuum_count = 0) as unvacuumed,
              array_agg(relname) filter (where analyze_count = 0) as unanalyzed,
              sum(n_dead_tup)::int as dead,
              (select vacuum_count > 0 from pg_stat_sys_tables where relid = 'pg_class'::regclass) as catalog
       from pg_stat_user_tables where schemaname = current_schema()`,
    );
    expect(counts).toEqual({ unvacuumed: null, unanalyzed: null, dead: 0, catalog: true });
  });

  it("samples the search terms finely enough that a rare word is estimated rare (the store's setting)", async () => {
    const [terms] = await db.query<{ target: number }>(
      `select attstattarget::int as target from pg_attribute
       where attrelid = 'child_search'::regclass and attname = 'terms'`,
    );
    expect(terms!.target).toBe(1000);
  });
});

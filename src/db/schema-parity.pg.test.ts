import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../bootstrap';
import type { Database } from '.';
import { openDatabase } from './database';
import { createTestDatabase } from './testing';

// Runs in the PostgreSQL pass only: the same migrations must produce the same schema on both engines.
const SCHEMA_QUERIES = {
  columns: `select table_name, column_name, data_type, is_nullable, column_default
            from information_schema.columns where table_schema = 'public' order by 1, 2`,
  constraints: `select tc.table_name, tc.constraint_name, tc.constraint_type
                from information_schema.table_constraints tc where tc.table_schema = 'public'
                  and tc.constraint_type <> 'CHECK' or (tc.table_schema = 'public' and tc.constraint_name not like '%_not_null')
                order by 1, 2`,
  // PostgreSQL 15 and PGlite (PostgreSQL 18) print the same check with different outer parentheses.
  checks: `select constraint_name, translate(check_clause, '() ', '') as check_clause from information_schema.check_constraints
           where constraint_schema = 'public' and constraint_name not like '%_not_null' order by 1`,
  indexes: `select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`,
};

describe('schema on PGlite and PostgreSQL', () => {
  let postgres: Database;
  let pglite: Database;
  beforeAll(async () => {
    postgres = await createTestDatabase();
    expect(postgres.engine).toBe('postgres');
    pglite = await openDatabase({ engine: 'pglite' });
    await prepareDatabase(pglite);
  });
  afterAll(async () => {
    await pglite.close();
    await postgres.close();
  });

  it.each(Object.entries(SCHEMA_QUERIES))('is identical in information_schema: %s', async (_name, query) => {
    const [onPostgres, onPglite] = await Promise.all([postgres.query(query), pglite.query(query)]);
    expect(onPostgres.length).toBeGreaterThan(0);
    expect(onPglite).toEqual(onPostgres);
  });
});

import type { Sql } from './database';

/**
 * Runs `work` with the tables' secondary indexes dropped, then builds them again, all in the caller's transaction
 * (a failure restores them with everything else). For a write that brings most of a table's rows: one sort per
 * index instead of an index entry inserted per row. The definitions are read from the catalog, so each index comes
 * back exactly as the schema made it; primary keys and constraints' indexes stay (foreign keys rely on them).
 * The tables are locked against readers until the transaction ends.
 */
export async function withIndexesRebuilt<T>(sql: Sql, tables: string[], work: () => Promise<T>): Promise<T> {
  const indexes = await sql.query<{ name: string; definition: string }>(
    `select quote_ident(i.relname) as name, pg_get_indexdef(i.oid) as definition
     from pg_index x join pg_class i on i.oid = x.indexrelid
     where x.indrelid = any($1::regclass[])
       and not exists (select 1 from pg_constraint c where c.conindid = i.oid)
     order by i.relname`,
    [tables],
  );
  for (const index of indexes) await sql.exec(`drop index ${index.name}`);
  const result = await work();
  for (const index of indexes) await sql.exec(index.definition);
  return result;
}

import type { Sql } from './database';

/**
 * Runs `work` with the tables' secondary indexes and foreign keys dropped, then builds them again, all in the
 * caller's transaction (a failure restores them with everything else). For a write that brings most of a table's
 * rows: one sort per index instead of an index entry inserted per row, and one join per foreign key to check every
 * row instead of a lookup and a row lock per row. The definitions are read from the catalog, so each comes back
 * exactly as the schema made it; primary keys and constraints' indexes stay (foreign keys rely on them). The tables
 * are locked against readers, and the tables their keys point to against writers, until the transaction ends.
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
  const keys = await sql.query<{ tableName: string; name: string; definition: string }>(
    `select conrelid::regclass::text as "tableName", quote_ident(conname) as name,
            pg_get_constraintdef(oid) as definition
     from pg_constraint where contype = 'f' and conrelid = any($1::regclass[])
     order by conrelid::regclass::text, conname`,
    [tables],
  );
  for (const key of keys) await sql.exec(`alter table ${key.tableName} drop constraint ${key.name}`);
  for (const index of indexes) await sql.exec(`drop index ${index.name}`);
  const result = await work();
  for (const index of indexes) await sql.exec(index.definition);
  for (const key of keys)
    await sql.exec(`alter table ${key.tableName} add constraint ${key.name} ${key.definition}`);
  return result;
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { AppError } from '../shared/errors';
import { acquireDataDirLock } from './lock';
import * as schema from './schema';

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Engine = 'pglite' | 'postgres';

/** What set-based code needs: parameterized queries and multi-statement scripts, inside or outside a transaction. */
export interface Sql {
  /**
   * `prepare` names a hot statement: PostgreSQL plans it once per connection instead of at every call (the
   * embedded database plans each call either way). Give each statement text its own name.
   */
  query<Row = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    options?: { prepare?: string },
  ): Promise<Row[]>;
  exec(script: string): Promise<void>;
}

/** One handle on either engine; the rest of the system never asks which one it is talking to. */
export interface Database extends Sql {
  readonly engine: Engine;
  readonly orm: Orm;
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /**
   * Hears every notification on `channel` (`pg_notify`, from any connection or process) until the returned
   * function is called. On PostgreSQL a connection of its own listens; if it fails, `onLost` is called once and
   * nothing more is heard: the caller decides how to do without.
   */
  listen(channel: string, onNotify: () => void, onLost: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: the whole database as a tarball, to open copies of it quickly (tests, benchmarks). */
  snapshot?(): Promise<Blob>;
}

export type DatabaseTarget =
  | { engine: 'pglite'; dataDir?: string; purpose?: string; snapshot?: Blob } // no dataDir: in memory
  | { engine: 'postgres'; url: string; maxConnections?: number };

const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.engine === 'pglite' ? openPglite(target) : openPostgres(target);
}

async function openPglite({
  dataDir,
  purpose = 'whereabouts',
  snapshot,
}: {
  dataDir?: string;
  purpose?: string;
  snapshot?: Blob;
}): Promise<Database> {
  let release = () => {};
  let dbDir: string | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
    release = acquireDataDirLock(dataDir, purpose);
    dbDir = path.join(dataDir, 'db');
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(dbDir ? { dataDir: dbDir } : {}),
      ...(snapshot ? { loadDataDir: snapshot } : {}),
    });
    if (dbDir) fs.chmodSync(dbDir, 0o700);
  } catch (error) {
    release();
    throw error;
  }
  const orm = drizzlePglite({ client, schema });
  const sqlOf = (runner: Pick<PGlite, 'query' | 'exec'>): Sql => ({
    async query<Row>(text: string, params?: unknown[]) {
      return (await runner.query<Row>(text, params)).rows;
    },
    async exec(script: string) {
      await runner.exec(script);
    },
  });
  let closed = false;
  return {
    engine: 'pglite',
    snapshot: () => client.dumpDataDir('none'),
    orm: orm as unknown as Orm,
    ...sqlOf(client),
    transaction: (work) => client.transaction((tx) => work(sqlOf(tx))),
    migrate: () => migratePglite(orm, { migrationsFolder: MIGRATIONS_FOLDER }),
    // One process, one connection: a notification is heard before the statement that sent it returns.
    listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

// Counts and ids fit in a double; returning them as numbers on both engines keeps callers engine-blind.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function openPostgres(target: { url: string; maxConnections?: number }): Promise<Database> {
  // JIT off (docs/decisions/0015): compiling a statement took 0.3–0.7 s where running it takes milliseconds, as in an
  // incremental sweep at 600,000 children (1.2–1.7 s with JIT, 0.5–0.6 s without). `options` in the URL overrides it.
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.maxConnections ?? 10,
    options: '-c jit=off',
    types,
  });
  pool.on('error', () => {}); // an idle client's lost connection is reported by the next query instead
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw new AppError('database_unavailable', `Cannot reach PostgreSQL: ${(error as Error).message}`);
  }
  const orm = drizzlePg({ client: pool, schema });
  const sqlOf = (runner: pg.Pool | pg.PoolClient): Sql => ({
    async query<Row>(text: string, params?: unknown[], options?: { prepare?: string }) {
      const result = options?.prepare
        ? await runner.query({ name: options.prepare, text, values: params ?? [] })
        : await runner.query(text, params);
      return result.rows as Row[];
    },
    async exec(script: string) {
      await runner.query(script);
    },
  });
  let closed = false;
  return {
    engine: 'postgres',
    orm: orm as unknown as Orm,
    ...sqlOf(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(sqlOf(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    migrate: () => migratePg(orm, { migrationsFolder: MIGRATIONS_FOLDER }),
    async listen(channel, onNotify, onLost) {
      const client = new pg.Client({ connectionString: target.url });
      let stopped = false;
      const lost = () => {
        if (stopped) return;
        stopped = true;
        onLost();
      };
      client.on('notification', (message) => {
        if (!stopped && message.channel === channel) onNotify();
      });
      client.on('error', lost);
      client.on('end', lost);
      try {
        await client.connect();
        await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        stopped = true; // not listening: the caller hears it as this failure, not as a loss as well
        await client.end().catch(() => {});
        throw error;
      }
      return async () => {
        stopped = true;
        await client.end();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

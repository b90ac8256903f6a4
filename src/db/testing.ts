import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from './database';

/**
 * A fresh, migrated database of the engine under test, for one test file: in-memory PGlite by default,
 * a new PostgreSQL database when the suite runs with DATABASE_URL. Closing it drops it.
 */
export async function createTestDatabase(): Promise<Database> {
  const template = inject('postgresTemplate');
  const url = process.env.DATABASE_URL;
  if (!url || !template) {
    const snapshot = new Blob([fs.readFileSync(inject('pgliteSnapshot'))]);
    return openDatabase({ engine: 'pglite', snapshot });
  }
  const name = `whereabouts_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(url, (admin) => admin.query(`create database ${name} template ${template}`));
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = await openDatabase({ engine: 'postgres', url: dbUrl.toString(), maxConnections: 4 });
  return {
    ...db,
    async close() {
      await db.close();
      await withAdmin(url, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Which engine this run of the suite exercises, for test names. */
export const testEngine = process.env.DATABASE_URL ? 'postgres' : 'pglite';

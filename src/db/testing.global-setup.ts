import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { prepareDatabase } from '../bootstrap';
import { openDatabase } from './database';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string;
  }
}

/**
 * Migrates once per test run; each test file then opens its own copy: PGlite from a snapshot, PostgreSQL
 * (when DATABASE_URL is set) as a database created from a migrated template.
 */
export default async function setup(project: TestProject) {
  const pglite = await openDatabase({ engine: 'pglite' });
  await prepareDatabase(pglite);
  const snapshotPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-test-')), 'migrated.tar');
  fs.writeFileSync(snapshotPath, Buffer.from(await (await pglite.snapshot!()).arrayBuffer()));
  await pglite.close();
  project.provide('pgliteSnapshot', snapshotPath);

  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('postgresTemplate', '');
    return () => fs.rmSync(path.dirname(snapshotPath), { recursive: true, force: true });
  }
  const template = `whereabouts_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${template}`;
  const db = await openDatabase({ engine: 'postgres', url: templateUrl.toString(), maxConnections: 1 });
  await prepareDatabase(db);
  await db.close();
  project.provide('postgresTemplate', template);
  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like 'whereabouts_test_%' or datname = $1`,
      [template],
    );
    for (const { datname } of leftovers.rows)
      await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
    fs.rmSync(path.dirname(snapshotPath), { recursive: true, force: true });
  };
}

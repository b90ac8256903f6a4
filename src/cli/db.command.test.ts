import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../bootstrap';
import { openDatabase } from '../db';

const BIN = path.resolve('bin/whereabouts.mjs');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-db-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('whereabouts db vacuum', () => {
  it('vacuums and analyzes the embedded database, which has no autovacuum', async () => {
    const before = await openDatabase({ engine: 'pglite', dataDir });
    await prepareDatabase(before);
    await before.exec(`insert into children (id) overriding system value select generate_series(1, 1234);
                       delete from children where id > 1000`);
    await before.close();

    const run = spawnSync(process.execPath, [BIN, 'db', 'vacuum'], {
      env: { ...process.env, WHEREABOUTS_DATA_DIR: dataDir, DATABASE_URL: '' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Vacuumed and analyzed in \d+\.\d s\.$/m);

    const after = await openDatabase({ engine: 'pglite', dataDir });
    const [children] = await after.query<{ n: number }>(
      "select reltuples::float8 as n from pg_class where relname = 'children'",
    );
    await after.close();
    expect(Number(children!.n)).toBe(1000); // the live rows, counted by the analyze
  });
});

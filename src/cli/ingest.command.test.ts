import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import { generateCaseload } from '../synth';

const BIN = path.resolve('bin/whereabouts.mjs');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-ingest-cli-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('whereabouts ingest --bulk', () => {
  it('loads a history joined by identifiers, then links the whole store and sweeps it', async () => {
    const caseload = path.join(workDir, 'caseload');
    generateCaseload({ children: 400, seed: 41, out: caseload });
    const dataDir = path.join(workDir, 'store');
    const result = spawnSync(
      process.execPath,
      [BIN, 'ingest', path.join(caseload, 'feeds'), '--bulk', '--monitor', '--json'],
      {
        env: { ...process.env, WHEREABOUTS_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rejected: 0 });
    const db = await openDatabase({ engine: 'pglite', dataDir });
    try {
      const methods = await db.query<{ method: string }>('select distinct method from identity_links');
      expect(methods.map((m) => m.method)).toContain('identifier');
      expect(methods.map((m) => m.method)).toContain('linked'); // the whole-store run merged what identifiers could not
      const [{ children, swept }] = (await db.query<{ children: number; swept: number }>(
        `select (select count(*)::int from children) as children,
                (select count(*)::int from alerts) as swept`,
      )) as [{ children: number; swept: number }];
      expect(Math.abs(children - 400)).toBeLessThanOrEqual(8);
      expect(swept).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 180_000);
});

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import { generateCaseload } from '../synth';

const BIN = path.resolve('bin/whereabouts.mjs');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-crash-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const envFor = (dataDir: string) => ({
  ...process.env,
  WHEREABOUTS_DATA_DIR: dataDir,
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
});

/** Everything ingest stores, without the generated ids, in a fixed order. */
async function storeContents(dataDir: string) {
  const db = await openDatabase({ engine: 'pglite', dataDir });
  try {
    return {
      records: await db.query(
        `select source, kind, source_key, version, content_hash, line, payload from source_records order by 1, 2, 3, 4`,
      ),
      batches: await db.query(
        `select kind, file_name, status, rows_read, accepted, rejected, duplicates from ingest_batches order by kind, file_name`,
      ),
      events: await db.query(
        `select s.source, s.source_key, e.type, e.occurred_at, e.data from events e join source_records s on s.id = e.source_record_id order by 1, 2, 3, 4, e.data::text`,
      ),
      children: await db.query(
        `select a_number, orr_id, given_names, surnames, dob from children order by a_number nulls last, orr_id`,
      ),
      states: await db.query(
        `select c.a_number, c.orr_id, s.status, s.released_at, s.nta_filed_at, s.failed_to_appear_count, s.field_office_code
         from child_state s join children c on c.id = s.child_id order by 1 nulls last, 2`,
      ),
    };
  } finally {
    await db.close();
  }
}

describe('ingest killed with SIGKILL part-way', () => {
  it('finishes on the next run with a store identical to an uninterrupted run', async () => {
    const feeds = path.join(workDir, 'caseload');
    generateCaseload({ children: 6000, seed: 99, out: feeds });

    const reference = path.join(workDir, 'reference');
    const clean = spawnSync(process.execPath, [BIN, 'ingest', path.join(feeds, 'feeds'), '--json'], {
      env: envFor(reference),
      encoding: 'utf8',
    });
    expect(clean.status, clean.stderr).toBe(0);

    const crashed = path.join(workDir, 'crashed');
    const child = spawn(process.execPath, [BIN, 'ingest', path.join(feeds, 'feeds')], {
      env: envFor(crashed),
    });
    const killed = await new Promise<{ signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
      let stdout = '';
      child.stdout.on('data', (data) => {
        stdout += data;
      });
      child.stderr.on('data', (data: Buffer) => {
        // After the second file is under way, pull the plug mid-batch.
        if ((data.toString().match(/"batch stored"/g) ?? []).length > 0 && !child.killed)
          setTimeout(() => child.kill('SIGKILL'), 700);
      });
      child.on('exit', (_code, signal) => resolve({ signal, stdout }));
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe(''); // it never got to its final summary

    const resumed = spawnSync(process.execPath, [BIN, 'ingest', path.join(feeds, 'feeds'), '--json'], {
      env: envFor(crashed),
      encoding: 'utf8',
    });
    expect(resumed.status, resumed.stderr).toBe(0);
    const [after, expected] = [await storeContents(crashed), await storeContents(reference)];
    expect(after.batches).toEqual(expected.batches);
    expect(after.records.length).toBe(expected.records.length);
    expect(after.records).toEqual(expected.records);
    expect(after.events).toEqual(expected.events);
    expect(after.children).toEqual(expected.children);
    expect(after.states).toEqual(expected.states);
  }, 600_000); // three full ingests: minutes on a loaded 2-core machine
});

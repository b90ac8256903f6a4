import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordMatches } from '../auth/passwords';
import { openDatabase } from '../db';

const BIN = path.resolve('bin/whereabouts.mjs');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-users-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, WHEREABOUTS_DATA_DIR: dataDir, DATABASE_URL: '' },
    encoding: 'utf8',
  });

describe('whereabouts user', () => {
  it('creates, refuses a duplicate, resets a password and disables — each change audited', async () => {
    const created = run(
      'user',
      'create',
      '--username',
      'jdoe',
      '--name',
      'Jane Doe',
      '--role',
      'ice_juvenile_coordinator',
      '--office',
      'hou',
    );
    expect(created.status, created.stderr).toBe(0);
    const first = created.stdout.trim();
    expect(first).toMatch(/^[\w-]{20}$/);
    const again = run('user', 'create', '--username', 'jdoe', '--name', 'Jane Doe', '--role', 'hq_analyst');
    expect([again.status, again.stderr.trim()]).toEqual([1, 'whereabouts: User jdoe exists already.']);
    const reset = run('user', 'reset-password', 'jdoe');
    const second = reset.stdout.trim();
    expect(second).not.toBe(first);
    expect(run('user', 'disable', 'jdoe').status).toBe(0);

    const db = await openDatabase({ engine: 'pglite', dataDir });
    const [account] = await db.query<{ password_hash: string; disabled: boolean; field_office_code: string }>(
      'select password_hash, disabled, field_office_code from users where username = $1',
      ['jdoe'],
    );
    const actions = await db.query<{ action: string }>('select action from audit_log order by seq');
    await db.close();
    expect(account).toMatchObject({ disabled: true, field_office_code: 'HOU' });
    expect(await passwordMatches(account!.password_hash, second)).toBe(true);
    expect(await passwordMatches(account!.password_hash, first)).toBe(false);
    expect(actions.map((row) => row.action)).toEqual(['user.create', 'user.reset_password', 'user.disable']);
  });

  it('requires a field office for a role that only sees its own office', () => {
    const result = run(
      'user',
      'create',
      '--username',
      'x',
      '--name',
      'X',
      '--role',
      'field_office_supervisor',
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--office is required/);
  });
});

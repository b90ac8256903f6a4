import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db';

const BIN = path.resolve('bin/whereabouts.mjs');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, deadlineMs: number): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await fetch(`${url}/healthz`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('whereabouts serve on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-serve-'));
  const env = { ...process.env, WHEREABOUTS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [BIN, 'serve'], { env: { ...env, PORT: String(port) }, stdio: 'pipe' });
  });
  afterAll(() => {
    server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz within 60 seconds of start', async () => {
    const started = Date.now();
    const response = await waitForHealth(url, 60_000);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', engine: 'pglite' });
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('keeps its data directory private to its owner', () => {
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'db')).mode & 0o777).toBe(0o700);
  });

  it('turns away a second process on the same data directory with a message saying what to do', () => {
    const second = spawnSync(process.execPath, [BIN, 'migrate'], { env, encoding: 'utf8' });
    expect(second.status).toBe(3);
    expect(second.stderr.trim()).toMatch(
      new RegExp(
        `^whereabouts: The embedded database in ${dataDir} is in use by process ${server.pid} \\(whereabouts serve\\)\\. Stop that process first, or run Whereabouts on PostgreSQL`,
      ),
    );
  });

  it('closes cleanly on SIGTERM, leaving a data directory that opens again', async () => {
    const exit = exited(server);
    server.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'db.lock'))).toBe(false);

    const reopened = await openDatabase({ engine: 'pglite', dataDir });
    const [row] = await reopened.query<{ n: number }>('select count(*)::int as n from field_offices');
    // It ran the scheduled work itself (WHEREABOUTS_JOBS defaults to on): the schedules are in the store.
    const schedules = await reopened.query<{ name: string }>(
      'select name from pgboss.schedule order by name',
    );
    await reopened.close();
    expect(row?.n).toBe(25);
    expect(schedules.map((schedule) => schedule.name)).toEqual(['monitor-sweep', 'relink']);
  });
});

describe('whereabouts worker', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-worker-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('runs the schedules without serving HTTP, and stops cleanly on SIGTERM', async () => {
    const worker = spawn(process.execPath, [BIN, 'worker'], {
      env: { ...process.env, WHEREABOUTS_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info' },
      stdio: 'pipe',
    });
    let output = '';
    worker.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    const exit = exited(worker);
    for (let waited = 0; !output.includes('worker is running') && waited < 90_000; waited += 250)
      await new Promise((resolve) => setTimeout(resolve, 250));
    expect(output).toContain('"sweep":"0 2 * * *"');
    worker.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 120_000);
});

describe('whereabouts with a bad setting', () => {
  it.each([
    ['PORT', 'eighty'],
    ['HOST', 'not a host'],
    ['DATABASE_URL', 'mysql://db/app'],
    ['WHEREABOUTS_REPORTS_DATABASE_URL', 'mysql://replica/app'],
    ['LOG_LEVEL', 'chatty'],
  ])('stops with exit code 2 and one line naming %s', (variable, value) => {
    const result = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, [variable]: value },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^whereabouts: ${variable}=".*" is not valid: expected `));
  });

  it('refuses a read replica for the embedded database', () => {
    const result = spawnSync(process.execPath, [BIN, 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        WHEREABOUTS_REPORTS_DATABASE_URL: 'postgres://reader@replica/w',
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /WHEREABOUTS_REPORTS_DATABASE_URL=.* is not valid: a read replica needs DATABASE_URL/,
    );
  });
});

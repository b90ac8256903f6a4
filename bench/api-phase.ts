// The API under load over whatever caseload a store holds (bench/api.ts seeds one; bench/national.ts loads
// one through the pipeline): the real app listening on 127.0.0.1 with signed-in sessions, autocannon in its
// own process (bench/api-load.ts) sending concurrent connections at case reads of random children (every read
// appends to the hash-chained audit log), searches and the dashboard's report calls.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { signedIn } from '../src/auth/testing';
import type { Database } from '../src/db';
import { buildApp } from '../src/http/app';
import { searchQueries } from './seed';

export type ApiRoute = 'case' | 'search' | 'dashboard';

interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
}

/** One autocannon run in a child process (so it has its own event loop), its result as JSON. */
async function load(
  workDir: string,
  run: { url: string; cookie: string; paths: string[]; connections: number; seconds: number },
): Promise<LoadResult> {
  // The run's description goes in a file: thousands of paths do not fit on a command line.
  const file = path.join(workDir, `run-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(run));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/api-load.ts', file],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

/** Each chosen route warmed, then loaded for `seconds`; one table row per route. */
export async function loadApi(
  db: Database,
  options: { seconds: number; connections: number; routes: Set<ApiRoute>; engine: string },
) {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-api-'));
  const app = await buildApp({ db, logLevel: 'silent', searchesPerMinute: 100_000_000 });
  try {
    const orr = await signedIn(app, db, `bench-orr-${process.pid}`, 'orr_case_manager');
    const analyst = await signedIn(app, db, `bench-analyst-${process.pid}`, 'hq_analyst');
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // Children as the store has them: a pipeline's ids have gaps where linking merged children.
    const ids = await db.query<{ id: number }>('select id from children order by random() limit 5000');
    const [{ n: children }] = (await db.query<{ n: number }>('select count(*)::int as n from children')) as [
      { n: number },
    ];
    const queries = Object.values(await searchQueries(db, 50, children)).flat();
    const scenarios: [ApiRoute, string, string, string[]][] = [
      [
        'case',
        'case read (random child)',
        orr.cookie,
        ids.map(({ id }) => `/api/v1/children/${id}?purpose=fta_follow_up`),
      ],
      [
        'search',
        'search (6 kinds of query)',
        orr.cookie,
        queries.map((q) => `/api/v1/children?q=${encodeURIComponent(q)}`),
      ],
      ['dashboard', 'dashboard: national figures', analyst.cookie, ['/api/v1/reports/national']],
      ['dashboard', 'dashboard: trends', analyst.cookie, ['/api/v1/reports/trends']],
      [
        'dashboard',
        'dashboard: by state',
        analyst.cookie,
        ['/api/v1/reports/by-state?figure=whereabouts_unknown'],
      ],
      ['dashboard', 'dashboard: field offices', analyst.cookie, ['/api/v1/reports/field-offices']],
    ];
    const [auditBefore] = await db.query<{ n: number }>('select count(*)::int as n from audit_log');
    const rows = [];
    for (const [route, name, cookie, paths] of scenarios) {
      if (!options.routes.has(route)) continue;
      const run = { url, cookie, connections: options.connections, seconds: options.seconds };
      await load(workDir, { ...run, paths: paths.slice(0, 20) }); // warm: caches, compiled plans
      const cpuBefore = process.cpuUsage();
      const result = await load(workDir, { ...run, paths });
      // The app's CPU per request (this process: the app alone, the load runs in another): on a shared machine it
      // moves less with other work than the rate does, so it tells whether a change made requests cheaper.
      const cpu = process.cpuUsage(cpuBefore);
      rows.push({
        engine: options.engine,
        route: name,
        'requests/s': result.perSecond.toFixed(0),
        'p50 ms': result.p50.toFixed(1),
        'p95 ms': result.p95.toFixed(1),
        'p99 ms': result.p99.toFixed(1),
        'non-2xx / errors': `${result.requests - (result.statuses['200'] ?? 0)} / ${result.errors}`,
        'app CPU µs/request': ((cpu.user + cpu.system) / Math.max(1, result.requests)).toFixed(0),
      });
    }
    const [audited] = await db.query<{ n: number }>('select count(*)::int as n from audit_log');
    return { rows, audited: audited!.n - auditBefore!.n };
  } finally {
    await app.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

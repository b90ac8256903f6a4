// The API under load over a national caseload: the real app listening on 127.0.0.1 with signed-in sessions,
// autocannon (in its own process, bench/api-load.ts) sending 50 concurrent connections at case reads (random
// children; every read appends to the hash-chained audit log), searches and the dashboard's report calls.
// Usage: npm run bench:api [-- --children 600000 --engine pglite|postgres --seconds 15 --connections 50
//   --routes case,search,dashboard --data-dir DIR]
// A store that already holds the caseload is reused instead of seeded again: PostgreSQL at DATABASE_URL, or
// PGlite in --data-dir.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { signedIn } from '../src/auth/testing';
import { prepareDatabase } from '../src/bootstrap';
import { openDatabase } from '../src/db';
import { buildApp } from '../src/http/app';
import { machine, printTable, startPostgres } from './lib';
import { addReportFacts, searchQueries, seedSearchCaseload } from './seed';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    engine: { type: 'string', default: 'pglite' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '50' },
    routes: { type: 'string', default: 'case,search,dashboard' },
    'data-dir': { type: 'string' },
  },
});
const CHILDREN = Number(values.children);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const engine = values.engine === 'postgres' ? 'postgres' : 'pglite';

interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-api-'));
let runs = 0;
/** The run's description, in a file: thousands of paths do not fit on a command line. */
function runFile(description: string): string {
  const file = path.join(workDir, `run-${++runs}.json`);
  fs.writeFileSync(file, description);
  return file;
}

/** One autocannon run in a child process (so it has its own event loop), its result as JSON. */
async function load(url: string, cookie: string, paths: string[]): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/api-load.ts',
      runFile(JSON.stringify({ url, paths, cookie, connections: CONNECTIONS, seconds: SECONDS })),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

const postgres = engine === 'postgres' ? startPostgres() : undefined;
try {
  const db = await openDatabase(
    postgres
      ? { engine, url: postgres.url, maxConnections: 10 }
      : { engine: 'pglite', ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}) },
  );
  await prepareDatabase(db);
  const [{ n: stored }] = (await db.query<{ n: number }>('select count(*)::int as n from children')) as [
    { n: number },
  ];
  if (stored === CHILDREN)
    console.log(`reusing the stored caseload of ${CHILDREN.toLocaleString('en-US')} children`);
  else {
    if (stored > 0) throw new Error(`the store holds ${stored} children, not ${CHILDREN}: give an empty one`);
    const started = Date.now();
    await seedSearchCaseload(db, CHILDREN);
    const factsSeconds = await addReportFacts(db);
    console.log(
      `seeded ${CHILDREN.toLocaleString('en-US')} children in ${((Date.now() - started) / 1000).toFixed(0)} s ` +
        `(the dashboard's facts, through the summaries' triggers, in ${factsSeconds.toFixed(0)} s)`,
    );
  }
  const app = await buildApp({ db, logLevel: 'silent', searchesPerMinute: 100_000_000 });
  const orr = await signedIn(app, db, `bench-orr-${process.pid}`, 'orr_case_manager');
  const analyst = await signedIn(app, db, `bench-analyst-${process.pid}`, 'hq_analyst');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const ids = Array.from({ length: 5000 }, () => 1 + Math.floor(Math.random() * CHILDREN));
  const queries = Object.values(await searchQueries(db, 50, CHILDREN)).flat();
  const routes = new Set(values.routes.split(','));
  const scenarios: [string, string, string[]][] = [
    ['case read (random child)', orr.cookie, ids.map((id) => `/api/v1/children/${id}?purpose=fta_follow_up`)],
    [
      'search (6 kinds of query)',
      orr.cookie,
      queries.map((q) => `/api/v1/children?q=${encodeURIComponent(q)}`),
    ],
    ['dashboard: national figures', analyst.cookie, ['/api/v1/reports/national']],
    ['dashboard: trends', analyst.cookie, ['/api/v1/reports/trends']],
    ['dashboard: by state', analyst.cookie, ['/api/v1/reports/by-state?figure=whereabouts_unknown']],
    ['dashboard: field offices', analyst.cookie, ['/api/v1/reports/field-offices']],
  ];
  const chosen = scenarios.filter(([name]) =>
    routes.has(name.startsWith('case') ? 'case' : name.startsWith('search') ? 'search' : 'dashboard'),
  );
  const auditBefore = await db.query<{ n: number }>('select count(*)::int as n from audit_log');
  const rows = [];
  for (const [name, cookie, paths] of chosen) {
    await load(url, cookie, paths.slice(0, 20)); // warm: caches, compiled plans
    const cpuBefore = process.cpuUsage();
    const result = await load(url, cookie, paths);
    // The app's CPU per request (this process: the app alone, the load runs in another): on a shared machine it
    // moves less with other work than the rate does, so it tells whether a change made requests cheaper.
    const cpu = process.cpuUsage(cpuBefore);
    rows.push({
      engine: engine === 'pglite' ? 'PGlite' : 'PostgreSQL 15',
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
  await app.close();
  await db.close();
  printTable(
    `The API under load: ${CONNECTIONS} connections for ${SECONDS} s per route over ${CHILDREN.toLocaleString('en-US')} children (${machine()})`,
    rows,
  );
  console.log(
    `audit entries appended during the runs: ${(audited!.n - auditBefore[0]!.n).toLocaleString('en-US')}`,
  );
} finally {
  postgres?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}

// How long the monitoring sweep takes over a national caseload: a full sweep of every child, and an
// incremental sweep of the children touched by one 10,000-row batch, in steady state (after the first sweep's
// vacuum); each run's time is printed beside the median.
// Usage: npm run bench:monitor [-- --children 600000 --runs 3 --engine both|pglite|postgres --data-dir DIR]
// A store that was seeded and swept before is measured again as it is, without seeding: PGlite in --data-dir
// (on disk, as a deployment runs it), PostgreSQL at DATABASE_URL; any other store there is emptied and seeded,
// so give a throwaway one. (At 600,000 children PGlite's seeding and first sweep take about 6 minutes.)
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db';
import { loadPolicy, runSweep } from '../src/monitoring';
import { machine, median, printTable, startPostgres, timed } from './lib';
import { seedUnlessSwept } from './monitor-seed';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    runs: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'both' },
    'data-dir': { type: 'string' },
  },
});
const CHILDREN = Number(values.children);
const RUNS = Number(values.runs);
const policy = loadPolicy();
const AS_OF = new Date('2024-06-01T00:00:00Z');

async function measure(engine: 'pglite' | 'postgres', url?: string) {
  const db = await openDatabase(
    engine === 'pglite'
      ? { engine, ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}) }
      : { engine, url: url!, maxConnections: 2 },
  );
  let first: number | undefined;
  let vacuum: number | undefined;
  if (!(await seedUnlessSwept(db, CHILDREN)))
    console.log(`${engine}: measuring the stored, swept caseload again`);
  else {
    first = (await timed(() => runSweep(db, policy, { asOf: AS_OF }))).seconds;
    // Steady state: the first sweep wrote a million alerts and tasks; their vacuum and statistics, which
    // autovacuum would otherwise be busy with during the timed runs, come first, as after any bulk load.
    vacuum = (await timed(() => db.exec('vacuum analyze'))).seconds;
  }
  const full: number[] = [];
  const incremental: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const asOf = new Date(AS_OF.getTime() + (run + 1) * 3_600_000);
    full.push((await timed(() => runSweep(db, policy, { asOf }))).seconds);
    const start = 1 + run * 10_000;
    const childIds = Array.from({ length: 10_000 }, (_, i) => start + i);
    incremental.push((await timed(() => runSweep(db, policy, { asOf, childIds }))).seconds);
  }
  const [alerts] = await db.query<{ n: number }>(
    'select count(*)::int as n from alerts where closed_at is null',
  );
  const [tasks] = await db.query<{ n: number }>('select count(*)::int as n from tasks');
  await db.close();
  return {
    first,
    vacuum,
    full,
    incremental,
    alerts: alerts!.n,
    tasks: tasks!.n,
  };
}

const rows = [];
if (values.engine !== 'postgres') rows.push({ engine: 'PGlite', ...(await measure('pglite')) });
if (values.engine !== 'pglite') {
  const postgres = startPostgres();
  try {
    rows.push({ engine: 'PostgreSQL 15', ...(await measure('postgres', postgres.url)) });
  } finally {
    postgres.stop();
  }
}
printTable(
  `Monitoring sweep over ${CHILDREN.toLocaleString('en-US')} children, median of ${RUNS} runs (${machine()})`,
  rows.map((row) => ({
    engine: row.engine,
    'first sweep s (opens everything)': row.first?.toFixed(2) ?? 'earlier run',
    'vacuum analyze s': row.vacuum?.toFixed(1) ?? 'earlier run',
    'full sweep s (runs)': `${median(row.full).toFixed(2)} (${row.full.map((s) => s.toFixed(2)).join(' · ')})`,
    'incremental 10k children s (runs)': `${median(row.incremental).toFixed(3)} (${row.incremental.map((s) => s.toFixed(2)).join(' · ')})`,
    'open alerts': row.alerts,
    tasks: row.tasks,
  })),
);

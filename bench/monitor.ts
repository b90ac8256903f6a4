// How long the monitoring sweep takes over a national caseload: a full sweep of every child, and an
// incremental sweep of the children touched by one 10,000-row batch.
// Usage: npm run bench:monitor [-- --children 600000 --runs 3 --engine both|pglite|postgres]
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { type Database, openDatabase } from '../src/db';
import { loadPolicy, runSweep } from '../src/monitoring';
import { machine, median, printTable, startPostgres, timed } from './lib';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    runs: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'both' },
  },
});
const CHILDREN = Number(values.children);
const RUNS = Number(values.runs);
const policy = loadPolicy();
const AS_OF = new Date('2024-06-01T00:00:00Z');

/**
 * A caseload shaped like the real one in the columns the rules read: most released, two thirds without an
 * NTA, some missed hearings, runaways, unknown whereabouts, sponsors shared by siblings and a few by many.
 * (The synthetic generator feeds the full pipeline; here only the sweep is measured.)
 */
async function seed(db: Database): Promise<void> {
  await db.exec(`
    select setseed(0.42);
    insert into children (dob)
      select date '2006-06-01' + (random() * 4000)::int from generate_series(1, ${CHILDREN});
    insert into sponsors (name) select 'sponsor ' || g from generate_series(1, ${Math.ceil(CHILDREN / 1.3)}) g;
    insert into child_state (child_id, status, released_at, nta_issued_at, nta_filed_at, next_hearing_at,
                             last_failed_to_appear_at, failed_to_appear_count, has_attorney, last_safety_call_at,
                             last_safety_call_outcome, last_verified_contact_at, whereabouts, runaway, sponsor_id,
                             field_office_code, address_verdict)
      select c.id, 'released', r.released,
             case when random() < 0.35 then r.released + interval '20 days' end,
             case when random() < 0.25 then r.released + interval '60 days' end,
             case when random() < 0.05 then timestamptz '2024-06-01' + (random() * 60) * interval '1 day' end,
             case when random() < 0.07 then timestamptz '2024-03-01' end, 0,
             random() < 0.5,
             r.released + interval '30 days',
             (array['reached', 'reached', 'reached', 'not_reached', 'concerns'])[1 + (random() * 4)::int],
             case when random() < 0.7 then timestamptz '2024-06-01' - (random() * 400) * interval '1 day' end,
             (array['verified', 'unverified', 'unknown'])[1 + (random() * 2)::int],
             random() < 0.01,
             case when random() < 0.002 then 1 else 1 + (random() * ${Math.ceil(CHILDREN / 1.3) - 1})::int end,
             (array['ATL','BAL','BOS','BUF','CHI','DAL','DEN','DET','ELP','HLG','HOU','LOS','MIA','NOL','NYC','NEW',
                    'PHI','PHO','SLC','SNA','SND','SFR','SEA','SPM','WAS'])[1 + (random() * 24)::int],
             (array['deliverable_likely', 'deliverable_likely', 'missing_unit', 'zip_mismatch'])[1 + (random() * 3)::int]
      from children c
      cross join lateral (select timestamptz '2019-01-01' + (random() * 1800) * interval '1 day' + c.id * interval '0' as released) r;
    analyze;`);
}

async function measure(engine: 'pglite' | 'postgres', url?: string) {
  const db = await openDatabase(engine === 'pglite' ? { engine } : { engine, url: url!, maxConnections: 2 });
  await prepareDatabase(db);
  await db.exec(
    'truncate tasks, alerts, open_alert_counts, child_state, sponsors, children restart identity cascade',
  );
  await seed(db);
  const first = await timed(() => runSweep(db, policy, { asOf: AS_OF }));
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
    first: first.seconds,
    full: median(full),
    incremental: median(incremental),
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
    'first sweep s (opens everything)': row.first.toFixed(2),
    'full sweep s': row.full.toFixed(2),
    'incremental 10k children s': row.incremental.toFixed(3),
    'open alerts': row.alerts,
    tasks: row.tasks,
  })),
);

// How fast the web app's report routes answer over a national caseload: the dashboard's four queries, a page
// of a figure's list (first and deep), and a child's case file.
// Usage: npm run bench:dashboard [-- --children 600000 --runs 5 --engine both|pglite|postgres]
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { readCaseFile } from '../src/cases/case-file.repository';
import { type Database, openDatabase } from '../src/db';
import { loadFieldOffices } from '../src/monitoring';
import {
  figureByState,
  figureByStateFromRows,
  listChildrenBehind,
  monthlyTrends,
  monthlyTrendsFromRows,
  nationalReport,
  nationalReportFromRows,
  officeWorkload,
  officeWorkloadFromRows,
} from '../src/reports';
import { machine, medianMilliseconds, onEngines, printTable, timed } from './lib';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    runs: { type: 'string', default: '5' },
    engine: { type: 'string', default: 'both' },
  },
});
const CHILDREN = Number(values.children);
const RUNS = Number(values.runs);
const AS_OF = new Date('2024-06-01T00:00:00Z');
const STATES = [
  'TX',
  'CA',
  'FL',
  'NY',
  'NJ',
  'GA',
  'MD',
  'VA',
  'NC',
  'IL',
  'LA',
  'TN',
  'AZ',
  'WA',
  'MA',
  'OH',
];

/** Children with state, an address in one of 16 states (5,000 addresses), three events each, one task each. */
async function seed(db: Database): Promise<void> {
  await db.exec(`
    select setseed(0.42);
    insert into addresses (raw_text, state, verdict)
      select 'address ' || g, (array['${STATES.join("','")}'])[1 + g % ${STATES.length}], 'deliverable_likely'
      from generate_series(1, 5000) g;
    insert into children (given_names, surnames, a_number)
      select 'Child', 'Number ' || g, lpad(g::text, 9, '2') from generate_series(1, ${CHILDREN}) g;
    insert into child_state (child_id, status, transferred_at, released_at, nta_issued_at, failed_to_appear_count,
                             last_failed_to_appear_at, whereabouts, field_office_code, address_id, release_address_id,
                             release_address_verdict)
      select c.id, 'released', r.released - interval '30 days', r.released,
             case when random() < 0.35 then r.released + interval '20 days' end,
             case when random() < 0.07 then 1 else 0 end, timestamptz '2024-03-01',
             (array['verified', 'unverified', 'unknown'])[1 + (random() * 2)::int],
             (array['ATL','BAL','BOS','BUF','CHI','DAL','DEN','DET','ELP','HLG','HOU','LOS','MIA','NOL','NYC','NEW',
                    'PHI','PHO','SLC','SNA','SND','SFR','SEA','SPM','WAS'])[1 + (random() * 24)::int],
             case when random() < 0.95 then 1 + (random() * 4999)::int end, 1 + (random() * 4999)::int,
             (array['deliverable_likely', 'deliverable_likely', 'missing_unit', 'zip_mismatch'])[1 + (random() * 3)::int]
      from children c
      cross join lateral (select timestamptz '2019-01-01' + (random() * 1900) * interval '1 day' + c.id * interval '0' as released) r;
    insert into events (child_id, type, occurred_at)
      select child_id, 'released_to_sponsor', released_at from child_state
      union all select child_id, 'nta_issued', nta_issued_at from child_state where nta_issued_at is not null
      union all select child_id, 'failed_to_appear', last_failed_to_appear_at from child_state where failed_to_appear_count > 0;
    insert into tasks (child_id, office_code, kind, due_at, state)
      select child_id, field_office_code, 'welfare_check', released_at + interval '2000 days',
             (array['open', 'done', 'done'])[1 + (random() * 2)::int]
      from child_state;
    analyze;`);
}

async function measure(engine: 'pglite' | 'postgres', url?: string) {
  const db = await openDatabase(engine === 'pglite' ? { engine } : { engine, url: url!, maxConnections: 2 });
  await prepareDatabase(db);
  await loadFieldOffices(db);
  const seeded = await timed(() => seed(db));
  const deep = Math.floor(CHILDREN * 0.9);
  const work: Record<string, () => Promise<unknown>> = {
    'national figures': () => nationalReport(db, AS_OF),
    'trends, 24 months': () => monthlyTrends(db, AS_OF, 24),
    'by state': () => figureByState(db, 'whereabouts_unknown', AS_OF),
    'offices compared': () => officeWorkload(db, AS_OF),
    // The same four counted from the rows, as before the summaries (src/reports/summaries.ts).
    'national from rows': () => nationalReportFromRows(db, AS_OF),
    'trends from rows': () => monthlyTrendsFromRows(db, AS_OF, 24),
    'by state from rows': () => figureByStateFromRows(db, 'whereabouts_unknown', AS_OF),
    'offices from rows': () => officeWorkloadFromRows(db, AS_OF),
    'list, first 100': () => listChildrenBehind(db, 'whereabouts_unknown', { asOf: AS_OF, office: 'HOU' }),
    'list, 100 at 90%': () =>
      listChildrenBehind(db, 'whereabouts_unknown', { asOf: AS_OF, office: 'HOU', after: deep }),
    'case file': () => readCaseFile(db, deep),
  };
  const row = { engine, 'seed s': seeded.seconds.toFixed(1), ...(await medianMilliseconds(work, RUNS)) };
  await db.close();
  return row;
}

const rows = await onEngines(values.engine, measure);
printTable(
  `Report routes' queries over ${CHILDREN.toLocaleString('en-US')} children, median of ${RUNS} runs (${machine()})`,
  rows,
);

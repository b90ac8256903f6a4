// The caseload the monitoring benchmarks sweep (bench/monitor.ts, bench/monitor-profile.ts).
import { prepareDatabase } from '../src/bootstrap';
import type { Database } from '../src/db';

/**
 * Readies the store for a monitoring benchmark: one that already holds this caseload, swept, is kept as it is
 * (false); any other is emptied and seeded (true: the caller runs the first sweep).
 */
export async function seedUnlessSwept(db: Database, children: number): Promise<boolean> {
  await prepareDatabase(db);
  const [stored] = await db.query<{ children: number; alerts: boolean }>(
    'select (select count(*)::int from children) as children, exists (select from alerts) as alerts',
  );
  if (stored!.children === children && stored!.alerts) return false;
  await db.exec(
    'truncate tasks, alerts, open_alert_counts, child_state, sponsors, children restart identity cascade',
  );
  await seed(db, children);
  return true;
}

/**
 * A caseload shaped like the real one in the columns the rules read: most released, two thirds without an
 * NTA, some missed hearings, runaways, unknown whereabouts, sponsors shared by siblings and a few by many.
 * (The synthetic generator feeds the full pipeline; here only the sweep is measured.)
 */
export async function seed(db: Database, children: number): Promise<void> {
  await db.exec(`
    select setseed(0.42);
    insert into children (dob)
      select date '2006-06-01' + (random() * 4000)::int from generate_series(1, ${children});
    insert into sponsors (name) select 'sponsor ' || g from generate_series(1, ${Math.ceil(children / 1.3)}) g;
    insert into child_state (child_id, status, released_at, nta_issued_at, nta_filed_at, next_hearing_at,
                             last_failed_to_appear_at, failed_to_appear_count, has_attorney, last_safety_call_at,
                             last_safety_call_outcome, last_verified_contact_at, whereabouts, runaway, sponsor_id,
                             field_office_code, address_verdict, dob)
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
             case when random() < 0.002 then 1 else 1 + (random() * ${Math.ceil(children / 1.3) - 1})::int end,
             (array['ATL','BAL','BOS','BUF','CHI','DAL','DEN','DET','ELP','HLG','HOU','LOS','MIA','NOL','NYC','NEW',
                    'PHI','PHO','SLC','SNA','SND','SFR','SEA','SPM','WAS'])[1 + (random() * 24)::int],
             (array['deliverable_likely', 'deliverable_likely', 'missing_unit', 'zip_mismatch'])[1 + (random() * 3)::int],
             c.dob
      from children c
      cross join lateral (select timestamptz '2019-01-01' + (random() * 1800) * interval '1 day' + c.id * interval '0' as released) r;
    analyze;`);
}

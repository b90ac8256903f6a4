// Caseloads the benchmarks seed set-based, straight into the tables (no feeds, no linkage): fast enough for
// 600,000 children, shaped like the real thing where the measured query cares.
import { refreshChildSearch } from '../src/cases/projection';
import type { Database } from '../src/db';
import { GIVEN_NAMES, SPONSOR_GIVEN_NAMES, SURNAMES } from '../src/synth/names';
import { timed } from './lib';

const GIVEN = [...new Set([...GIVEN_NAMES.male, ...GIVEN_NAMES.female])];
const FAMILY = [...new Set(Object.values(SURNAMES).flat())];
const STREETS = [
  'Main St',
  'Walnut Ave',
  'Oak Dr',
  'Maple Ln',
  'Cedar Rd',
  'Elm St',
  'Pine Ave',
  'Lake Blvd',
];
const CITIES = ['Houston TX 770', 'Miami FL 331', 'Los Angeles CA 900', 'Atlanta GA 303', 'New York NY 100'];

/**
 * Children with names from the generator's pools (two given names, two surnames, accents as written), a sponsor
 * each, addresses shared by about 1.3 children, offices spread over the 25 field offices, 0.5 % protected.
 * Written set-based, then the search index is built by the projection's own statement (timed).
 */
export async function seedSearchCaseload(db: Database, children: number): Promise<number> {
  await db.query(`select setseed(0.42);`);
  await db.query(
    `insert into children (given_names, surnames, a_number, orr_id, dob)
       select g1 || case when random() < 0.5 then ' ' || g2 else '' end, s1 || ' ' || s2,
              lpad((100000000 + n * 13)::text, 9, '0'), 'UC' || lpad((n * 7)::text, 8, '0'),
              date '2006-06-01' + (random() * 4000)::int
       from generate_series(1, $1::int) n
       cross join lateral (select ($2::text[])[1 + floor(random() * array_length($2, 1))::int + (n * 0)] g1,
                                  ($2::text[])[1 + floor(random() * array_length($2, 1))::int] g2,
                                  ($3::text[])[1 + floor(random() * array_length($3, 1))::int + (n * 0)] s1,
                                  ($3::text[])[1 + floor(random() * array_length($3, 1))::int] s2) names`,
    [children, GIVEN, FAMILY],
  );
  const places = Math.ceil(children / 1.3);
  await db.query(
    `insert into addresses (raw_text, delivery_line, last_line, verdict)
       select house || ' ' || street || ', ' || city, upper(house || ' ' || street), upper(city), 'deliverable_likely'
       from generate_series(1, $1::int) n
       cross join lateral (select n::text house, ($2::text[])[1 + (n / 9000) % array_length($2, 1)] street,
                                  ($3::text[])[1 + n % array_length($3, 1)] || lpad((n % 100)::text, 2, '0') city) parts`,
    [places, STREETS, CITIES],
  );
  await db.query(
    `insert into child_state (child_id, status, released_at, field_office_code, protected_1367, address_id, release_address_id)
       select c.id, 'released', timestamptz '2019-01-01' + (random() * 1800) * interval '1 day',
              (array['ATL','BAL','BOS','BUF','CHI','DAL','DEN','DET','ELP','HLG','HOU','LOS','MIA','NOL','NYC','NEW',
                     'PHI','PHO','SLC','SNA','SND','SFR','SEA','SPM','WAS'])[1 + (c.id % 25)],
              random() < 0.005, a.id, a.id
       from children c join addresses a on a.id = 1 + (c.id % $1::int)`,
    [places],
  );
  await db.query(
    `insert into events (child_id, type, occurred_at, data)
       select c.id, 'released_to_sponsor', cs.released_at,
              jsonb_build_object('sponsor_name', ($1::text[])[1 + floor(random() * array_length($1, 1))::int + (c.id * 0)]
                                 || ' ' || split_part(c.surnames, ' ', 1))
       from children c join child_state cs on cs.child_id = c.id`,
    [SPONSOR_GIVEN_NAMES],
  );
  await db.exec('analyze');
  const built = await timed(() => refreshChildSearch(db, null));
  await db.exec('analyze');
  return built.seconds;
}

export type SearchKind =
  | 'A-number'
  | 'ORR id'
  | 'full name'
  | 'one surname'
  | 'sponsor name'
  | 'address words';

/** `queries` searches of each kind, for children spread over the caseload's ids. */
export async function searchQueries(
  db: Database,
  queries: number,
  children: number,
): Promise<Record<SearchKind, string[]>> {
  const sample = await db.query<{
    aNumber: string;
    orrId: string;
    given: string;
    surnames: string;
    sponsor: string;
    address: string;
  }>(
    `select c.a_number as "aNumber", c.orr_id as "orrId", split_part(c.given_names, ' ', 1) as given, c.surnames,
            e.data->>'sponsor_name' as sponsor, a.raw_text as address
     from children c join child_state cs on cs.child_id = c.id join addresses a on a.id = cs.address_id
       join events e on e.child_id = c.id and e.type = 'released_to_sponsor'
     -- a pipeline's children may lack an identifier, a sponsor or an address: the queries need all of them
     where c.id % $2 = 0 and c.a_number is not null and c.orr_id is not null and e.data->>'sponsor_name' is not null
     limit $1`,
    [queries, Math.max(1, Math.floor(children / queries))],
  );
  return {
    'A-number': sample.map(
      (row) => `A-${row.aNumber.slice(0, 3)}-${row.aNumber.slice(3, 6)}-${row.aNumber.slice(6)}`,
    ),
    'ORR id': sample.map((row) => row.orrId.toLowerCase()),
    'full name': sample.map((row) => `${row.surnames} ${row.given}`.toUpperCase()),
    'one surname': sample.map((row) => row.surnames.split(' ').at(-1)!),
    'sponsor name': sample.map((row) => row.sponsor),
    'address words': sample.map((row) => row.address.split(',')[0]!),
  };
}

/**
 * What the dashboard counts, on top of the search caseload: addresses get their state, children the dates,
 * verdicts and whereabouts the figures read (a third with an NTA, 7 % failed to appear), their events and one
 * task each. Written through the report summaries' triggers, as any write is (timed).
 */
export async function addReportFacts(db: Database): Promise<number> {
  const { seconds } = await timed(async () => {
    await db.query(`select setseed(0.17)`);
    await db.query(`update addresses set state = substring(last_line from ' ([A-Z]{2}) ')`);
    await db.query(
      `update child_state set transferred_at = released_at - interval '30 days',
              nta_issued_at = case when random() < 0.35 then released_at + interval '20 days' end,
              failed_to_appear_count = case when random() < 0.07 then 1 else 0 end,
              whereabouts = (array['verified', 'unverified', 'unknown'])[1 + (random() * 2)::int],
              release_address_verdict = (array['deliverable_likely', 'deliverable_likely', 'missing_unit', 'zip_mismatch'])[1 + (random() * 3)::int]`,
    );
    await db.query(
      `update child_state set last_failed_to_appear_at = released_at + interval '200 days' where failed_to_appear_count > 0`,
    );
    await db.query(
      `insert into events (child_id, type, occurred_at)
         select child_id, 'nta_issued', nta_issued_at from child_state where nta_issued_at is not null
         union all select child_id, 'failed_to_appear', last_failed_to_appear_at from child_state where failed_to_appear_count > 0`,
    );
    await db.query(
      `insert into tasks (child_id, office_code, kind, due_at, state)
         select child_id, field_office_code, 'welfare_check', released_at + interval '2000 days',
                (array['open', 'done', 'done'])[1 + (random() * 2)::int]
         from child_state`,
    );
    await db.exec('analyze');
  });
  return seconds;
}

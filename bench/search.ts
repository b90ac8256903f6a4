// How long a child search takes over a national caseload, through the HTTP route (ability, SQL, audit entry):
// by A-number, ORR case id, full name, one surname alone, sponsor name and address words.
// Usage: npm run bench:search [-- --children 600000 --queries 50 --engine both|pglite|postgres]
import { parseArgs } from 'node:util';
import { signedIn } from '../src/auth/testing';
import { prepareDatabase } from '../src/bootstrap';
import { refreshChildSearch } from '../src/cases/projection';
import { type Database, openDatabase } from '../src/db';
import { buildApp } from '../src/http/app';
import { GIVEN_NAMES, SPONSOR_GIVEN_NAMES, SURNAMES } from '../src/synth/names';
import { machine, median, printTable, startPostgres, timed } from './lib';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    queries: { type: 'string', default: '50' },
    engine: { type: 'string', default: 'both' },
  },
});
const CHILDREN = Number(values.children);
const QUERIES = Number(values.queries);
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
async function seed(db: Database): Promise<number> {
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
    [CHILDREN, GIVEN, FAMILY],
  );
  const places = Math.ceil(CHILDREN / 1.3);
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

type Kind = 'A-number' | 'ORR id' | 'full name' | 'one surname' | 'sponsor name' | 'address words';

async function queriesOf(db: Database): Promise<Record<Kind, string[]>> {
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
     where c.id % $2 = 0 limit $1`,
    [QUERIES, Math.max(1, Math.floor(CHILDREN / QUERIES))],
  );
  return {
    'A-number': sample.map(
      (row) => `A-${row.aNumber.slice(0, 3)}-${row.aNumber.slice(3, 6)}-${row.aNumber.slice(6)}`,
    ),
    'ORR id': sample.map((row) => row.orrId.toLowerCase()),
    'full name': sample.map((row) => `${row.surnames} ${row.given}`.toUpperCase()),
    'one surname': sample.map((row) => row.surnames.split(' ')[1]!),
    'sponsor name': sample.map((row) => row.sponsor),
    'address words': sample.map((row) => row.address.split(',')[0]!),
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function measure(engine: 'pglite' | 'postgres', url?: string) {
  const db = await openDatabase(engine === 'pglite' ? { engine } : { engine, url: url!, maxConnections: 4 });
  await prepareDatabase(db);
  const seconds = await seed(db);
  const app = await buildApp({ db, logLevel: 'silent', searchesPerMinute: 1_000_000 });
  const people = {
    'ORR (nationwide)': await signedIn(app, db, 'bench-orr', 'orr_case_manager'),
    'ICE (one office)': await signedIn(app, db, 'bench-ice', 'ice_juvenile_coordinator', 'HOU'),
  };
  const queries = await queriesOf(db);
  // One untimed pass first, so the first kind measured does not pay for cold caches and compilation.
  for (const texts of Object.values(queries)) {
    for (const q of texts.slice(0, 5)) {
      await app.inject({
        method: 'GET',
        url: `/api/v1/children?q=${encodeURIComponent(q)}`,
        headers: { cookie: people['ORR (nationwide)'].cookie },
      });
    }
  }
  const rows = [];
  for (const [who, session] of Object.entries(people)) {
    for (const [kind, texts] of Object.entries(queries)) {
      const times: number[] = [];
      let hits = 0;
      for (const q of texts) {
        const { seconds: took, result } = await timed(() =>
          app.inject({
            method: 'GET',
            url: `/api/v1/children?q=${encodeURIComponent(q)}`,
            headers: { cookie: session.cookie },
          }),
        );
        if (result.statusCode !== 200) throw new Error(`${q}: ${result.statusCode} ${result.body}`);
        hits += result.json().children.length;
        times.push(took * 1000);
      }
      rows.push({
        engine,
        who,
        kind,
        median: median(times),
        p95: percentile(times, 95),
        hits: hits / texts.length,
      });
    }
  }
  await app.close();
  await db.close();
  return { rows, indexSeconds: seconds };
}

const results = [];
if (values.engine !== 'postgres') results.push(await measure('pglite'));
if (values.engine !== 'pglite') {
  const postgres = startPostgres();
  try {
    results.push(await measure('postgres', postgres.url));
  } finally {
    postgres.stop();
  }
}
printTable(
  `Child search over ${CHILDREN.toLocaleString('en-US')} children, ${QUERIES} queries of each kind through GET /api/v1/children (${machine()})`,
  results.flatMap((result) =>
    result.rows.map((row) => ({
      engine: row.engine === 'pglite' ? 'PGlite' : 'PostgreSQL 15',
      person: row.who,
      query: row.kind,
      'median ms': row.median.toFixed(1),
      'p95 ms': row.p95.toFixed(1),
      'hits per query (page of 25)': row.hits.toFixed(1),
    })),
  ),
);
for (const result of results) {
  console.log(
    `search index built for every child in ${result.indexSeconds.toFixed(1)} s (${result.rows[0]?.engine})`,
  );
}

// How long a child search takes over a national caseload, through the HTTP route (ability, SQL, audit entry):
// by A-number, ORR case id, full name, one surname alone, sponsor name and address words.
// Usage: npm run bench:search [-- --children 600000 --queries 50 --engine both|pglite|postgres]
import { parseArgs } from 'node:util';
import { signedIn } from '../src/auth/testing';
import { prepareDatabase } from '../src/bootstrap';
import { openDatabase } from '../src/db';
import { buildApp } from '../src/http/app';
import { machine, median, percentile, printTable, startPostgres, timed } from './lib';
import { searchQueries, seedSearchCaseload } from './seed';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    queries: { type: 'string', default: '50' },
    engine: { type: 'string', default: 'both' },
  },
});
const CHILDREN = Number(values.children);
const QUERIES = Number(values.queries);
async function measure(engine: 'pglite' | 'postgres', url?: string) {
  const db = await openDatabase(engine === 'pglite' ? { engine } : { engine, url: url!, maxConnections: 4 });
  await prepareDatabase(db);
  const seconds = await seedSearchCaseload(db, CHILDREN);
  const app = await buildApp({ db, logLevel: 'silent', searchesPerMinute: 1_000_000 });
  const people = {
    'ORR (nationwide)': await signedIn(app, db, 'bench-orr', 'orr_case_manager'),
    'ICE (one office)': await signedIn(app, db, 'bench-ice', 'ice_juvenile_coordinator', 'HOU'),
  };
  const queries = await searchQueries(db, QUERIES, CHILDREN);
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

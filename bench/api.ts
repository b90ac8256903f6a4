// The API under load over a seeded national caseload (bench/api-phase.ts: case reads, searches, the dashboard).
// Usage: npm run bench:api [-- --children 600000 --engine pglite|postgres --seconds 15 --connections 50
//   --routes case,search,dashboard --data-dir DIR]
// A store that already holds the caseload is reused instead of seeded again: PostgreSQL at DATABASE_URL, or
// PGlite in --data-dir.
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { openDatabase } from '../src/db';
import { type ApiRoute, loadApi } from './api-phase';
import { machine, printTable, startPostgres } from './lib';
import { addReportFacts, seedSearchCaseload } from './seed';

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
  const { rows, audited } = await loadApi(db, {
    seconds: SECONDS,
    connections: CONNECTIONS,
    routes: new Set(values.routes.split(',') as ApiRoute[]),
    engine: engine === 'pglite' ? 'PGlite' : 'PostgreSQL 15',
  });
  await db.close();
  printTable(
    `The API under load: ${CONNECTIONS} connections for ${SECONDS} s per route over ${CHILDREN.toLocaleString('en-US')} children (${machine()})`,
    rows,
  );
  console.log(`audit entries appended during the runs: ${audited.toLocaleString('en-US')}`);
} finally {
  postgres?.stop();
}

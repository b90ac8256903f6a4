// Where a monitoring sweep spends its time: every statement of a full and of an incremental sweep, timed, over
// the benchmark's caseload (bench/monitor-seed.ts). With --explain, the statements whose result the sweep does
// not read (the rules' `insert into alert_changes`, the neighbours) run as EXPLAIN ANALYZE and print their plans.
// Usage: node --import tsx bench/monitor-profile.ts [--children 100000] [--engine pglite|postgres] [--explain]
//   [--data-dir DIR] (a store seeded and swept by an earlier run — PGlite in DIR, PostgreSQL at DATABASE_URL — is
//   profiled again without seeding; bench:monitor makes one with the same option)
import { parseArgs } from 'node:util';
import { type Database, openDatabase, type Sql } from '../src/db';
import { loadPolicy, sweepIn } from '../src/monitoring';
import { printTable, startPostgres, timed } from './lib';
import { seedUnlessSwept } from './monitor-seed';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'pglite' },
    explain: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
  },
});
const CHILDREN = Number(values.children);
const policy = loadPolicy();
const AS_OF = new Date('2024-06-01T00:00:00Z');

/** The transaction's statements, each timed and named by its first words. */
function timing(sql: Sql, steps: { statement: string; ms: number }[]): Sql {
  const label = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 110);
  const time = async <T>(text: string, work: () => Promise<T>) => {
    const started = performance.now();
    const result = await work();
    steps.push({ statement: label(text), ms: performance.now() - started });
    return result;
  };
  const explained = (text: string) =>
    values.explain &&
    /^\s*(insert into (alert_changes|place_holders)|with cs)/.test(text) &&
    text.length > 120;
  return {
    query: (text, params) =>
      time(text, async () => {
        if (!explained(text)) return sql.query(text, params);
        const plan = await sql.query<Record<string, string>>(`explain (analyze, costs off) ${text}`, params);
        console.log(`\n${label(text)}\n${plan.map((row) => Object.values(row)[0]).join('\n')}`);
        return [];
      }),
    exec: (script) => time(script, () => sql.exec(script)),
  } as Sql;
}

async function profile(db: Database, name: string, asOf: Date, childIds?: number[]) {
  const steps: { statement: string; ms: number }[] = [];
  const { seconds } = await timed(() =>
    db.transaction((sql) => sweepIn(timing(sql, steps), policy, { asOf, childIds })),
  );
  printTable(
    `${name}: ${seconds.toFixed(2)} s (${db.engine}, ${CHILDREN.toLocaleString('en-US')} children)`,
    steps
      .filter((step) => step.ms >= 5)
      .map((step) => ({ ms: step.ms.toFixed(0), statement: step.statement })),
  );
}

const postgres = values.engine === 'postgres' ? startPostgres() : undefined;
try {
  const dataDir = values['data-dir'];
  const db = await openDatabase(
    postgres
      ? { engine: 'postgres', url: postgres.url, maxConnections: 2 }
      : { engine: 'pglite', ...(dataDir ? { dataDir } : {}) },
  );
  // A store seeded and swept before (PostgreSQL at DATABASE_URL, PGlite in --data-dir) is profiled as it is.
  if (await seedUnlessSwept(db, CHILDREN)) await profile(db, 'first sweep', AS_OF);
  const later = new Date(AS_OF.getTime() + 3_600_000);
  await profile(db, 'full sweep', later);
  await profile(
    db,
    'incremental sweep, 10,000 children',
    later,
    Array.from({ length: 10_000 }, (_, i) => 1 + i),
  );
  await db.close();
} finally {
  postgres?.stop();
}

import type { Database } from './database';

/** A change this large, and at least this share of the caseload, makes the planner's statistics stale. */
const BULK_CHANGE_MIN = 5_000;
export const BULK_CHANGE_SHARE = 0.1;

/**
 * Renews the planner's statistics after a bulk change: `changed` rows (children settled, alerts opened or closed)
 * of at least 5,000 and a tenth of the caseload. The embedded database has no autovacuum, and on PostgreSQL
 * autovacuum's analyze comes a minute or more later, while the next statements plan with tables that were empty:
 * a nightly run straight after a first load took 33 s (9.7 s with this and a vacuum). ANALYZE samples a bounded
 * number of rows per table, so it costs seconds whatever the store's size (4 s at 600,000 children); a nightly
 * run's few percent of the caseload leave it to autovacuum. `tables`: the tables the change wrote (default all).
 * Returns whether it ran.
 */
export async function analyzeAfterBulkChange(
  db: Database,
  changed: number,
  tables?: string[],
): Promise<boolean> {
  if (changed < BULK_CHANGE_MIN) return false;
  // The estimate the last ANALYZE (or a bulk load's) left: -1 or 0 before any, when every change is bulk.
  const [estimate] = await db.query<{ children: number }>(
    "select greatest(reltuples, 0)::float8 as children from pg_class where relname = 'child_state'",
  );
  if (changed < BULK_CHANGE_SHARE * Number(estimate?.children ?? 0)) return false;
  await twoAtATime(db, 'analyze', tables);
  return true;
}

/**
 * VACUUM and ANALYZE of the whole database, as `vacuum analyze` does it, in half the time on PostgreSQL: the store's
 * tables two at a time (at 150,000 children after a first load 2.0 s against 3.6), then a plain `vacuum` for the
 * rest, the system catalogs (0.2 s: the tables it finds done are skipped).
 */
export async function vacuumStore(db: Database): Promise<void> {
  await twoAtATime(db, 'vacuum analyze');
  await db.exec('vacuum');
}

/**
 * `command` (ANALYZE, VACUUM) run on each of the store's tables (or of `only`), largest first, two at a time: one
 * statement works through its tables one after another on one core, and on PostgreSQL the second connection takes
 * the other (at 50,000 children ANALYZE took 1.6–2.5 s of a 12 s settle). The embedded database runs them one by one
 * either way.
 */
async function twoAtATime(db: Database, command: string, only?: string[]): Promise<void> {
  const tables = await db.query<{ name: string }>(
    `select quote_ident(c.relname) as name from pg_class c
     where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p', 'm')
       and ($1::text[] is null or c.oid = any($1::regclass[])) -- a table that does not exist is an error
     order by c.relpages desc, c.relname`,
    [only ?? null],
  );
  const next = () => tables.shift()?.name;
  const inTurn = async () => {
    for (let table = next(); table; table = next()) await db.exec(`${command} ${table}`);
  };
  await Promise.all([inTurn(), inTurn()]);
}

/**
 * Columns whose statistics need a finer sample than the default (100) to plan well. The search's terms: a word no
 * statistics list (a misspelled surname, found in three children of 600,000) was estimated at 1,100 rows, so the
 * planner walked the children by id to fill a page and read all of them (965 ms) instead of asking the GIN index
 * (0.5 ms); with 1,000 the rarest listed word is ten times rarer and the estimate follows (docs/decisions/0021).
 */
const STATISTICS_TARGETS = [{ table: 'child_search', column: 'terms', target: 1000 }];

/** Sets the finer statistics targets (idempotent; run at every start by `prepareDatabase`, as the schema owner). */
export async function installStatisticsTargets(db: Database): Promise<void> {
  for (const { table, column, target } of STATISTICS_TARGETS)
    await db.exec(`alter table ${table} alter column ${column} set statistics ${target}`);
}

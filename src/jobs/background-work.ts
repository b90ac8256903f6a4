import PgBoss from 'pg-boss';
import type { Config } from '../config';
import type { Database } from '../db';
import { IdentityIndex } from '../identity/identity-index';
import { linkAll } from '../identity/relink';
import { loadPolicy, runSweep } from '../monitoring';

/** Where the work is recorded, beside the case data: a backup or replica carries it along. */
const SCHEMA = 'pgboss';

/**
 * pg-boss's statements over our connection. Its schema scripts are several commands without parameters, which
 * PGlite runs only as a script (PostgreSQL's simple protocol takes them as they are).
 */
async function executeSql(db: Database, text: string, values?: unknown[]) {
  if (values?.length || db.engine === 'postgres') return { rows: await db.query(text, values) };
  try {
    return { rows: await db.query(text) };
  } catch (error) {
    if (!/multiple commands/.test((error as Error).message)) throw error;
    await db.exec(text);
    return { rows: [] };
  }
}

export interface Log {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * The scheduled work, by queue. Each queue is a pg-boss `singleton`: however many processes run the work, one
 * job of a kind runs at a time, once per schedule.
 */
const WORK = {
  /** Every rule for every child, as of now: alerts the passing of time opens (no NTA after N days…), escalations. */
  'monitor-sweep': {
    schedule: (config: Config) => config.sweepSchedule,
    run: async (db: Database) => runSweep(db, loadPolicy()),
  },
  /** The whole store linked again with a model estimated from it, every review decision kept. */
  relink: {
    schedule: (config: Config) => config.relinkSchedule,
    run: async (db: Database) => {
      const { model: _model, ...summary } = await db.transaction((tx) => linkAll(tx, IdentityIndex.of(db)));
      return summary;
    },
  },
} as const;
export type WorkName = keyof typeof WORK;
export const WORK_NAMES = Object.keys(WORK) as WorkName[];

export interface BackgroundWork {
  /** Queues a run now (an operator's `whereabouts work run NAME`, or a test); resolves to the job id. */
  runNow(name: WorkName): Promise<string>;
  /** A job's state (`created`, `active`, `completed`, `failed` …) and what it returned. */
  job(name: WorkName, id: string): Promise<{ state: string; output: unknown } | null>;
  stop(): Promise<void>;
}

/**
 * Starts the scheduled background work on pg-boss, over the application's own database connection (on
 * PostgreSQL and on the embedded database alike). With `work: false` it only schedules and queues — a process
 * that must not run jobs itself.
 */
export async function startBackgroundWork(
  db: Database,
  config: Config,
  log: Log,
  options: { work?: boolean; pollingIntervalSeconds?: number } = {},
): Promise<BackgroundWork> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => executeSql(db, text, values) },
    schema: SCHEMA,
  });
  boss.on('error', (error) => log.error({ err: error }, 'background work: pg-boss error'));
  await boss.start();
  for (const name of WORK_NAMES) {
    await boss.createQueue(name, { name, policy: 'stately', retryLimit: 2, retryDelay: 300 });
    await boss.schedule(name, WORK[name].schedule(config), undefined, { tz: config.timeZone });
    if (options.work === false) continue;
    await boss.work(name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async ([job]) => {
      const started = Date.now();
      try {
        const output = await WORK[name].run(db);
        log.info(
          { work: name, job: job?.id, seconds: (Date.now() - started) / 1000 },
          'background work done',
        );
        return output;
      } catch (error) {
        log.error({ work: name, job: job?.id, err: error }, 'background work failed; pg-boss retries it');
        throw error;
      }
    });
  }
  return {
    runNow: async (name) => {
      const id = await boss.send(name, {});
      if (!id) throw new Error(`${name} is already queued`);
      return id;
    },
    job: async (name, id) => {
      const job = await boss.getJobById(name, id);
      return job ? { state: job.state, output: job.output } : null;
    },
    stop: () => boss.stop({ graceful: true, wait: true }),
  };
}

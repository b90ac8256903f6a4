import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import type { Database } from '../db';
import { createTestDatabase } from '../db/testing';
import { childFromEvents, releasedEvents } from '../monitoring/testing';
import { type BackgroundWork, startBackgroundWork, type WorkName } from './background-work';

const quiet = { info() {}, error() {} };

async function finished(work: BackgroundWork, name: WorkName, id: string) {
  for (let tries = 0; tries < 120; tries++) {
    const job = await work.job(name, id);
    if (job && (job.state === 'completed' || job.state === 'failed')) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} job ${id} did not finish in 30 s`);
}

describe('scheduled background work on pg-boss', () => {
  let db: Database;
  let work: BackgroundWork;
  const config = loadConfig({
    WHEREABOUTS_SWEEP_SCHEDULE: '15 1 * * *',
    WHEREABOUTS_TIME_ZONE: 'America/Chicago',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    work = await startBackgroundWork(db, config, quiet, { pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await work.stop();
    await db.close();
  });

  it('keeps each schedule, in the configured time zone, in the database', async () => {
    const schedules = await db.query<{ name: string; cron: string; timezone: string }>(
      'select name, cron, timezone from pgboss.schedule order by name',
    );
    expect(schedules).toEqual([
      { name: 'monitor-sweep', cron: '15 1 * * *', timezone: 'America/Chicago' },
      { name: 'relink', cron: '0 3 * * 0', timezone: 'America/Chicago' },
    ]);
  });

  it('runs the monitoring sweep as a job: a child released 60 days ago without an NTA gets its alert', async () => {
    const child = await childFromEvents(db, releasedEvents(60));
    const job = await finished(work, 'monitor-sweep', await work.runNow('monitor-sweep'));
    expect(job.state).toBe('completed');
    expect(job.output).toMatchObject({ scope: 'full', rules: { no_nta: { opened: 1, open: 1 } } });
    const alerts = await db.query<{ rule: string }>(
      'select rule from alerts where child_id = $1 and closed_at is null',
      [child],
    );
    expect(alerts.map((alert) => alert.rule)).toContain('no_nta');
  });

  it('queues but does not run work in a process started without workers', async () => {
    const scheduler = await startBackgroundWork(db, config, quiet, { work: false });
    try {
      await work.stop(); // the only worker goes away, as on an API process with WHEREABOUTS_JOBS=off
      const id = await scheduler.runNow('relink');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await scheduler.job('relink', id))?.state).toBe('created');
    } finally {
      await scheduler.stop();
    }
  });
});

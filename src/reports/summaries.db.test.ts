import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { ingestFile, listFeedFiles, recognizeFiles } from '../ingest';
import { loadPolicy, recordOutcome, runSweep, sweepIn } from '../monitoring';
import { generateCaseload } from '../synth';
import {
  FIGURES,
  type FigureId,
  figureByState,
  figureByStateFromRows,
  monthlyTrends,
  monthlyTrendsFromRows,
  nationalReport,
  nationalReportFromRows,
  officeWorkload,
  officeWorkloadFromRows,
  QUALITY_CHECKS,
  type QualityCheckId,
  rebuildReportSummaries,
} from '.';

const FIGURE_IDS = [...Object.keys(FIGURES), ...Object.keys(QUALITY_CHECKS)] as (FigureId | QualityCheckId)[];

/**
 * The dashboard answers from counters the database keeps (src/reports/summaries.ts); they must say exactly
 * what counting the rows says, at any time asked, after every kind of write.
 */
describe(`the report summaries on ${testEngine}`, () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-summaries-'));
  let db: Database;
  let asOf: Date;

  /** Times that put the cuts (90 days back for contact, the month for trends and due tasks) in many places. */
  const times = () => [
    asOf,
    new Date(asOf.getTime() - 41 * 86_400_000),
    new Date(asOf.getTime() + 17 * 86_400_000 + 3_600_000),
    new Date(asOf.getTime() + 400 * 86_400_000),
    new Date(`${asOf.toISOString().slice(0, 7)}-01T00:00:00Z`),
  ];

  async function expectSummariesEqualRows() {
    for (const at of times()) {
      expect(await nationalReport(db, at)).toEqual(await nationalReportFromRows(db, at));
      expect(await monthlyTrends(db, at, 36)).toEqual(await monthlyTrendsFromRows(db, at, 36));
      expect(await officeWorkload(db, at)).toEqual(await officeWorkloadFromRows(db, at));
    }
    for (const figure of FIGURE_IDS)
      expect(await figureByState(db, figure, asOf), figure).toEqual(
        await figureByStateFromRows(db, figure, asOf),
      );
    const placeCounts =
      'select kind, place, children from report_place_counts where children <> 0 order by 1, 2';
    expect(await db.query(placeCounts)).toEqual(await db.query(PLACES_FROM_ROWS));
  }

  /** Children per door and sponsor, counted from the rows as the shared-place rule counts them. */
  const PLACES_FROM_ROWS = `
    select kind, place, count(*)::int as children from (
      select 'address' as kind, a.delivery_point as place from child_state cs join addresses a on a.id = cs.address_id
      where a.delivery_point is not null
      union all
      select 'sponsor', sp.phone_key from child_state cs join sponsors sp on sp.id = cs.sponsor_id) p
    group by 1, 2 order by 1, 2`;

  beforeAll(async () => {
    const manifest = generateCaseload({ children: 250, seed: 7, out: workDir });
    asOf = new Date(`${manifest.asOf}T12:00:00Z`);
    db = await createTestDatabase();
    const feeds = listFeedFiles([path.join(workDir, 'feeds')]);
    for (const { file, format } of await recognizeFiles(feeds)) await ingestFile(db, file, format);
  }, 300_000);
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('equal the counts from the rows after ingest', async () => {
    const report = await nationalReport(db, asOf);
    expect(report.released).toBeGreaterThan(100);
    expect(report.failed_to_appear).toBeGreaterThan(0);
    expect(report.whereabouts_unknown).toBeGreaterThan(0);
    await expectSummariesEqualRows();
  });

  it('equal the counts from the rows after a sweep opens alerts and tasks', async () => {
    const before = await officeWorkload(db, asOf);
    await runSweep(db, loadPolicy(), { asOf });
    const after = await officeWorkload(db, asOf);
    expect(after.reduce((sum, office) => sum + office.openTasks, 0)).toBeGreaterThan(
      before.reduce((sum, office) => sum + office.openTasks, 0),
    );
    await expectSummariesEqualRows();
  });

  it('count a change to a child made after a sweep in the same transaction (the sweep skips only its own flags)', async () => {
    const [child] = await db.query<{ child_id: number }>(
      'select child_id from child_state where runaway_reported_at is null order by child_id limit 1',
    );
    const runawaysBefore = (await nationalReport(db, asOf)).runaways;
    await db.transaction(async (tx) => {
      await sweepIn(tx, loadPolicy(), { asOf });
      await tx.query('update child_state set runaway_reported_at = $2 where child_id = $1', [
        child!.child_id,
        asOf.toISOString(),
      ]);
    });
    expect((await nationalReport(db, asOf)).runaways).toBe(runawaysBefore + 1);
    await expectSummariesEqualRows();
  });

  it('equal the counts from the rows after outcomes: a locate attempt, a contact, a move', async () => {
    const [missed] = await db.query<{ child_id: number }>(
      `select child_id from child_state where failed_to_appear_count > 0 order by child_id limit 1`,
    );
    const [unknown] = await db.query<{ child_id: number }>(
      `select child_id from child_state where whereabouts = 'unknown' and released_at is not null
         and child_id <> $1 order by child_id limit 1`,
      [missed!.child_id],
    );
    const locatedBefore = (await nationalReport(db, asOf)).locate_attempt_share;
    const policy = loadPolicy();
    await db.transaction((tx) =>
      recordOutcome(tx, policy, {
        childId: Number(missed!.child_id),
        outcome: { kind: 'locate_attempt', result: 'not_located' },
        recordedBy: 'officer',
        occurredAt: asOf,
      }),
    );
    await db.transaction((tx) =>
      recordOutcome(tx, policy, {
        childId: Number(unknown!.child_id),
        outcome: { kind: 'contact_made', method: 'in_person' },
        recordedBy: 'officer',
        occurredAt: asOf,
      }),
    );
    await db.transaction((tx) =>
      recordOutcome(tx, policy, {
        childId: Number(unknown!.child_id),
        outcome: { kind: 'address_changed', address: '1200 Peachtree St NE, Atlanta, GA 30309' },
        recordedBy: 'officer',
        occurredAt: asOf,
      }),
    );
    expect((await nationalReport(db, asOf)).locate_attempt_share).not.toBe(locatedBefore);
    await expectSummariesEqualRows();
  });

  it('equal the counts from the rows after tasks are worked and a child’s identifiers change', async () => {
    await db.query(
      `update tasks set state = 'done', done_at = now() where id in (select id from tasks order by id limit 5)`,
    );
    await db.query(
      `update tasks set state = 'in_progress' where id in (select id from tasks where state = 'open' order by id desc limit 3)`,
    );
    await db.query(
      `update children set a_number = null, orr_id = null where id in (select id from children order by id limit 4)`,
    );
    await db.query(
      `delete from events where type = 'nta_issued' and id in (select id from events where type = 'nta_issued' order by id limit 3)`,
    );
    await expectSummariesEqualRows();
  });

  it('are rebuilt from the rows to the same counts', async () => {
    const kept = await db.query(`select * from report_figure_counts where children <> 0 order by 1, 2, 3`);
    await rebuildReportSummaries(db);
    expect(await db.query(`select * from report_figure_counts where children <> 0 order by 1, 2, 3`)).toEqual(
      kept,
    );
    await expectSummariesEqualRows();
  });
});

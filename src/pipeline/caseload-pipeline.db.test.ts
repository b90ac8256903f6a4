import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase } from '../db/testing';
import { compareWithTruth, type FigureAgainstTruth, readTruthChildren } from '../reports';
import { generateCaseload } from '../synth';
import { type PipelineResult, runCaseloadPipeline } from './caseload-pipeline';

/** The national pipeline of `npm run bench:national`, small, end to end, its figures against the ground truth. */
describe('a generated caseload through the whole system', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-pipeline-'));
  let db: Database;
  let result: PipelineResult;
  let figures: Map<string, FigureAgainstTruth>;

  beforeAll(async () => {
    generateCaseload({ children: 5000, seed: 10, out: workDir });
    db = await createTestDatabase();
    result = await runCaseloadPipeline(db, workDir);
    figures = new Map(
      compareWithTruth(result.report, readTruthChildren(workDir)).map((figure) => [figure.figure, figure]),
    );
  }, 600_000);
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('runs every stage, the last two days as nightly increments', () => {
    expect(result.stages.map((stage) => stage.stage)).toEqual([
      'ingest, through 2023-12-29',
      'link the whole store, then settle',
      'monitor, full sweep',
      'vacuum after the first load',
      "a day's deliveries, 2023-12-30: ingest, link, monitor",
      "a day's deliveries, 2023-12-31: ingest, link, monitor",
      'national report',
    ]);
    const [history, , , , day] = result.stages;
    expect(day!.rows).toBeGreaterThan(0);
    expect(day!.rows).toBeLessThan(history!.rows / 100);
  });

  for (const figure of [
    'transferred',
    'released',
    'no_nta',
    'nta_not_filed',
    'failed_to_appear',
    'runaways',
    'whereabouts_unknown',
  ])
    it(`reports ${figure} within 0.5% of the truth`, () => {
      const { truth, reported, error } = figures.get(figure)!;
      expect(truth).toBeGreaterThan(0);
      expect({ figure, truth, reported, off: Math.abs(error) <= 0.005 }).toEqual({
        figure,
        truth,
        reported,
        off: true,
      });
    });

  it('finds most defective release addresses: a missing unit shows only when other records reveal the units', () => {
    const { truth, reported } = figures.get('address_defects')!;
    expect(reported).toBeGreaterThan(0.85 * truth);
    expect(reported).toBeLessThanOrEqual(1.05 * truth);
  });
});

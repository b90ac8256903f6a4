import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase } from '../db/testing';
import { ingestFile, listFeedFiles, recognizeFiles } from '../ingest';
import { loadPolicy, runSweep } from '../monitoring';
import { generateCaseload } from '../synth';
import { childrenBehind, type FigureId, TRUTH_FIGURES } from '.';

type Row = Record<string, string>;

/**
 * The oversight figures against the generator's ground truth, child by child. A child counts as "cleanly
 * identified" when every record of the child (tips aside) is linked to one stored child that holds no one else's
 * records; for those children each figure must name exactly the children the truth names. The totals over the
 * whole caseload are compared in src/pipeline/caseload-pipeline.db.test.ts.
 */
describe('the oversight report against the ground truth', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-report-truth-'));
  let db: Database;
  let asOf: Date;
  let truth: Map<string, Row>;
  /** Stored child id → truth child id, for cleanly identified children only. */
  const truthIdOf = new Map<number, string>();

  beforeAll(async () => {
    const manifest = generateCaseload({ children: 1500, seed: 21, out: workDir });
    asOf = new Date(`${manifest.asOf}T12:00:00Z`);
    db = await createTestDatabase();
    const feeds = listFeedFiles([path.join(workDir, 'feeds')]);
    for (const { file, format } of await recognizeFiles(feeds)) await ingestFile(db, file, format);
    await runSweep(db, loadPolicy(), { asOf });

    const read = (file: string) =>
      parse(fs.readFileSync(path.join(workDir, 'truth', file), 'utf8'), { columns: true }) as Row[];
    truth = new Map(read('children.csv').map((row) => [row.child_id!, row]));
    const ownerOf = new Map(
      read('records.csv').map((row) => [`${row.source}|${row.source_key}`, row.child_id!]),
    );
    const links = await db.query<{ source: string; source_key: string; child_id: number | null }>(
      `select s.source, s.source_key, l.child_id
       from source_records s left join identity_links l on l.source_record_id = s.id
       where s.kind <> 'tips'`,
    );
    const storedOf = new Map<string, Set<number | null>>();
    const truthOf = new Map<number, Set<string>>();
    for (const link of links) {
      const owner = ownerOf.get(`${link.source}|${link.source_key}`)!;
      storedOf.set(
        owner,
        (storedOf.get(owner) ?? new Set()).add(link.child_id === null ? null : Number(link.child_id)),
      );
      if (link.child_id !== null)
        truthOf.set(Number(link.child_id), (truthOf.get(Number(link.child_id)) ?? new Set()).add(owner));
    }
    for (const [owner, stored] of storedOf) {
      const [only] = [...stored];
      if (stored.size === 1 && only !== null && only !== undefined && truthOf.get(only)?.size === 1)
        truthIdOf.set(only, owner);
    }
  }, 300_000);
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** The figures whose children a record names exactly (the rest are compared in total by the pipeline test). */
  const TRUTH = {
    transferred: TRUTH_FIGURES.transferred,
    released: TRUTH_FIGURES.released,
    no_nta: TRUTH_FIGURES.no_nta,
    nta_not_filed: TRUTH_FIGURES.nta_not_filed,
    failed_to_appear: TRUTH_FIGURES.failed_to_appear,
  };

  it('identifies most of the caseload cleanly, so the exact comparison covers it', () => {
    expect(truthIdOf.size).toBeGreaterThan(0.85 * truth.size); // 89% with seed 21
  });

  for (const [figure, holds] of Object.entries(TRUTH) as [FigureId, (child: Row) => boolean][]) {
    it(`names exactly the children behind ${figure} among the cleanly identified`, async () => {
      const listed = new Set(
        (await childrenBehind(db, figure, { asOf }))
          .filter((id) => truthIdOf.has(id))
          .map((id) => truthIdOf.get(id)!),
      );
      const expected = new Set([...truthIdOf.values()].filter((id) => holds(truth.get(id)!)));
      expect(expected.size).toBeGreaterThan(0);
      expect([...listed].filter((id) => !expected.has(id))).toEqual([]);
      expect([...expected].filter((id) => !listed.has(id))).toEqual([]);
    });
  }

  it('places each cleanly identified released child in the truth’s field office, or none when the address is unusable', async () => {
    const rows = await db.query<{ child_id: number; field_office_code: string | null }>(
      'select child_id, field_office_code from child_state where released_at is not null',
    );
    const clean = rows.filter((row) => truthIdOf.has(Number(row.child_id)));
    const truthOf = (row: { child_id: number }) => truth.get(truthIdOf.get(Number(row.child_id))!)!;
    const wrong = clean.filter((row) => (row.field_office_code ?? '') !== truthOf(row).field_office);
    expect(clean.length).toBeGreaterThan(500);
    // A blank address, or a ZIP in another state, names no office: such children count as unassigned.
    expect(wrong.filter((row) => row.field_office_code !== null)).toEqual([]);
    expect(new Set(wrong.map((row) => truthOf(row).address_defect))).toEqual(
      new Set(['missing', 'zip_mismatch']),
    );
  });
});

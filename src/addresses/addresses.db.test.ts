import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshChildState } from '../cases/projection';
import type { Database } from '../db';
import { createTestDatabase } from '../db/testing';
import { ingestFile, listFeedFiles, recognizeFiles } from '../ingest';
import { nationalReport } from '../reports';
import { generateCaseload } from '../synth';
import { applyRecordEvidence, placesOfAddresses, rejudgeAllAddresses } from './addresses.repository';
import { DEFECTIVE_VERDICTS } from './judge';

/** The verdicts a release address may carry in the system for each of the generator's defects. */
const ACCEPTED: Record<string, string[]> = {
  none: ['deliverable_likely', 'shared_by_many', 'returned_mail'], // mail can come back from a sound address
  missing: ['missing'],
  missing_unit: ['missing_unit', 'returned_mail'],
  undeliverable: ['incomplete'],
  zip_mismatch: ['zip_mismatch'],
};

describe('addresses judged at ingest', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-address-ingest-'));
  let db: Database;
  let truth: Map<string, string>;
  beforeAll(async () => {
    generateCaseload({ children: 1500, seed: 33, out: workDir });
    const children = parse(fs.readFileSync(path.join(workDir, 'truth', 'children.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    truth = new Map(children.filter((c) => c.address_defect).map((c) => [c.orr_id!, c.address_defect!]));
    db = await createTestDatabase();
    const feeds = listFeedFiles([path.join(workDir, 'feeds')]);
    for (const { file, format } of await recognizeFiles(feeds)) await ingestFile(db, file, format);
  }, 120_000);
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const verdicts = () =>
    db.query<{ orr_id: string; release_address_verdict: string | null; address_verdict: string | null }>(
      `select c.orr_id, cs.release_address_verdict, cs.address_verdict
       from child_state cs join children c on c.id = cs.child_id
       where cs.released_at is not null and c.orr_id is not null order by c.orr_id`,
    );

  it('gives every released child a judged release address that agrees with the ground truth', async () => {
    const rows = await verdicts();
    expect(rows.length).toBeGreaterThan(1000);
    expect(rows.filter((row) => row.release_address_verdict === null)).toEqual([]);
    const judged = rows.filter((row) => truth.has(row.orr_id));
    const agreeing = judged.filter((row) =>
      ACCEPTED[truth.get(row.orr_id)!]!.includes(row.release_address_verdict!),
    );
    expect(agreeing.length / judged.length).toBeGreaterThanOrEqual(0.97);
  });

  it('flags addresses that mail came back from, with the reason', async () => {
    const [returned] = await db.query<{ n: number }>(
      `select count(*)::int as n from addresses where mail_returned and reasons @> '[{"code": "mail_returned"}]'`,
    );
    expect(returned!.n).toBeGreaterThan(10);
  });

  it('counts the Inspector General’s figure from the stored verdicts, close to the truth', async () => {
    const report = await nationalReport(db);
    const rows = await verdicts();
    const defective = rows.filter((row) => DEFECTIVE_VERDICTS.includes(row.release_address_verdict as never));
    expect(report.address_defects).toBeGreaterThanOrEqual(defective.length);
    const truthDefects = rows.filter((row) => (truth.get(row.orr_id) ?? 'none') !== 'none').length;
    expect(Math.abs(defective.length - truthDefects) / truthDefects).toBeLessThan(0.15);
  });

  it('judges the same after `whereabouts rebuild` as it did incrementally', async () => {
    const before = await verdicts();
    const addressesBefore = await db.query(
      'select raw_text, verdict, reasons from addresses order by raw_text',
    );
    await db.transaction(async (tx) => {
      await rejudgeAllAddresses(tx, 500);
      await refreshChildState(tx, null);
      await applyRecordEvidence(tx, null);
    });
    expect(await db.query('select raw_text, verdict, reasons from addresses order by raw_text')).toEqual(
      addressesBefore,
    );
    expect(await verdicts()).toEqual(before);
  });

  it('takes the addresses it judges off the list awaiting their evidence, and only those', async () => {
    // Two doors' addresses, and one elsewhere that stays listed.
    const [door, other] = await db.query<{ delivery_point: string }>(
      `select delivery_point from addresses where delivery_point is not null
       group by delivery_point having count(*) >= 2 order by delivery_point limit 2`,
    );
    const atDoor = await db.query<{ id: number }>('select id from addresses where delivery_point = $1', [
      door!.delivery_point,
    ]);
    const [elsewhere] = await db.query<{ id: number }>(
      'select id from addresses where delivery_point = $1 limit 1',
      [other!.delivery_point],
    );
    const listed = [...atDoor.map((a) => Number(a.id)), Number(elsewhere!.id)];
    await db.transaction(async (tx) => {
      await tx.query('insert into ingest_pending_addresses select unnest($1::bigint[])', [listed]);
      await applyRecordEvidence(tx, await placesOfAddresses(tx, [Number(atDoor[0]!.id)]));
      const left = await tx.query<{ address_id: number }>('select address_id from ingest_pending_addresses');
      expect(left.map((row) => Number(row.address_id))).toEqual([Number(elsewhere!.id)]);
      await tx.exec('delete from ingest_pending_addresses');
    });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase } from '../db/testing';
import { generateCaseload } from '../synth';
import { ingestFile, listFeedFiles, recognizeFiles } from '.';

/**
 * For every child whose records all carry their true identifiers — and whose ORR release carries the A-number
 * that bridges ICE and court records to ORR's — the store must hold exactly one child with exactly that
 * child's records (src/identity/identity.db.test.ts scores the rest, the records whose identifiers fail).
 */
describe('children with true identifiers against the ground truth', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-truth-'));
  let db: Database;
  beforeAll(async () => {
    generateCaseload({ children: 1500, seed: 21, out: workDir });
    db = await createTestDatabase();
    const feeds = listFeedFiles([path.join(workDir, 'feeds')]);
    for (const { file, format } of await recognizeFiles(feeds)) await ingestFile(db, file, format);
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('holds one child per truly identified child, with exactly that child’s records', async () => {
    const read = (file: string) =>
      parse(fs.readFileSync(path.join(workDir, 'truth', file), 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
    const truthChildren = new Map(read('children.csv').map((row) => [row.child_id!, row]));
    const truthOf = new Map(
      read('records.csv').map((row) => [`${row.source}|${row.source_key}`, row.child_id!]),
    );
    const stored = await db.query<{
      source: string;
      source_key: string;
      kind: string;
      a_number: string | null;
      orr_id: string | null;
      child_id: number | null;
    }>(
      `select distinct on (s.source, s.source_key) s.source, s.source_key, s.kind,
              coalesce(s.payload->>'A_NUMBER', s.payload->>'a_number', s.payload->>'alien_number') as a_number,
              s.payload->>'orr_case_id' as orr_id, l.child_id
       from source_records s left join identity_links l on l.source_record_id = s.id
       where s.kind <> 'tips' order by s.source, s.source_key, s.version desc`,
    );
    const byTruth = new Map<string, typeof stored>();
    for (const record of stored) {
      const truthId = truthOf.get(`${record.source}|${record.source_key}`)!;
      byTruth.set(truthId, [...(byTruth.get(truthId) ?? []), record]);
    }
    const cleanlyIdentified = [...byTruth].filter(([truthId, records]) => {
      const truth = truthChildren.get(truthId)!;
      const correct = records.every(
        (r) =>
          (r.a_number === null || r.a_number === truth.a_number) &&
          (r.orr_id === null || r.orr_id === truth.orr_id),
      );
      const hasOrr = records.some((r) => r.orr_id !== null);
      const hasANumberOnly = records.some((r) => r.orr_id === null);
      const bridged =
        !hasOrr ||
        !hasANumberOnly ||
        records.some((r) => r.kind === 'orr_releases' && r.a_number === truth.a_number);
      return correct && bridged;
    });
    expect(cleanlyIdentified.length).toBeGreaterThan(1000);
    const storeChildOf = new Map<number, Set<string>>();
    for (const record of stored) {
      if (record.child_id === null) continue;
      const owners = storeChildOf.get(record.child_id) ?? new Set<string>();
      owners.add(truthOf.get(`${record.source}|${record.source_key}`)!);
      storeChildOf.set(record.child_id, owners);
    }
    const wrong = cleanlyIdentified.filter(([, records]) => {
      const children = new Set(records.map((r) => r.child_id));
      const [only] = [...children];
      return children.size !== 1 || only === null || only === undefined || storeChildOf.get(only)!.size !== 1;
    });
    expect(wrong.map(([truthId]) => truthId)).toEqual([]);
  });
});

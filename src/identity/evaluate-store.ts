import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import type { Sql } from '../db';

export interface StoreQuality {
  /** Records linked to a child that the truth knows. */
  records: number;
  /** Children holding those records, and the true children behind them. */
  children: number;
  trueChildren: number;
  /** Pairwise over records: of the pairs put in one child, the share truly one child (and the reverse). */
  precision: number;
  recall: number;
}

/**
 * How well the store's children match a generated caseload's truth (truth/records.csv: source, source_key,
 * child_id), pairwise over the latest version of every linked record: no labels are used to link, only here.
 */
export async function evaluateStore(sql: Sql, caseloadDir: string): Promise<StoreQuality> {
  const truth = new Map<string, string>();
  const parser = fs
    .createReadStream(path.join(caseloadDir, 'truth', 'records.csv'))
    .pipe(parse({ columns: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>)
    truth.set(`${row.source}|${row.source_key}`, row.child_id!);
  const stored = await sql.query<{ key: string; child_id: number }>(
    `select distinct on (s.source, s.source_key) s.source || '|' || s.source_key as key, l.child_id
     from source_records s join identity_links l on l.source_record_id = s.id
     order by s.source, s.source_key, s.version desc`,
  );
  const cells = new Map<string, number>();
  const byChild = new Map<number, number>();
  const byTruth = new Map<string, number>();
  let records = 0;
  for (const { key, child_id } of stored) {
    const truthId = truth.get(key);
    if (truthId === undefined) continue;
    records++;
    const cell = `${child_id}|${truthId}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    byChild.set(Number(child_id), (byChild.get(Number(child_id)) ?? 0) + 1);
    byTruth.set(truthId, (byTruth.get(truthId) ?? 0) + 1);
  }
  const pairs = (counts: Iterable<number>) => {
    let total = 0;
    for (const n of counts) total += (n * (n - 1)) / 2;
    return total;
  };
  const together = pairs(cells.values());
  return {
    records,
    children: byChild.size,
    trueChildren: byTruth.size,
    precision: together / pairs(byChild.values()),
    recall: together / pairs(byTruth.values()),
  };
}

import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * Pairwise precision, recall and F1 of predicted links against the truth (each record's true entity). A
 * true pair is two records of one entity — across the two inputs when linking two — among the records the
 * truth names.
 */
export interface PairwiseScores {
  predicted: number;
  truePositives: number;
  truePairs: number;
  precision: number;
  recall: number;
  f1: number;
}

export function pairwiseScores(
  predicted: Iterable<[string, string]>,
  truth: Map<string, string>,
  sideOf?: Map<string, number>,
): PairwiseScores {
  let count = 0;
  let truePositives = 0;
  const seen = new Set<string>();
  for (const [a, b] of predicted) {
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    count++;
    const ea = truth.get(a);
    if (ea !== undefined && ea === truth.get(b)) truePositives++;
  }
  // True pairs: per entity, all pairs of its records (or left × right when linking two inputs).
  const members = new Map<string, [number, number]>();
  for (const [record, entity] of truth) {
    const counts = members.get(entity) ?? [0, 0];
    counts[sideOf?.get(record) ?? 0]!++;
    members.set(entity, counts);
  }
  let truePairs = 0;
  for (const [l, r] of members.values()) truePairs += sideOf ? l * r : (l * (l - 1)) / 2;
  const precision = count === 0 ? 1 : truePositives / count;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  return {
    predicted: count,
    truePositives,
    truePairs,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

/**
 * Pairwise precision and recall of entities (clusters) rather than links: two records are predicted to be
 * one person when they are in one entity, which is what the system stores as a child. A pair joined through
 * a third record counts, as it does for the child.
 */
export function clusterScores(
  entity: Int32Array,
  ids: readonly string[],
  truth: Map<string, string>,
): { precision: number; recall: number; entities: number } {
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const count = <K>(keys: Iterable<K>) => {
    const counts = new Map<K, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    return counts;
  };
  const named = ids.flatMap((id, i) => (truth.has(id) ? [i] : []));
  const sum = (counts: Map<unknown, number>) => [...counts.values()].reduce((s, n) => s + pairs(n), 0);
  const predicted = sum(count(named.map((i) => entity[i]!)));
  const both = sum(count(named.map((i) => `${entity[i]!}\u0000${truth.get(ids[i]!)}`)));
  const actual = sum(count(named.map((i) => truth.get(ids[i]!)!)));
  return {
    precision: predicted === 0 ? 1 : both / predicted,
    recall: actual === 0 ? 1 : both / actual,
    entities: new Set(entity).size,
  };
}

/** truth.csv as written by `whereabouts linkage people`: record id → entity. */
export function readTruth(file: string): Map<string, string> {
  const rows = parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
  return new Map(rows.map((row) => [row.id!, row.entity!]));
}

/** Every pair of records holding the same value (the exact-identifier join a model is compared with). */
export function pairsSharingValue(
  ids: readonly string[],
  values: readonly (string | null)[],
): [string, string][] {
  const byValue = new Map<string, string[]>();
  values.forEach((value, i) => {
    if (value !== null) byValue.set(value, [...(byValue.get(value) ?? []), ids[i]!]);
  });
  const pairs: [string, string][] = [];
  for (const group of byValue.values()) {
    for (let a = 0; a < group.length; a++)
      for (let b = a + 1; b < group.length; b++) pairs.push([group[a]!, group[b]!]);
  }
  return pairs;
}

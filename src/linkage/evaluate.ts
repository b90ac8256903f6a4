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

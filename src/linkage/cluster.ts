/**
 * Entities from linked pairs: connected components, built strongest link first, with guards — a cluster
 * never holds two incompatible values of a unique identifier (two ORR ids; two A-numbers more than one
 * keying error apart). A link that would join two such clusters is refused; since links are taken strongest
 * first, the refused one is the weakest link on the path, which is where a cluster that chained two people
 * together is split. Records a person decided are different are kept apart the same way.
 */
export interface Clusters {
  /** Entity number of each record, 0..entities-1. */
  entity: Int32Array;
  entities: number;
  /** Links refused by the guards. */
  refused: number;
}

/** A unique identifier's value per record, and which two values one entity may hold (default: equal). */
export interface UniqueGuard {
  values: readonly (string | null)[];
  compatible?: (a: string, b: string) => boolean;
}

export function clusterLinks(
  records: number,
  left: Int32Array,
  right: Int32Array,
  weight: Float64Array,
  isLink: (pair: number) => boolean,
  guards: readonly UniqueGuard[],
  /** Pairs of records a person decided are not the same: never in one entity. */
  apart: readonly (readonly [number, number])[] = [],
): Clusters {
  const parent = new Int32Array(records);
  for (let i = 0; i < records; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!; // path halving
      i = parent[i]!;
    }
    return i;
  };
  // The distinct values of each guard a cluster holds, indexed by its root (null: none); merged on union.
  const held = guards.map(({ values }) => values.map((value) => (value === null ? null : [value])));
  const fits = (a: number, b: number) =>
    guards.every(({ compatible }, g) => {
      const [xs, ys] = [held[g]![a], held[g]![b]];
      if (!xs || !ys) return true;
      for (const x of xs) for (const y of ys) if (x !== y && !compatible?.(x, y)) return false;
      return true;
    });
  // The records each cluster must not be joined with, indexed by its root; merged on union.
  const avoid = new Map<number, number[]>();
  for (const [a, b] of apart) {
    avoid.set(a, [...(avoid.get(a) ?? []), b]);
    avoid.set(b, [...(avoid.get(b) ?? []), a]);
  }
  const keptApart = (a: number, b: number) =>
    avoid.size > 0 &&
    ((avoid.get(a) ?? []).some((x) => find(x) === b) || (avoid.get(b) ?? []).some((x) => find(x) === a));
  const links: number[] = [];
  for (let p = 0; p < left.length; p++) if (isLink(p)) links.push(p);
  links.sort((a, b) => weight[b]! - weight[a]!);
  let refused = 0;
  for (const p of links) {
    const a = find(left[p]!);
    const b = find(right[p]!);
    if (a === b) continue;
    if (!fits(a, b) || keptApart(a, b)) {
      refused++;
      continue;
    }
    parent[b] = a;
    for (const values of held) {
      const [into, from] = [values[a], values[b]];
      if (!from) continue;
      if (!into) values[a] = from;
      else for (const value of from) if (!into.includes(value)) into.push(value);
    }
    if (avoid.has(b)) avoid.set(a, [...(avoid.get(a) ?? []), ...avoid.get(b)!]);
  }
  const entity = new Int32Array(records);
  const numberOfRoot = new Int32Array(records).fill(-1);
  let entities = 0;
  for (let i = 0; i < records; i++) {
    const root = find(i);
    if (numberOfRoot[root] === -1) numberOfRoot[root] = entities++;
    entity[i] = numberOfRoot[root]!;
  }
  return { entity, entities, refused };
}

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
  // The distinct values of each guard a cluster holds, indexed by its root; merged on union.
  const held = guards.map(({ values }) => values.map((value) => (value === null ? [] : [value])));
  const fits = guards.map(({ compatible }, g) => (a: number, b: number) => {
    for (const x of held[g]![a]!) {
      for (const y of held[g]![b]!) if (x !== y && !compatible?.(x, y)) return false;
    }
    return true;
  });
  // The records each cluster must not be joined with, indexed by its root; merged on union.
  const avoid = new Map<number, number[]>();
  for (const [a, b] of apart) {
    avoid.set(a, [...(avoid.get(a) ?? []), b]);
    avoid.set(b, [...(avoid.get(b) ?? []), a]);
  }
  const keptApart = (a: number, b: number) =>
    (avoid.get(a) ?? []).some((x) => find(x) === b) || (avoid.get(b) ?? []).some((x) => find(x) === a);
  const links: number[] = [];
  for (let p = 0; p < left.length; p++) if (isLink(p)) links.push(p);
  links.sort((a, b) => weight[b]! - weight[a]!);
  let refused = 0;
  for (const p of links) {
    const a = find(left[p]!);
    const b = find(right[p]!);
    if (a === b) continue;
    if (!fits.every((allows) => allows(a, b)) || keptApart(a, b)) {
      refused++;
      continue;
    }
    parent[b] = a;
    for (const values of held) {
      for (const value of values[b]!) if (!values[a]!.includes(value)) values[a]!.push(value);
    }
    if (avoid.has(b)) avoid.set(a, [...(avoid.get(a) ?? []), ...avoid.get(b)!]);
  }
  const entity = new Int32Array(records);
  const numbering = new Map<number, number>();
  for (let i = 0; i < records; i++) {
    const root = find(i);
    let id = numbering.get(root);
    if (id === undefined) {
      id = numbering.size;
      numbering.set(root, id);
    }
    entity[i] = id;
  }
  return { entity, entities: numbering.size, refused };
}

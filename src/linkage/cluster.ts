/**
 * Entities from linked pairs: connected components, built strongest link first, with a guard — a cluster
 * never holds two different values of a unique identifier (two A-numbers, two ORR ids). A link that would
 * join two such clusters is refused; since links are taken strongest first, the refused one is the weakest
 * link on the path, which is where a cluster that chained two people together is split.
 */
export interface Clusters {
  /** Entity number of each record, 0..entities-1. */
  entity: Int32Array;
  entities: number;
  /** Links refused by the guard. */
  refused: number;
}

export function clusterLinks(
  records: number,
  left: Int32Array,
  right: Int32Array,
  weight: Float64Array,
  isLink: (pair: number) => boolean,
  unique: readonly (readonly (string | null)[])[],
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
  // The unique values each cluster holds, indexed by its root; copied on union.
  const held = unique.map((values) => [...values]);
  const links: number[] = [];
  for (let p = 0; p < left.length; p++) if (isLink(p)) links.push(p);
  links.sort((a, b) => weight[b]! - weight[a]!);
  let refused = 0;
  for (const p of links) {
    const a = find(left[p]!);
    const b = find(right[p]!);
    if (a === b) continue;
    if (held.some((values) => values[a] !== null && values[b] !== null && values[a] !== values[b])) {
      refused++;
      continue;
    }
    parent[b] = a;
    for (const values of held) if (values[a] === null) values[a] = values[b]!;
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

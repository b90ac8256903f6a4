import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseChildren } from './relink';

/** The rule as first written, with maps: entities largest first, each the child most of it had and no larger took. */
function chosenWithMaps(entity: number[], childOf: number[]) {
  const members = new Map<number, number[]>();
  entity.forEach((e, i) => {
    members.set(e, [...(members.get(e) ?? []), i]);
  });
  const childOfEntity = new Map<number, number>();
  const claimed = new Set<number>();
  const needsChild: number[] = [];
  for (const [e, list] of [...members].sort((a, b) => b[1].length - a[1].length)) {
    const votes = new Map<number, number>();
    for (const i of list) votes.set(childOf[i]!, (votes.get(childOf[i]!) ?? 0) + 1);
    let best: number | undefined;
    let most = 0;
    for (const [child, n] of votes)
      if (!claimed.has(child) && (n > most || (n === most && child < best!))) {
        best = child;
        most = n;
      }
    if (best === undefined) needsChild.push(e);
    else {
      childOfEntity.set(e, best);
      claimed.add(best);
    }
  }
  return { childOfEntity, needsChild, firstMember: (e: number) => members.get(e)![0]! };
}

describe('the children a whole-store link keeps', () => {
  it('gives each entity the child most of its identities had and no larger entity took, as the maps did', () => {
    // Entities numbered in order of first appearance, as the clustering numbers them.
    const identities = fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 6 })), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(identities, (drawn) => {
        const numberOf = new Map<number, number>();
        const entity = drawn.map(([group]) => {
          if (!numberOf.has(group)) numberOf.set(group, numberOf.size);
          return numberOf.get(group)!;
        });
        const childOf = drawn.map(([, child]) => child * 1_000_003); // ids beyond the small integers
        const expected = chosenWithMaps(entity, childOf);
        const chosen = chooseChildren({ entity: Int32Array.from(entity), entities: numberOf.size }, childOf);
        expect(chosen.needsChild).toEqual(expected.needsChild);
        for (let e = 0; e < numberOf.size; e++) {
          expect(chosen.childOfEntity[e]).toBe(expected.childOfEntity.get(e) ?? -1);
          expect(chosen.firstMember(e)).toBe(expected.firstMember(e));
        }
      }),
    );
  });
});

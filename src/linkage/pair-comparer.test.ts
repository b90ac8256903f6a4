import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparatorFor } from './comparators';
import type { Dataset } from './dataset';
import { internColumn } from './dataset';
import { type ComparedField, type ComparerState, PairComparer } from './pair-comparer';

const FIELDS: ComparedField[] = [
  { column: 'given', type: 'name' },
  { column: 'surnames', type: 'surname' },
  { column: 'dob', type: 'date' },
  { column: 'a_number', type: 'identifier' },
  { column: 'sex', type: 'exact' },
];

// Few values each, so identical values, repeated pairs and values that fold to nothing ('-', 'DE') all occur.
const POOLS: Record<string, (string | null)[]> = {
  given: ['MARIA', 'María', 'MARIA JOSE', 'JOSE MARIA', 'XIMENA', 'JIMENA', 'H', '-', '', null],
  surnames: ['GARCIA LOPEZ', 'LOPEZ GARCIA', 'GARCIA', 'GARSIA', 'DE LA CRUZ', 'CRUZ', 'DE', '  ', null],
  dob: ['2010-03-04', '2010-04-03', '2011-03-04', 'not a date', null],
  a_number: ['012345678', 'A-012-345-678', '012345687', '999', 'A', null],
  sex: ['F', 'M', ' ', null],
};

describe('PairComparer', () => {
  it('gives every pair the level its fields’ comparators give it', () => {
    const record = fc.record(
      Object.fromEntries(Object.entries(POOLS).map(([column, pool]) => [column, fc.constantFrom(...pool)])),
    );
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 200 }),
        (records, ends) => {
          const data: Dataset = {
            ids: records.map((_, i) => String(i)),
            side: new Uint8Array(records.length),
            values: new Map(FIELDS.map(({ column }) => [column, records.map((r) => r[column] ?? null)])),
          };
          const left = Int32Array.from(ends, ([a]) => a % records.length);
          const right = Int32Array.from(ends, ([, b]) => b % records.length);
          // Twice over the same pairs: the second pass answers from the comparer's caches.
          const comparer = PairComparer.of(data, FIELDS);
          for (const { levels } of [comparer.compare(left, right), comparer.compare(left, right)])
            FIELDS.forEach(({ column, type }, f) => {
              const comparator = comparatorFor(type, column);
              const values = data.values.get(column)!;
              for (let p = 0; p < left.length; p++)
                expect(levels[p * FIELDS.length + f]).toBe(
                  comparator.compare(values[left[p]!]!, values[right[p]!]!),
                );
            });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('continues a previous comparer’s work on fields whose values only grew, and starts afresh on the others, interned or uncached', () => {
    const record = fc.record(
      Object.fromEntries(Object.entries(POOLS).map(([column, pool]) => [column, fc.constantFrom(...pool)])),
    );
    const batch = fc.tuple(
      fc.array(record, { minLength: 1, maxLength: 20 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 100 }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(fc.array(batch, { minLength: 2, maxLength: 4 }), (batches) => {
        // Names numbered for the life of the run (one list each, appended to), the other fields for each batch.
        const kept = new Map(['given', 'surnames'].map((column) => [column, new Map<string, number>()]));
        const lists = new Map(['given', 'surnames'].map((column) => [column, [] as string[]]));
        let previous: PairComparer | undefined;
        for (const [records, ends, uncached] of batches) {
          const state: ComparerState = { fields: FIELDS, ids: [], distinct: [], uncached: [] };
          for (const { column } of FIELDS) {
            const values = records.map((r) => r[column] ?? null);
            const numberOf = kept.get(column);
            state.uncached!.push(!numberOf && uncached);
            if (!numberOf && uncached) {
              // Each record's value its own, as the identity index gives identifiers.
              state.ids.push(Int32Array.from(values, (value, i) => (value === null ? -1 : i)));
              state.distinct.push(values as string[]);
              continue;
            }
            if (!numberOf) {
              const interned = internColumn(values);
              state.ids.push(interned.ids);
              state.distinct.push(interned.distinct);
              continue;
            }
            const list = lists.get(column)!;
            const number = (value: string) => {
              if (!numberOf.has(value)) numberOf.set(value, list.push(value) - 1);
              return numberOf.get(value)!;
            };
            state.ids.push(Int32Array.from(values, (value) => (value === null ? -1 : number(value))));
            state.distinct.push(list);
          }
          const left = Int32Array.from(ends, ([a]) => a % records.length);
          const right = Int32Array.from(ends, ([, b]) => b % records.length);
          previous = new PairComparer(state, previous);
          const { levels } = previous.compare(left, right);
          FIELDS.forEach(({ column, type }, f) => {
            const comparator = comparatorFor(type, column);
            for (let p = 0; p < left.length; p++)
              expect(levels[p * FIELDS.length + f]).toBe(
                comparator.compare(records[left[p]!]![column] ?? null, records[right[p]!]![column] ?? null),
              );
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockPairs,
  pairsUnderRule,
  ruleKeyHashes,
  ruleKeys,
  ruleMatchers,
  samplePairsUnderRule,
} from './blocking';
import type { Dataset } from './dataset';

const dataset = (columns: Record<string, (string | null)[]>): Dataset => {
  const n = Object.values(columns)[0]!.length;
  return {
    ids: Array.from({ length: n }, (_, i) => `r${i}`),
    side: new Uint8Array(n),
    values: new Map(Object.entries(columns)),
  };
};

const found = (pairs: { left: Int32Array; right: Int32Array; count: number }) =>
  Array.from({ length: pairs.count }, (_, p) => `${pairs.left[p]}-${pairs.right[p]}`).sort();

describe('blocking rules that stay small', () => {
  it('derives the birth year, month and day, and the halves of an A-number', () => {
    const data = dataset({
      dob: ['2008-03-04', '2009-03-04', '2008-05-06', null],
      a: ['200123456', '200123465', '912123456', '12'],
    });
    expect(found(blockPairs(data, [['year:dob']], { crossOnly: false, maxBlockSize: 10 }))).toEqual(['0-2']);
    expect(found(blockPairs(data, [['monthday:dob']], { crossOnly: false, maxBlockSize: 10 }))).toEqual([
      '0-1',
    ]);
    // Two swapped neighbouring digits at the end leave the head; a changed first digit leaves the tail.
    expect(found(blockPairs(data, [['head:a']], { crossOnly: false, maxBlockSize: 10 }))).toEqual(['0-1']);
    expect(found(blockPairs(data, [['tail:a']], { crossOnly: false, maxBlockSize: 10 }))).toEqual(['0-2']);
  });

  it('keys a birth date by its month or day alone, and by month and day in either order', () => {
    // 0 and 1: day and month swapped; 0 and 2: the day mistyped; 0 and 3: the month mistyped.
    const data = dataset({ dob: ['2008-03-07', '2008-07-03', '2008-03-09', '2008-05-07', null] });
    const under = (rule: string[]) => found(blockPairs(data, [rule], { crossOnly: false, maxBlockSize: 10 }));
    expect(under(['year:dob', 'month:dob'])).toEqual(['0-2']);
    expect(under(['year:dob', 'day:dob'])).toEqual(['0-3']);
    expect(under(['year:dob', 'dayset:dob'])).toEqual(['0-1']);
  });

  it('a swapped day and month keep the dayset key, whatever the date', () => {
    const rule = [['dayset:dob']];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (month, day) => {
        const two = (n: number) => String(n).padStart(2, '0');
        const data = dataset({ dob: [`2010-${two(month)}-${two(day)}`, `2010-${two(day)}-${two(month)}`] });
        return found(blockPairs(data, rule, { crossOnly: false, maxBlockSize: 10 })).length === 1;
      }),
    );
  });

  it('a fallback rule pairs only records lacking the named columns, with everyone in their block', () => {
    const data = dataset({
      name: ['ANA', 'ANA', 'ANA', 'ANA', 'LUIS'],
      dob: ['2008-01-01', '2009-01-01', null, null, null],
    });
    const rule = ['name', 'missing:dob'];
    const pairs = blockPairs(data, [rule], { crossOnly: false, maxBlockSize: 10 });
    // 0-1 both have a birth date: not paired. 2 and 3 lack one: each with every ANA, 2-3 once.
    expect(found(pairs)).toEqual(['0-2', '0-3', '1-2', '1-3', '2-3']);
    expect(pairsUnderRule(data, rule)).toBe(5);
    expect(pairsUnderRule(data, ['name'])).toBe(6);
    // A later rule does not repeat a pair the fallback found, and does find the others.
    const both = blockPairs(data, [rule, ['name']], { crossOnly: false, maxBlockSize: 10 });
    expect(both.rules.map((r) => r.pairs)).toEqual([5, 1]);
  });

  it('samples pairs of a rule from its blocks, in proportion to their pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A', 'B', 'C', null), { minLength: 2, maxLength: 40 }), (keys) => {
        const data = dataset({ k: keys });
        const total = pairsUnderRule(data, ['k']);
        let state = 7;
        const draw = () => {
          state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
          return state / 2 ** 31;
        };
        const sample = samplePairsUnderRule(data, ['k'], 50, { maxBlockSize: 100, draw });
        if (total === 0) return sample.left.length === 0;
        for (let p = 0; p < 50; p++) {
          const [i, j] = [sample.left[p]!, sample.right[p]!];
          if (!(i < j) || keys[i] === null || keys[i] !== keys[j]) return false;
        }
        return true;
      }),
    );
  });

  it('numbers a rule’s keys as its joined key texts would be, in order of first appearance', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'ab', 'ba'), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 60 }),
        fc.constantFrom<string[]>(['x'], ['x', 'y'], ['y', 'x', 'z'], ['x', 'missing:z'], ['missing:z']),
        (rows, rule) => {
          const data = dataset({
            x: rows.map((r) => r[0]),
            y: rows.map((r) => r[1]),
            z: rows.map((r) => r[2]),
          });
          const numbered = new Map<string, number>();
          const expected = ruleKeys(data, rule).map((key) => {
            if (key === null) return -1;
            if (!numbered.has(key)) numbered.set(key, numbered.size);
            return numbered.get(key)!;
          });
          expect([...ruleMatchers(data, [rule])[0]!.ids]).toEqual(expected);
        },
      ),
    );
  });

  it('hashes two records’ keys under a rule alike exactly when their key texts are equal', () => {
    // Short values that run together ("a" + "ba" against "ab" + "a"), and the same values under another seed.
    const value = fc.option(fc.constantFrom('a', 'b', 'ab', 'ba', 'aba', ''), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 60 }),
        fc.constantFrom<string[]>(['x'], ['x', 'y'], ['y', 'x', 'z'], ['x', 'missing:z']),
        fc.integer({ min: 0, max: 40 }),
        (rows, rule, seed) => {
          const data = dataset({
            x: rows.map((r) => r[0]),
            y: rows.map((r) => r[1]),
            z: rows.map((r) => r[2]),
          });
          const texts = ruleKeys(data, rule);
          const hashes = ruleKeyHashes(data, rule, seed);
          const other = ruleKeyHashes(data, rule, seed + 1);
          const hashOf = (h: typeof hashes, i: number) => (h.present[i] ? `${h.high[i]}/${h.low[i]}` : null);
          for (let i = 0; i < rows.length; i++) {
            expect(hashes.present[i] === 1).toBe(texts[i] !== null);
            if (texts[i] !== null) expect(hashOf(other, i)).not.toBe(hashOf(hashes, i));
            for (let j = 0; j < i; j++)
              if (texts[i] !== null && texts[j] !== null)
                expect(hashOf(hashes, i) === hashOf(hashes, j)).toBe(texts[i] === texts[j]);
          }
        },
      ),
    );
  });
});

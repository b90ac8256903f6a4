import { AppError } from '../shared/errors';
import type { Dataset } from './dataset';
import { phoneticCode } from './phonetic';

/**
 * Blocking: only records that agree on some rule's key are compared. A rule is a list of terms, each a
 * column ("dob") or a derived key of one ("phonetic:surname" — the Spanish phonetic code of the first
 * token, "year:dob", "initial:given"). Rules are unioned: a pair found by an earlier rule is not generated
 * again by a later one (checked by comparing the earlier rules' keys, so no set of pairs is kept).
 */
export type BlockingRule = string[];

export interface CandidatePairs {
  left: Int32Array;
  right: Int32Array;
  count: number;
  /** Per rule: the pairs it added (they sit at [first, first + pairs) in left/right) and the blocks it skipped. */
  rules: {
    rule: string;
    terms: string[];
    first: number;
    pairs: number;
    skippedBlocks: number;
    skippedRecords: number;
  }[];
}

const DERIVED: Record<string, (value: string) => string> = {
  phonetic: (value) => phoneticCode(value.split(' ', 1)[0]!),
  year: (value) => value.slice(0, 4),
  initial: (value) => value.slice(0, 1),
};

// A term's values are derived once per dataset: the automatic choice of rules and every EM session ask for
// the same terms again.
const derivedTerms = new WeakMap<Dataset, Map<string, (string | null)[]>>();

function termValues(data: Dataset, term: string): (string | null)[] {
  let cache = derivedTerms.get(data);
  if (!cache) {
    cache = new Map();
    derivedTerms.set(data, cache);
  }
  let values = cache.get(term);
  if (!values) {
    values = deriveTerm(data, term);
    cache.set(term, values);
  }
  return values;
}

/** A blocking term's column and derivation ("phonetic:surnames"); a problem is named in `problem`. */
export function parseTerm(term: string): {
  column: string;
  derive?: (value: string) => string;
  problem?: string;
} {
  if (!term.includes(':')) return { column: term };
  const [fn, column] = term.split(':', 2) as [string, string];
  const derive = DERIVED[fn];
  if (!derive) return { column, problem: `${fn} is not one of ${Object.keys(DERIVED).join(', ')}` };
  return { column, derive };
}

function deriveTerm(data: Dataset, term: string): (string | null)[] {
  const { column, derive, problem } = parseTerm(term);
  if (problem) throw new AppError('input_invalid', `blocking: ${problem}`);
  const values = data.values.get(column);
  if (!values) throw new AppError('input_invalid', `blocking: ${column} is not one of the fields`);
  if (!derive) return values;
  return values.map((value) => (value === null ? null : derive(value) || null));
}

/** Each record's key under a rule; null when any term is missing (the record is not blocked by it). */
export function ruleKeys(data: Dataset, rule: BlockingRule): (string | null)[] {
  const terms = rule.map((term) => termValues(data, term));
  const keys: (string | null)[] = new Array(data.ids.length);
  for (let i = 0; i < keys.length; i++) {
    let key = '';
    for (let t = 0; t < terms.length; t++) {
      const value = terms[t]![i];
      if (value === null || value === undefined) {
        key = '\u0000';
        break;
      }
      key = t === 0 ? value : `${key}\u0001${value}`;
    }
    keys[i] = key === '\u0000' ? null : key;
  }
  return keys;
}

function groupsOf(keys: (string | null)[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === null || key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  return groups;
}

/** How many pairs a rule would generate (within-block pairs, before the union). */
export function pairsUnderRule(keys: (string | null)[]): number {
  let pairs = 0;
  for (const group of groupsOf(keys).values()) pairs += (group.length * (group.length - 1)) / 2;
  return pairs;
}

/**
 * Candidate pairs under the rules. With `crossOnly` (linking two inputs) a pair joins a left and a right
 * record. A block larger than `maxBlockSize` is skipped and counted: its records are compared only where
 * another rule brings them together.
 */
export function blockPairs(
  data: Dataset,
  rules: BlockingRule[],
  options: {
    crossOnly: boolean;
    maxBlockSize: number;
    /** Keep only pairs with a record on this side: new records against a store, and among themselves. */
    touching?: number;
  },
): CandidatePairs {
  const touching = options.touching;
  let left = new Int32Array(1 << 16);
  let right = new Int32Array(1 << 16);
  let count = 0;
  const push = (i: number, j: number) => {
    if (count === left.length) {
      const grownLeft = new Int32Array(left.length * 2);
      grownLeft.set(left);
      left = grownLeft;
      const grownRight = new Int32Array(right.length * 2);
      grownRight.set(right);
      right = grownRight;
    }
    left[count] = i;
    right[count] = j;
    count++;
  };
  const earlier: (string | null)[][] = [];
  const report: CandidatePairs['rules'] = [];
  for (const rule of rules) {
    const keys = ruleKeys(data, rule);
    const first = count;
    let pairs = 0;
    let skippedBlocks = 0;
    let skippedRecords = 0;
    for (const group of groupsOf(keys).values()) {
      if (group.length < 2) continue;
      if (group.length > options.maxBlockSize) {
        skippedBlocks++;
        skippedRecords += group.length;
        continue;
      }
      for (let a = 0; a < group.length; a++) {
        const i = group[a]!;
        for (let b = a + 1; b < group.length; b++) {
          const j = group[b]!;
          if (options.crossOnly && data.side[i] === data.side[j]) continue;
          if (touching !== undefined && data.side[i] !== touching && data.side[j] !== touching) continue;
          if (earlier.some((k) => k[i] !== null && k[i] === k[j])) continue;
          push(i, j);
          pairs++;
        }
      }
    }
    earlier.push(keys);
    report.push({ rule: rule.join(' & '), terms: rule, first, pairs, skippedBlocks, skippedRecords });
  }
  return { left: left.subarray(0, count), right: right.subarray(0, count), count, rules: report };
}

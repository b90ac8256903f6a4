import { AppError } from '../shared/errors';
import { type Dataset, groupByNumber, internColumn } from './dataset';
import { phoneticCode } from './phonetic';

/**
 * Blocking: only records that agree on some rule's key are compared. A rule is a list of terms, each a
 * column ("dob") or a derived key of one ("phonetic:surname" — the Spanish phonetic code of the first
 * token, "year:dob", "monthday:dob", "initial:given", "head:a_number" and "tail:a_number" — the first and
 * last four characters, so that one wrong or two swapped neighbouring digits of a nine-digit number leave
 * one of them intact). Rules are unioned: a pair found by an earlier rule is not generated again by a later
 * one (checked by comparing the earlier rules' keys, so no set of pairs is kept).
 *
 * A term "missing:column" makes a fallback rule for records that lack that column: the rule's other terms
 * form the key, and a pair is formed only when one of its records lacks every column named by a missing
 * term. Such a rule costs the records lacking the value times their blocks, not the square of the blocks:
 * records with a birth date block on names and birth year, and the few without one on names alone.
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
  monthday: (value) => value.slice(5),
  month: (value) => value.slice(5, 7),
  day: (value) => value.slice(8, 10),
  // Month and day in either order: a date whose day and month were swapped keeps its key.
  dayset: (value) => {
    const [month, day] = [value.slice(5, 7), value.slice(8, 10)];
    return month < day ? `${month}${day}` : `${day}${month}`;
  },
  initial: (value) => value.slice(0, 1),
  head: (value) => (value.length >= 8 ? value.slice(0, 4) : ''),
  tail: (value) => (value.length >= 8 ? value.slice(-4) : ''),
};

/** The term that marks a fallback rule (see above); it names a column but makes no key. */
const MISSING = 'missing';

// A term's values, and a rule's keys, are derived once per dataset: the automatic choice of rules, the
// blocking and every EM session ask for the same ones again.
const derivedTerms = new WeakMap<Dataset, Map<string, (string | null)[]>>();
const ruleKeyIdCache = new WeakMap<Dataset, Map<string, RuleKeyIds>>();
const termIdCache = new WeakMap<Dataset, Map<string, { ids: Int32Array; size: number }>>();
const termHashCache = new WeakMap<
  Dataset,
  Map<string, { high: Int32Array; low: Int32Array; present: Uint8Array }>
>();

function cached<T>(store: WeakMap<Dataset, Map<string, T>>, data: Dataset, key: string, make: () => T): T {
  let cache = store.get(data);
  if (!cache) {
    cache = new Map();
    store.set(data, cache);
  }
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function termValues(data: Dataset, term: string): (string | null)[] {
  return cached(derivedTerms, data, term, () => deriveTerm(data, term));
}

/** A blocking term's column and derivation ("phonetic:surnames"); a problem is named in `problem`. */
export function parseTerm(term: string): {
  column: string;
  derive?: (value: string) => string;
  /** A "missing:column" term: it restricts the rule's pairs instead of keying them. */
  missing?: boolean;
  problem?: string;
} {
  if (!term.includes(':')) return { column: term };
  const [fn, column] = term.split(':', 2) as [string, string];
  if (fn === MISSING) return { column, missing: true };
  const derive = DERIVED[fn];
  if (!derive)
    return { column, problem: `${fn} is not one of ${[...Object.keys(DERIVED), MISSING].join(', ')}` };
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

/** A rule's key terms and the columns its "missing:" terms name. */
export function splitRule(rule: BlockingRule): { keyTerms: string[]; missing: string[] } {
  const keyTerms: string[] = [];
  const missing: string[] = [];
  for (const term of rule) {
    const parsed = parseTerm(term);
    if (parsed.missing) missing.push(parsed.column);
    else keyTerms.push(term);
  }
  return { keyTerms, missing };
}

/**
 * Records that lack every column a fallback rule's "missing:" terms name (they seek partners under it);
 * undefined for an ordinary rule.
 */
export function seekersOf(data: Dataset, rule: BlockingRule): Uint8Array | undefined {
  const { missing } = splitRule(rule);
  if (missing.length === 0) return undefined;
  const columns = missing.map((column) => termValues(data, column));
  const seekers = new Uint8Array(data.ids.length);
  for (let i = 0; i < seekers.length; i++) seekers[i] = columns.every((values) => values[i] === null) ? 1 : 0;
  return seekers;
}

/**
 * Each record's key under a rule as text (its key terms joined); null when any term is missing (not blocked by
 * it). The plain definition that `ruleKeyIds` numbers and `ruleKeyHashes` hashes; their tests hold them to it.
 */
export function ruleKeys(data: Dataset, rule: BlockingRule): (string | null)[] {
  const terms = splitRule(rule).keyTerms.map((term) => termValues(data, term));
  const keys: (string | null)[] = new Array(data.ids.length);
  for (let i = 0; i < keys.length; i++) {
    let key: string | null = '';
    for (let t = 0; t < terms.length; t++) {
      const value = terms[t]![i];
      if (value === null || value === undefined) {
        key = null;
        break;
      }
      key = t === 0 ? value : `${key}\u0001${value}`;
    }
    keys[i] = key;
  }
  return keys;
}

/**
 * Each record's key under a rule as a 64-bit hash in two 32-bit halves, or `present` 0 where it has none: made
 * from its key terms' hashes (`termHashes`), without joining the values into a string per record and rule.
 * `seed` tells keys of different rules (or kinds) apart. For an index of keys that outlives any one dataset
 * (src/identity), where the small integers of `ruleKeyIds` would mean nothing.
 */
export function ruleKeyHashes(
  data: Dataset,
  rule: BlockingRule,
  seed: number,
): { high: Int32Array; low: Int32Array; present: Uint8Array } {
  const terms = splitRule(rule).keyTerms.map((term) => termHashes(data, term));
  const n = data.ids.length;
  const high = new Int32Array(n);
  const low = new Int32Array(n);
  const present = new Uint8Array(n);
  records: for (let i = 0; i < n; i++) {
    let a = mix32(0x2545f491 ^ seed);
    let b = mix32(0x61c88647 ^ seed);
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      if (term.present[i] === 0) continue records;
      a = mix32(a ^ term.high[i]!);
      b = mix32(b ^ term.low[i]!);
    }
    high[i] = a;
    low[i] = b;
    present[i] = 1;
  }
  return { high, low, present };
}

/** Each record's value of a term hashed by two independent 32-bit hashes (FNV-1a and a multiply-xorshift). */
function termHashes(data: Dataset, term: string) {
  return cached(termHashCache, data, term, () => {
    const values = termValues(data, term);
    const high = new Int32Array(values.length);
    const low = new Int32Array(values.length);
    const present = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      let a = 0x811c9dc5;
      let b = 0x9747b28c;
      for (let c = 0; c < value.length; c++) {
        const code = value.charCodeAt(c);
        a = Math.imul(a ^ code, 0x01000193);
        b = Math.imul(b ^ code, 0x5bd1e995);
        b ^= b >>> 15;
      }
      high[i] = mix32(a ^ value.length);
      low[i] = mix32(b ^ value.length);
      present[i] = 1;
    }
    return { high, low, present };
  });
}

/** MurmurHash3's finishing mix: every bit of the input moves every bit of the output. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * A rule's keys as small integers (-1: not blocked), with the records grouped by key: block b's records
 * are members[start[b] .. start[b + 1]), in ascending order. Integer keys make the check "did an earlier
 * rule find this pair" a comparison of two numbers.
 */
interface RuleKeyIds {
  ids: Int32Array;
  start: Int32Array;
  members: Int32Array;
}

function ruleKeyIds(data: Dataset, rule: BlockingRule): RuleKeyIds {
  return cached(ruleKeyIdCache, data, splitRule(rule).keyTerms.join('\u0002'), () => {
    // A key is its terms' values together: each term's values numbered once, a rule's key numbered from its
    // terms' numbers, term by term. The same ids as numbering the joined strings (in order of first appearance),
    // without building and hashing a string per record and rule.
    const [first, ...rest] = splitRule(rule).keyTerms.map((term) => termIds(data, term));
    // A rule of "missing:" terms alone has one key, the same for everyone.
    let ids = first?.ids ?? new Int32Array(data.ids.length);
    let size = first?.size ?? Math.min(data.ids.length, 1);
    for (const term of rest) {
      const combined = new Int32Array(ids.length);
      const idOf = new Map<number, number>();
      for (let i = 0; i < ids.length; i++) {
        const a = ids[i]!;
        const b = term.ids[i]!;
        if (a < 0 || b < 0) {
          combined[i] = -1;
          continue;
        }
        const pair = a * term.size + b; // below 2^53: both are below the record count
        let id = idOf.get(pair);
        if (id === undefined) {
          id = idOf.size;
          idOf.set(pair, id);
        }
        combined[i] = id;
      }
      ids = combined;
      size = idOf.size;
    }
    return { ids, ...groupByNumber(ids, size) };
  });
}

/** A term's values numbered in order of first appearance (-1: missing), and how many distinct there are. */
function termIds(data: Dataset, term: string): { ids: Int32Array; size: number } {
  return cached(termIdCache, data, term, () => {
    const { ids, distinct } = internColumn(termValues(data, term));
    return { ids, size: distinct.length };
  });
}

/** How many pairs a rule would generate (within-block pairs, before the union). */
export function pairsUnderRule(data: Dataset, rule: BlockingRule): number {
  const { start, members } = ruleKeyIds(data, rule);
  const seekers = seekersOf(data, rule);
  let pairs = 0;
  for (let b = 0; b + 1 < start.length; b++) {
    const size = start[b + 1]! - start[b]!;
    if (!seekers) {
      pairs += (size * (size - 1)) / 2;
      continue;
    }
    let seeking = 0;
    for (let at = start[b]!; at < start[b + 1]!; at++) seeking += seekers[members[at]!]!;
    pairs += seeking * (size - 1) - (seeking * (seeking - 1)) / 2;
  }
  return pairs;
}

/**
 * Whether two records share a rule's key, for rules given by their key ids (and seekers, for a fallback
 * rule): the pairs an earlier rule already found.
 */
export function foundBy(rule: { ids: Int32Array; seekers?: Uint8Array }, i: number, j: number): boolean {
  const key = rule.ids[i]!;
  if (key < 0 || key !== rule.ids[j]) return false;
  return !rule.seekers || rule.seekers[i] === 1 || rule.seekers[j] === 1;
}

/** Each rule's key ids and seekers, for `foundBy`. */
export function ruleMatchers(data: Dataset, rules: BlockingRule[]) {
  return rules.map((rule) => ({ ids: ruleKeyIds(data, rule).ids, seekers: seekersOf(data, rule) }));
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
  const side = data.side;
  const matchers = ruleMatchers(data, rules);
  const report: CandidatePairs['rules'] = [];
  for (const [r, rule] of rules.entries()) {
    const { start, members } = ruleKeyIds(data, rule);
    const seekers = matchers[r]!.seekers;
    const earlier = matchers.slice(0, r);
    const first = count;
    let skippedBlocks = 0;
    let skippedRecords = 0;
    const consider = (i: number, j: number) => {
      if (options.crossOnly && side[i] === side[j]) return;
      if (touching !== undefined && side[i] !== touching && side[j] !== touching) return;
      for (const k of earlier) if (foundBy(k, i, j)) return;
      push(i, j);
    };
    for (let b = 0; b + 1 < start.length; b++) {
      const from = start[b]!;
      const to = start[b + 1]!;
      const size = to - from;
      if (size < 2) continue;
      if (size > options.maxBlockSize) {
        skippedBlocks++;
        skippedRecords += size;
        continue;
      }
      if (seekers) {
        // Each seeker with every other record of its block (another seeker once), in record order.
        for (let a = from; a < to; a++) {
          const s = members[a]!;
          if (seekers[s] === 0) continue;
          for (let c = from; c < to; c++) {
            const o = members[c]!;
            if (c === a || (c < a && seekers[o] === 1)) continue;
            if (c < a) consider(o, s);
            else consider(s, o);
          }
        }
        continue;
      }
      for (let a = from; a < to; a++) {
        const i = members[a]!;
        for (let c = a + 1; c < to; c++) consider(i, members[c]!);
      }
    }
    report.push({
      rule: rule.join(' & '),
      terms: rule,
      first,
      pairs: count - first,
      skippedBlocks,
      skippedRecords,
    });
  }
  return { left: left.subarray(0, count), right: right.subarray(0, count), count, rules: report };
}

/**
 * `count` pairs drawn at random, with replacement, from the pairs a rule would make (blocks above
 * `maxBlockSize` left out, as blocking leaves them), without making them all: a block is drawn in proportion
 * to its pairs, then two of its records. An EM session on a broad rule needs a sample, not every pair.
 */
export function samplePairsUnderRule(
  data: Dataset,
  rule: BlockingRule,
  count: number,
  options: { maxBlockSize: number; draw: () => number },
): { left: Int32Array; right: Int32Array } {
  const { start, members } = ruleKeyIds(data, rule);
  const blocks = start.length - 1;
  const cumulative = new Float64Array(blocks);
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const size = start[b + 1]! - start[b]!;
    if (size <= options.maxBlockSize) total += (size * (size - 1)) / 2;
    cumulative[b] = total;
  }
  if (total === 0) return { left: new Int32Array(0), right: new Int32Array(0) };
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    const target = options.draw() * total;
    let lo = 0;
    let hi = blocks - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    const from = start[lo]!;
    const size = start[lo + 1]! - from;
    const a = Math.floor(options.draw() * size);
    const b = (a + 1 + Math.floor(options.draw() * (size - 1))) % size;
    const i = members[from + a]!;
    const j = members[from + b]!;
    left[p] = Math.min(i, j);
    right[p] = Math.max(i, j);
  }
  return { left, right };
}

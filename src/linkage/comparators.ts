// Field comparators for the Fellegi–Sunter linkage model: the agreement levels the model estimates m- and
// u-probabilities for, graded from the string similarities of similarity.ts. These run for every candidate pair.
import { foldName, foldText, tokensOf } from './names';
import { phoneticCode } from './phonetic';
import { isDigit, jaroWinkler, jaroWinklerReaches } from './similarity';

// Token alignment: the best one-to-one pairing of the shorter side's tokens with the longer side's.
const MAX_DP_TOKENS = 8;
const pairScores = new Float64Array(MAX_DP_TOKENS * MAX_DP_TOKENS);
const bestByUsed = new Float64Array(1 << MAX_DP_TOKENS);

/**
 * Sum of the best assignment over scores[i * m + j] (n <= m rows to distinct columns): exact for
 * m <= 8 by dynamic programming over the set of columns used, greedy beyond (names never get there).
 */
function bestAssignment(scores: Float64Array, n: number, m: number): number {
  if (m > MAX_DP_TOKENS) {
    const used = new Uint8Array(m);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestJ = 0;
      for (let j = 0; j < m; j++) {
        const score = scores[i * m + j]!;
        if (used[j] === 0 && score > best) {
          best = score;
          bestJ = j;
        }
      }
      used[bestJ] = 1;
      total += best;
    }
    return total;
  }
  // bestByUsed[mask]: best total for the first popcount(mask) rows using exactly the columns in mask.
  const size = 1 << m;
  bestByUsed.fill(-1, 0, size);
  bestByUsed[0] = 0;
  let best = 0;
  for (let mask = 0; mask < size; mask++) {
    const sofar = bestByUsed[mask]!;
    if (sofar < 0) continue;
    let row = 0;
    for (let bits = mask; bits; bits &= bits - 1) row++;
    if (row === n) {
      if (sofar > best) best = sofar;
      continue;
    }
    for (let j = 0; j < m; j++) {
      if (mask & (1 << j)) continue;
      const next = mask | (1 << j);
      const total = sofar + scores[row * m + j]!;
      if (total > bestByUsed[next]!) bestByUsed[next] = total;
    }
  }
  return best;
}

/** Fills pairScores with score(shorter[i], longer[j]) and returns the best assignment's total. */
function alignTokens(shorter: string[], longer: string[], score: (x: string, y: string) => number): number {
  const n = shorter.length;
  const m = longer.length;
  const scores = m <= MAX_DP_TOKENS ? pairScores : new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) scores[i * m + j] = score(shorter[i]!, longer[j]!);
  }
  return bestAssignment(scores, n, m);
}

/** Same non-empty phonetic code (a token of silent letters, like H, has none and agrees with nothing). */
const sameCode = (x: string, y: string) => x !== '' && x === y;

const codeScore = (x: string, y: string) => (sameCode(x, y) ? 1 : 0);

/** Every token of the shorter side appears (as many times) among the longer side's. */
function containsTokens(longer: string[], shorter: string[]): boolean {
  const left = [...longer];
  for (const token of shorter) {
    const at = left.indexOf(token);
    if (at < 0) return false;
    left.splice(at, 1);
  }
  return true;
}

/**
 * A name as the name and surname comparators read it, made once per distinct value: folded (foldName), its
 * tokens with their phonetic codes, its letters without spaces, and its tokens in sorted order.
 */
export interface PreparedName {
  folded: string;
  tokens: string[];
  codes: string[];
  compact: string;
  sorted: string;
}

/** The prepared name, or undefined when folding leaves nothing (the value counts as missing). */
export function prepareName(value: string): PreparedName | undefined {
  const folded = foldName(value);
  if (folded === '') return undefined;
  const tokens = tokensOf(folded);
  const single = tokens.length === 1;
  return {
    folded,
    tokens,
    codes: tokens.map(phoneticCode),
    compact: single ? folded : tokens.join(''),
    sorted: single ? folded : [...tokens].sort().join(' '),
  };
}

export type SurnameAgreement = 'exact' | 'swapped' | 'subset' | 'fuzzy' | 'phonetic' | 'different';

/**
 * Compares surname fields that may hold one or two surnames (paternal and maternal, in either order, or
 * only one of them): GARCIA LOPEZ vs GARCIA LOPEZ is exact, vs LOPEZ GARCIA swapped, vs GARCIA subset;
 * otherwise fuzzy when the best pair of surnames (or the whole fields) reach Jaro–Winkler 0.92, phonetic
 * when any pair shares a Spanish phonetic key. Names are folded first (foldName), so DE LA CRUZ is CRUZ
 * and GARCÍA-LÓPEZ is GARCIA LOPEZ; fields that differ only in spacing are exact.
 */
export function compareSurnames(a: string, b: string): SurnameAgreement {
  const pa = prepareName(a);
  const pb = prepareName(b);
  return pa && pb ? comparePreparedSurnames(pa, pb) : 'different';
}

function comparePreparedSurnames(a: PreparedName, b: PreparedName): SurnameAgreement {
  if (a.folded === b.folded) return 'exact';
  if (a.tokens.length === 1 && b.tokens.length === 1) {
    if (jaroWinklerReaches(a.folded, b.folded, 0.92)) return 'fuzzy';
    return sameCode(a.codes[0]!, b.codes[0]!) ? 'phonetic' : 'different';
  }
  if (a.compact === b.compact) return 'exact';
  if (a.tokens.length === b.tokens.length && a.sorted === b.sorted) return 'swapped';
  const shorter = a.tokens.length <= b.tokens.length ? a : b;
  const longer = shorter === a ? b : a;
  if (shorter.tokens.length < longer.tokens.length && containsTokens(longer.tokens, shorter.tokens))
    return 'subset';
  if (
    jaroWinklerReaches(a.folded, b.folded, 0.92) ||
    shorter.tokens.some((x) => longer.tokens.some((y) => jaroWinklerReaches(x, y, 0.92)))
  )
    return 'fuzzy';
  for (const x of shorter.codes) for (const y of longer.codes) if (sameCode(x, y)) return 'phonetic';
  return 'different';
}

/**
 * A field comparator: maps a pair of values to an agreement level, 0 ("different", the catch-all) up to
 * levels.length - 1 (exact), or -1 when either value is missing (null, blank, or nothing usable after
 * normalization), which the model scores as neither agreement nor disagreement.
 */
export type Comparator = {
  name: string;
  levels: string[];
  compare(a: string | null, b: string | null): number;
};

/**
 * A comparator whose values are worth preparing once each (folded, split, coded): a pair comparer prepares each
 * distinct value once and compares the prepared forms, where `compare` would fold both values at every pair.
 * `compare` is the same comparison through `prepare`.
 */
export type PreparingComparator<P> = Comparator & {
  /** The value ready to compare, or undefined when nothing usable is left (it counts as missing). */
  prepare(value: string): P | undefined;
  comparePrepared(a: P, b: P): number;
};

function preparing<P>(
  name: string,
  levels: string[],
  prepare: (value: string) => P | undefined,
  comparePrepared: (a: P, b: P) => number,
): PreparingComparator<P> {
  return {
    name,
    levels,
    prepare,
    comparePrepared,
    compare(a, b) {
      if (a === null || b === null) return MISSING;
      const pa = prepare(a);
      const pb = prepare(b);
      return pa === undefined || pb === undefined ? MISSING : comparePrepared(pa, pb);
    },
  };
}

export const COMPARATOR_TYPES = [
  'name',
  'surname',
  'text',
  'date',
  'identifier',
  'postcode',
  'exact',
  'number',
] as const;
export type ComparatorType = (typeof COMPARATOR_TYPES)[number];

const MISSING = -1;

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) return false;
  }
  return true;
}

/** Level by string similarity: exact, then the Jaro–Winkler bands (0.94, 0.88) of the levels array. */
function jwLevel(a: string, b: string, exact: number): number {
  if (a === b) return exact;
  const similarity = jaroWinkler(a, b);
  if (similarity >= 0.94) return exact - 1;
  if (similarity >= 0.88) return exact - 2;
  return 0;
}

export function exactComparator(name = 'exact'): Comparator {
  return {
    name,
    levels: ['different', 'exact'],
    compare(a, b) {
      if (a === null || b === null || isBlank(a) || isBlank(b)) return MISSING;
      return a === b ? 1 : 0;
    },
  };
}

/**
 * Given names: exact after folding; otherwise the better of the whole-field Jaro–Winkler and the best
 * token alignment (each token of the shorter name paired with a distinct token of the longer, in any
 * order, averaged), banded at 0.94 and 0.88; then phonetic when every token of the shorter name has a
 * distinct partner with the same Spanish phonetic key. MARIA JOSE vs JOSE MARIA, and MARIA vs MARIA JOSE
 * (a dropped middle name), align perfectly: jw_0.94, not exact.
 */
export function nameComparator(name = 'name'): PreparingComparator<PreparedName> {
  return preparing(name, ['different', 'phonetic', 'jw_0.88', 'jw_0.94', 'exact'], prepareName, (a, b) => {
    if (a.folded === b.folded) return 4;
    let similarity = jaroWinkler(a.folded, b.folded);
    const simple = a.tokens.length === 1 && b.tokens.length === 1;
    const shorter = a.tokens.length <= b.tokens.length ? a : b;
    const longer = shorter === a ? b : a;
    if (!simple) {
      const aligned = alignTokens(shorter.tokens, longer.tokens, jaroWinkler) / shorter.tokens.length;
      if (aligned > similarity) similarity = aligned;
    }
    if (similarity >= 0.94) return 3;
    if (similarity >= 0.88) return 2;
    if (simple) return sameCode(a.codes[0]!, b.codes[0]!) ? 1 : 0;
    return alignTokens(shorter.codes, longer.codes, codeScore) === shorter.tokens.length ? 1 : 0;
  });
}

const SURNAME_LEVELS: SurnameAgreement[] = ['different', 'phonetic', 'fuzzy', 'subset', 'swapped', 'exact'];

/** Surname fields of one or two surnames, by compareSurnames. */
export function surnameComparator(name = 'surname'): PreparingComparator<PreparedName> {
  return preparing(name, [...SURNAME_LEVELS], prepareName, (a, b) =>
    SURNAME_LEVELS.indexOf(comparePreparedSurnames(a, b)),
  );
}

/** Free text (addresses, places): exact after folding (foldText, particles kept), else JW bands. */
export function textComparator(name = 'text'): Comparator {
  return {
    name,
    levels: ['different', 'jw_0.88', 'jw_0.94', 'exact'],
    compare(a, b) {
      if (a === null || b === null) return MISSING;
      const fa = foldText(a);
      const fb = foldText(b);
      if (fa === '' || fb === '') return MISSING;
      return jwLevel(fa, fb, 3);
    },
  };
}

/** Year, month and day of an ISO date, packed as y * 10000 + m * 100 + d; -1 if not YYYY-MM-DD. */
function parseIsoDate(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return -1;
  let packed = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    packed = packed * 10 + (c - 48);
  }
  const month = Math.floor(packed / 100) % 100;
  const day = packed % 100;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? packed : -1;
}

/**
 * ISO dates (YYYY-MM-DD). day_month_swapped: same year, 2010-03-04 vs 2010-04-03 (US vs Latin American
 * order on a form). one_field_differs: exactly one of year, month and day differs, which covers any single
 * digit typo. year_only: same year, month and day both wrong. A value that is not a valid ISO date carries
 * no evidence and counts as missing.
 */
export function dateComparator(name = 'date'): Comparator {
  return {
    name,
    levels: ['different', 'year_only', 'one_field_differs', 'day_month_swapped', 'exact'],
    compare(a, b) {
      if (a === null || b === null) return MISSING;
      const da = parseIsoDate(a.trim());
      const db = parseIsoDate(b.trim());
      if (da < 0 || db < 0) return MISSING;
      if (da === db) return 4;
      const ya = Math.floor(da / 10000);
      const yb = Math.floor(db / 10000);
      const ma = Math.floor(da / 100) % 100;
      const mb = Math.floor(db / 100) % 100;
      const dya = da % 100;
      const dyb = db % 100;
      if (ya === yb && ma === dyb && dya === mb) return 3;
      const differing = (ya !== yb ? 1 : 0) + (ma !== mb ? 1 : 0) + (dya !== dyb ? 1 : 0);
      if (differing === 1) return 2;
      return ya === yb ? 1 : 0;
    },
  };
}

let digitsA = new Uint8Array(32);
let digitsB = new Uint8Array(32);

/** Copies the digits of s into digitsA or digitsB (grown when needed); returns how many. */
function digitsOf(s: string, which: 0 | 1): number {
  let buffer = which === 0 ? digitsA : digitsB;
  if (buffer.length < s.length) {
    buffer = new Uint8Array(s.length * 2);
    if (which === 0) digitsA = buffer;
    else digitsB = buffer;
  }
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) buffer[count++] = c;
  }
  return count;
}

function paddedDigit(digits: Uint8Array, offset: number, i: number): number {
  return i < offset ? 48 : digits[i - offset]!;
}

/**
 * Digit identifiers such as A-numbers: non-digits stripped (A-012 345 678 -> 012345678) and left-padded
 * with zeros to 9 digits (a spreadsheet drops leading zeros). one_edit: one substituted digit, or two
 * adjacent digits transposed, the two commonest keying errors.
 */
export function identifierComparator(name = 'identifier', width = 9): Comparator {
  return {
    name,
    levels: ['different', 'one_edit', 'exact'],
    compare(a, b) {
      if (a === null || b === null) return MISSING;
      const na = digitsOf(a, 0);
      const nb = digitsOf(b, 1);
      if (na === 0 || nb === 0) return MISSING;
      // Compare the zero-padded forms right-aligned, without building them.
      const length = Math.max(na, nb, width);
      const offsetA = length - na;
      const offsetB = length - nb;
      let first = -1;
      let differing = 0;
      for (let i = 0; i < length; i++) {
        const ca = paddedDigit(digitsA, offsetA, i);
        const cb = paddedDigit(digitsB, offsetB, i);
        if (ca !== cb) {
          if (++differing > 2) return 0;
          if (first < 0) first = i;
          else if (i !== first + 1) return 0;
        }
      }
      if (differing === 0) return 2;
      if (differing === 1) return 1;
      // Two adjacent differences: a transposition if each side has the other's pair reversed.
      const transposed =
        paddedDigit(digitsA, offsetA, first) === paddedDigit(digitsB, offsetB, first + 1) &&
        paddedDigit(digitsA, offsetA, first + 1) === paddedDigit(digitsB, offsetB, first);
      return transposed ? 1 : 0;
    },
  };
}

/** The five-digit ZIP of a value packed as a number, or -1: ZIP+4 keeps its first five digits, three or
 * four digits are a ZIP that lost its leading zeros. */
function zipOf(s: string, which: 0 | 1): number {
  const count = digitsOf(s, which);
  if (count < 3) return -1;
  const digits = which === 0 ? digitsA : digitsB;
  let zip = 0;
  for (let i = 0; i < Math.min(count, 5); i++) zip = zip * 10 + (digits[i]! - 48);
  return zip;
}

/** Five-digit ZIP codes: exact, or the same first three digits (the same sectional center). */
export function postcodeComparator(name = 'postcode'): Comparator {
  return {
    name,
    levels: ['different', 'first3', 'exact'],
    compare(a, b) {
      if (a === null || b === null) return MISSING;
      const za = zipOf(a, 0);
      const zb = zipOf(b, 1);
      if (za < 0 || zb < 0) return MISSING;
      if (za === zb) return 2;
      return Math.floor(za / 100) === Math.floor(zb / 100) ? 1 : 0;
    },
  };
}

/** Numbers (ages, counts): equal, or within 1 (an age taken either side of a birthday). */
export function numberComparator(name = 'number'): Comparator {
  return {
    name,
    levels: ['different', 'within_1', 'exact'],
    compare(a, b) {
      if (a === null || b === null || isBlank(a) || isBlank(b)) return MISSING;
      const x = Number(a);
      const y = Number(b);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return MISSING;
      if (x === y) return 2;
      return Math.abs(x - y) <= 1 ? 1 : 0;
    },
  };
}

/** The comparator for a field type, named after the type unless a name is given. */
export function comparatorFor(type: ComparatorType, name: string = type): Comparator {
  switch (type) {
    case 'name':
      return nameComparator(name);
    case 'surname':
      return surnameComparator(name);
    case 'text':
      return textComparator(name);
    case 'date':
      return dateComparator(name);
    case 'identifier':
      return identifierComparator(name);
    case 'postcode':
      return postcodeComparator(name);
    case 'exact':
      return exactComparator(name);
    case 'number':
      return numberComparator(name);
  }
}

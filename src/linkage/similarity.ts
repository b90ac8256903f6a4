// String similarities the field comparators grade into agreement levels (comparators.ts). They run for every
// candidate pair, so they work on char codes in reused typed arrays and allocate nothing per call.

// Scratch space shared by every call; grown, never shrunk.
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Jaro–Winkler similarity as the U.S. Census Bureau's strcmp95 computes it (Winkler, 1994 release):
 * characters match within max(len)/2 - 1 positions, half-transpositions are counted in match order, and
 * when the Jaro score exceeds 0.7 it is boosted by 0.1 per agreeing leading character, at most 4, digits
 * not counting (strcmp95's NOTNUM rule).
 *
 * Variant: plain Jaro–Winkler, i.e. strcmp95 with both options off: no partial credit for similar
 * characters (the adjwt table: B/V, S/Z, I/Y...) and no long-string adjustment. This is the "Winkler"
 * column of the Census table (Winkler 1990; Porter and Winkler 1997): SHACKLEFORD/SHACKELFORD 0.982,
 * MARHTA/MARTHA 0.961, DWAYNE/DUANE 0.840. Other differences from strcmp95: no case folding or trimming
 * (inputs are already normalized), any string length, and two equal strings (even empty) score 1.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  // Shorter string first. The greedy match is symmetric anyway; this keeps the floating-point sums below
  // in one order, so jaroWinkler(a, b) === jaroWinkler(b, a) to the last bit.
  if (a.length > b.length) {
    const swap = a;
    a = b;
    b = swap;
  }
  const la = a.length;
  const lb = b.length;
  if (la === 0) return 0;
  if (flagsB.length < lb) {
    flagsA = new Uint8Array(lb * 2);
    flagsB = new Uint8Array(lb * 2);
  }
  const matchedA = flagsA;
  const matchedB = flagsB;
  for (let i = 0; i < la; i++) matchedA[i] = 0;
  for (let j = 0; j < lb; j++) matchedB[j] = 0;
  const range = Math.max((lb >> 1) - 1, 0);
  let common = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const hi = Math.min(i + range, lb - 1);
    for (let j = i > range ? i - range : 0; j <= hi; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === c) {
        matchedB[j] = 1;
        matchedA[i] = 1;
        common++;
        break;
      }
    }
  }
  if (common === 0) return 0;
  let halfTranspositions = 0;
  for (let i = 0, k = 0; i < la; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  const transpositions = halfTranspositions >> 1;
  let weight = (common / la + common / lb + (common - transpositions) / common) / 3;
  if (weight > 0.7) {
    const limit = Math.min(la, 4);
    let prefix = 0;
    while (prefix < limit) {
      const c = a.charCodeAt(prefix);
      if (c !== b.charCodeAt(prefix) || isDigit(c)) break;
      prefix++;
    }
    weight += prefix * 0.1 * (1 - weight);
  }
  return weight;
}

/** Per character code, how many of one string's characters are not yet matched (`jaroWinklerReaches`). */
const unmatched = new Int32Array(65_536);

/**
 * Whether jaroWinkler(a, b) >= at, without comparing when it cannot be: Jaro matches equal characters, so it
 * matches no more than the two strings share counted with repeats, and that bound (with the Winkler boost of
 * their common prefix) is cheap. Most names in a block share too few letters to come near a threshold.
 */
export function jaroWinklerReaches(a: string, b: string, at: number): boolean {
  if (a === b) return 1 >= at;
  // Not a destructured pair: that array is made at every call (hundreds of thousands a batch).
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  for (let i = 0; i < shorter.length; i++) unmatched[shorter.charCodeAt(i)]!++;
  let shared = 0;
  for (let j = 0; j < longer.length; j++) {
    const c = longer.charCodeAt(j);
    if (unmatched[c]! > 0) {
      unmatched[c]!--;
      shared++;
    }
  }
  for (let i = 0; i < shorter.length; i++) unmatched[shorter.charCodeAt(i)] = 0;
  if (shared === 0) return 0 >= at;
  // Jaro with every shared character matched and none transposed; boosted as jaroWinkler boosts.
  let bound = (shared / shorter.length + shared / longer.length + 1) / 3;
  if (bound > 0.7) {
    let prefix = 0;
    while (prefix < Math.min(shorter.length, 4)) {
      const c = shorter.charCodeAt(prefix);
      if (c !== longer.charCodeAt(prefix) || isDigit(c)) break;
      prefix++;
    }
    bound += prefix * 0.1 * (1 - bound);
  }
  // A hair of slack for rounding: the bound only decides whether to compare.
  return bound >= at - 1e-9 && jaroWinkler(a, b) >= at;
}

let rowBefore = new Int32Array(64);
let rowPrevious = new Int32Array(64);
let rowCurrent = new Int32Array(64);
let charsB = new Uint16Array(64);

/**
 * Optimal string alignment distance (restricted Damerau–Levenshtein): insertions, deletions,
 * substitutions and transpositions of adjacent characters, no substring edited twice. Three rolling rows.
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length < b.length) {
    // Rows as long as the shorter string.
    const swap = a;
    a = b;
    b = swap;
  }
  const la = a.length;
  const lb = b.length;
  if (lb === 0) return la;
  if (rowCurrent.length <= lb) {
    rowBefore = new Int32Array(lb * 2 + 1);
    rowPrevious = new Int32Array(lb * 2 + 1);
    rowCurrent = new Int32Array(lb * 2 + 1);
    charsB = new Uint16Array(lb * 2 + 1);
  }
  const codesB = charsB; // b's char codes, read once instead of once per row
  for (let j = 0; j < lb; j++) codesB[j] = b.charCodeAt(j);
  let before = rowBefore;
  let previous = rowPrevious;
  let current = rowCurrent;
  for (let j = 0; j <= lb; j++) previous[j] = j;
  let ca0 = 0;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    current[0] = i;
    let cb0 = 0;
    for (let j = 1; j <= lb; j++) {
      const cb = codesB[j - 1]!;
      const cost = ca === cb ? 0 : 1;
      let d = previous[j - 1]! + cost;
      const deletion = previous[j]! + 1;
      if (deletion < d) d = deletion;
      const insertion = current[j - 1]! + 1;
      if (insertion < d) d = insertion;
      if (i > 1 && j > 1 && ca === cb0 && ca0 === cb) {
        const transposition = before[j - 2]! + 1;
        if (transposition < d) d = transposition;
      }
      current[j] = d;
      cb0 = cb;
    }
    ca0 = ca;
    const recycled = before;
    before = previous;
    previous = current;
    current = recycled;
  }
  return previous[lb]!;
}

/** 1 - distance / longer length: 1 for equal strings (two empty strings included), 0 for nothing shared. */
export function damerauLevenshteinSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - damerauLevenshtein(a, b) / longer;
}

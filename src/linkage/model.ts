// The Fellegi–Sunter record-linkage model: for each field, m = P(level | match) and u = P(level | non-match);
// a pair's match weight is the prior log2 odds plus the sum over fields of log2(m / u) at the pair's level.
// u comes from random record pairs (nearly all non-matches), m and the match share lambda from EM over
// the blocked pairs without labels. Fields are assumed conditionally independent given match status, and
// a missing value (level -1) is no evidence either way: its factor is 1.

/** Comparison levels of n candidate pairs over k fields: levels[p * k + f] is pair p's level on field f, -1 = missing. */
export interface ComparisonVectors {
  fields: { name: string; levels: readonly string[] }[];
  pairs: number;
  levels: Int8Array;
}

export interface FieldParameters {
  name: string;
  levels: readonly string[];
  /** P(level | match), one per level, summing to 1. */
  m: number[];
  /** P(level | non-match), one per level, summing to 1. */
  u: number[];
}

export interface ModelParameters {
  /**
   * Prior probability that two records drawn at random match, or (the system's, `priorRules` in engine.ts) that
   * a pair of its reference rules does.
   */
  lambda: number;
  fields: FieldParameters[];
}

export interface EmOptions {
  /** Default 100. */
  maxIterations?: number;
  /** Stop when no m, u (when estimated) or lambda moves by more than this; default 1e-6. */
  tolerance?: number;
  /** Default true: keep u from random pairs, estimate m and lambda only. */
  fixU?: boolean;
  /** Default 0.1. */
  initialLambda?: number;
}

// Probabilities stay inside [MIN_P, MAX_P]: a level never seen among matches (or non-matches) in one
// sample must not make a pair impossible, nor its weight infinite.
const MIN_P = 1e-6;
const MAX_P = 1 - 1e-6;
const MIN_PRIOR = 1e-15;

function clamp(p: number): number {
  if (!(p >= MIN_P)) return MIN_P; // NaN included
  return Math.min(p, MAX_P);
}

/**
 * Scales p to sum to 1 with every entry at least MIN_P (hence at most 1 - MIN_P when there are two or
 * more levels): entries that would fall below the floor are pinned to it, the others share the rest in
 * proportion. Zero, negative or non-finite entries count as 0; all of them zero gives the uniform.
 */
function normalize(p: readonly number[]): number[] {
  const n = p.length;
  if (n === 0) return [];
  if (n === 1) return [1];
  const q = p.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const pinned = new Array<boolean>(n).fill(false);
  // Each pass pins at least one more entry or stops, so at most n passes.
  for (let pass = 0; pass < n; pass++) {
    let free = 0;
    let pinnedCount = 0;
    for (let i = 0; i < n; i++) {
      if (pinned[i]) pinnedCount++;
      else free += q[i]!;
    }
    const room = 1 - pinnedCount * MIN_P;
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (pinned[i]) continue;
      const scaled = free > 0 ? (q[i]! / free) * room : room / (n - pinnedCount);
      if (scaled < MIN_P) {
        pinned[i] = true;
        changed = true;
      }
    }
    if (!changed) {
      for (let i = 0; i < n; i++) {
        q[i] = pinned[i] ? MIN_P : free > 0 ? (q[i]! / free) * room : room / (n - pinnedCount);
      }
      return q;
    }
  }
  return q.map(() => 1 / n); // unreachable: n passes pin everything only if n * MIN_P > 1
}

function checkShape(data: ComparisonVectors): void {
  const k = data.fields.length;
  if (!Number.isInteger(data.pairs) || data.pairs < 0) throw new RangeError(`bad pair count ${data.pairs}`);
  if (data.levels.length !== data.pairs * k) {
    throw new RangeError(
      `levels has ${data.levels.length} entries, expected ${data.pairs} pairs x ${k} fields`,
    );
  }
}

function checkParameters(data: ComparisonVectors, params: ModelParameters): void {
  if (params.fields.length !== data.fields.length) {
    throw new RangeError(`model has ${params.fields.length} fields, the data ${data.fields.length}`);
  }
  // Same order and the same levels, or every weight would be read from the wrong table.
  data.fields.forEach((field, f) => {
    const model = params.fields[f]!;
    if (model.name !== field.name || model.levels.length !== field.levels.length) {
      throw new RangeError(
        `field ${f}: model has ${model.name} (${model.levels.length} levels), data ${field.name}`,
      );
    }
    if (model.m.length !== field.levels.length || model.u.length !== field.levels.length) {
      throw new RangeError(`field ${field.name}: m and u need one entry per level`);
    }
  });
}

function badLevel(data: ComparisonVectors, pair: number, f: number, level: number): RangeError {
  const field = data.fields[f]!;
  return new RangeError(
    `pair ${pair}, field ${field.name}: level ${level} outside -1..${field.levels.length - 1}`,
  );
}

/** u-probabilities from comparison vectors of random record pairs (almost all non-matches), with add-one smoothing so no level has u = 0. */
export function estimateU(random: ComparisonVectors): number[][] {
  checkShape(random);
  const k = random.fields.length;
  const counts = random.fields.map((field) => new Array<number>(field.levels.length).fill(1));
  for (let p = 0; p < random.pairs; p++) {
    for (let f = 0; f < k; f++) {
      const level = random.levels[p * k + f]!;
      if (level < 0) continue;
      const row = counts[f]!;
      if (level >= row.length) throw badLevel(random, p, f, level);
      row[level]!++;
    }
  }
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => c / total);
  });
}

/**
 * Starting m-probabilities without labels, the same shape for every field: the strongest level takes 0.9,
 * each weaker level half of what is left, and level 0 ("different") the remainder. Two levels: [0.1, 0.9];
 * five: [0.0125, 0.0125, 0.025, 0.05, 0.9]. Matches agree mostly exactly, and starting well away from the
 * u-probabilities (mostly "different") keeps EM from swapping the two classes.
 */
export function initialM(fields: ComparisonVectors['fields']): number[][] {
  return fields.map((field) => {
    const n = field.levels.length;
    if (n <= 1) return n === 1 ? [1] : [];
    const m = new Array<number>(n).fill(0);
    let left = 1;
    for (let level = n - 1; level > 0; level--) {
      const share = level === n - 1 ? 0.9 : 0.5;
      m[level] = left * share;
      left -= m[level]!;
    }
    m[0] = left;
    return m;
  });
}

/** Distinct comparison vectors and how many pairs have each: EM then costs per pattern, not per pair. */
interface Patterns {
  count: number;
  /** levels[i * k + f], as in ComparisonVectors. */
  levels: Int8Array;
  weights: Float64Array;
}

function groupPatterns(data: ComparisonVectors): Patterns {
  const k = data.fields.length;
  const { pairs, levels } = data;
  const radix = data.fields.map((field) => field.levels.length + 1); // level + 1: missing is digit 0
  const space = radix.reduce((a, b) => a * b, 1);
  const firstPair: number[] = [];
  const counts: number[] = [];
  // A pair's levels packed as one number, each level + 1 a digit in its field's radix; checks each level.
  const keyOf = (p: number): number => {
    let key = 0;
    for (let f = 0; f < k; f++) {
      const level = levels[p * k + f]!;
      if (level < -1 || level >= radix[f]! - 1) throw badLevel(data, p, f, level);
      key = key * radix[f]! + level + 1;
    }
    return key;
  };
  if (space <= 1 << 22) {
    // Few possible patterns (6 fields of 5 levels: 46,656): a dense table, no hashing.
    const index = new Int32Array(space).fill(-1);
    for (let p = 0; p < pairs; p++) {
      const key = keyOf(p);
      const at = index[key]!;
      if (at >= 0) counts[at]!++;
      else {
        index[key] = counts.length;
        firstPair.push(p);
        counts.push(1);
      }
    }
  } else if (space <= Number.MAX_SAFE_INTEGER) {
    const index = new Map<number, number>();
    for (let p = 0; p < pairs; p++) {
      const key = keyOf(p);
      const at = index.get(key);
      if (at !== undefined) counts[at]!++;
      else {
        index.set(key, counts.length);
        firstPair.push(p);
        counts.push(1);
      }
    }
  } else {
    // Too many fields for an exact number key: one character per level.
    const index = new Map<string, number>();
    for (let p = 0; p < pairs; p++) {
      keyOf(p); // only to check the levels
      const key = String.fromCharCode(...Array.from(levels.subarray(p * k, p * k + k), (level) => level + 1));
      const at = index.get(key);
      if (at !== undefined) counts[at]!++;
      else {
        index.set(key, counts.length);
        firstPair.push(p);
        counts.push(1);
      }
    }
  }
  const out = new Int8Array(firstPair.length * k);
  firstPair.forEach((p, i) => {
    out.set(levels.subarray(p * k, p * k + k), i * k);
  });
  return { count: counts.length, levels: out, weights: Float64Array.from(counts) };
}

/**
 * Expectation–maximization for m (and u unless fixU) and lambda, from unlabelled comparison vectors of
 * blocked pairs, starting from initialM, the given u and initialLambda. A missing level (-1) contributes
 * nothing for that field (its factor is 1). Identical vectors are grouped first, so each iteration costs
 * the number of distinct patterns, not pairs. Every m and u stays in [1e-6, 1 - 1e-6] and sums to 1; with
 * fixU the returned u is the given u, normalized that way. converged: stopped because nothing moved by
 * more than the tolerance, rather than at maxIterations.
 */
export function expectationMaximization(
  data: ComparisonVectors,
  u: number[][],
  options: EmOptions = {},
): ModelParameters & { iterations: number; converged: boolean } {
  checkShape(data);
  const { maxIterations = 100, tolerance = 1e-6, fixU = true, initialLambda = 0.1 } = options;
  const { fields } = data;
  const k = fields.length;
  if (u.length !== k || u.some((row, f) => row.length !== fields[f]!.levels.length)) {
    throw new RangeError('u needs one row per field and one entry per level');
  }
  const patterns = groupPatterns(data);

  // Per-level tables flattened: field f's level l at offset[f] + l.
  const offset: number[] = [];
  let size = 0;
  for (const field of fields) {
    offset.push(size);
    size += field.levels.length;
  }
  let m = initialM(fields).map(normalize);
  let uNow = u.map(normalize);
  let lambda = clamp(initialLambda);
  const logM = new Float64Array(size);
  const logU = new Float64Array(size);
  const matchSums = new Float64Array(size);
  const nonMatchSums = new Float64Array(size);
  const total = patterns.weights.reduce((a, b) => a + b, 0);

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && total > 0) {
    iterations++;
    for (let f = 0; f < k; f++) {
      for (let l = 0; l < fields[f]!.levels.length; l++) {
        logM[offset[f]! + l] = Math.log(m[f]![l]!);
        logU[offset[f]! + l] = Math.log(uNow[f]![l]!);
      }
    }
    const priorLogOdds = Math.log(lambda / (1 - lambda));
    matchSums.fill(0);
    nonMatchSums.fill(0);
    let matches = 0;
    // E step: each pattern's posterior match probability; M step sums, weighted by how many pairs share it.
    for (let i = 0; i < patterns.count; i++) {
      let logOdds = priorLogOdds;
      for (let f = 0; f < k; f++) {
        const level = patterns.levels[i * k + f]!;
        if (level >= 0) logOdds += logM[offset[f]! + level]! - logU[offset[f]! + level]!;
      }
      const n = patterns.weights[i]!;
      const g = n / (1 + Math.exp(-logOdds)); // exp overflow gives Infinity, so g = 0: no NaN
      matches += g;
      for (let f = 0; f < k; f++) {
        const level = patterns.levels[i * k + f]!;
        if (level < 0) continue;
        matchSums[offset[f]! + level]! += g;
        nonMatchSums[offset[f]! + level]! += n - g;
      }
    }
    // A field missing from every pair (or every match) has no evidence: it keeps its previous values.
    const reestimate = (sums: Float64Array, previous: number[][]) =>
      fields.map((field, f) => {
        const row = Array.from(sums.subarray(offset[f]!, offset[f]! + field.levels.length));
        return row.some((x) => x > 0) ? normalize(row) : previous[f]!;
      });
    const nextM = reestimate(matchSums, m);
    const nextU = fixU ? uNow : reestimate(nonMatchSums, uNow);
    const nextLambda = clamp(matches / total);
    let change = Math.abs(nextLambda - lambda);
    for (let f = 0; f < k; f++) {
      for (let l = 0; l < fields[f]!.levels.length; l++) {
        change = Math.max(
          change,
          Math.abs(nextM[f]![l]! - m[f]![l]!),
          Math.abs(nextU[f]![l]! - uNow[f]![l]!),
        );
      }
    }
    m = nextM;
    uNow = nextU;
    lambda = nextLambda;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return {
    lambda,
    fields: fields.map((field, f) => ({ name: field.name, levels: field.levels, m: m[f]!, u: uNow[f]! })),
    iterations,
    converged,
  };
}

/** log2(m / u) per field and level, flattened at offset[f] + level, from clamped m and u. */
function weightTable(params: ModelParameters) {
  const offset: number[] = [];
  const top: number[] = [];
  const topLogM: number[] = [];
  const weights: number[] = [];
  for (const field of params.fields) {
    offset.push(weights.length);
    top.push(field.levels.length - 1);
    topLogM.push(Math.log2(clamp(field.m[field.levels.length - 1]!)));
    for (let l = 0; l < field.levels.length; l++) {
      weights.push(Math.log2(clamp(field.m[l]!) / clamp(field.u[l]!)));
    }
  }
  // The prior's own floor: among a million records two drawn at random match about once in a million.
  const lambda = params.lambda >= MIN_PRIOR ? Math.min(params.lambda, MAX_P) : MIN_PRIOR; // NaN too
  return {
    offset,
    top,
    topLogM,
    weights: Float64Array.from(weights),
    prior: Math.log2(lambda / (1 - lambda)),
  };
}

/** u for an exact agreement on a value of relative frequency tf: the frequency itself, floored at MIN_P. */
function tfU(tf: number): number {
  return tf > 1 ? 1 : Math.max(tf, MIN_P);
}

function checkTf(data: ComparisonVectors, tf: (Float64Array | undefined)[] | undefined) {
  if (!tf) return;
  tf.forEach((column, f) => {
    if (column && column.length !== data.pairs) {
      throw new RangeError(`tf[${f}] has ${column.length} entries, expected ${data.pairs}`);
    }
  });
}

/**
 * Per-pair match weight (log2 Bayes factor sum over fields, plus log2(lambda/(1-lambda)) as prior) and
 * posterior match probability. Optional term-frequency adjustment: tf[f] (when given) is a Float64Array
 * of length `pairs` holding, for pairs whose level on field f is the top (exact) level, the relative
 * frequency in the data of the agreeing value (0 when not applicable); the exact-level u for that pair is
 * then max(tf, 1e-6) instead of the field's average u at that level (so agreeing on a common surname
 * counts less than agreeing on a rare one). A tf of 0 (or not a number) on an exact pair means "no
 * frequency known" and keeps the field's average u. m and u are clamped to [1e-6, 1 - 1e-6], so no
 * weight is infinite; probability = 1 / (1 + 2^-weight).
 */
export function scorePairs(
  data: ComparisonVectors,
  params: ModelParameters,
  tf?: (Float64Array | undefined)[],
): { weight: Float64Array; probability: Float64Array } {
  checkShape(data);
  checkParameters(data, params);
  checkTf(data, tf);
  const k = data.fields.length;
  const table = weightTable(params);
  const { weights, prior } = table;
  const offset = Int32Array.from(table.offset);
  const top = Int32Array.from(table.top);
  const topLogM = Float64Array.from(table.topLogM);
  const tfs = data.fields.map((_, f) => tf?.[f]);
  const hasTf = tfs.some((column) => column !== undefined);
  const levels = data.levels;
  const weight = new Float64Array(data.pairs);
  const probability = new Float64Array(data.pairs);
  for (let p = 0, at = 0; p < data.pairs; p++) {
    let w = prior;
    for (let f = 0; f < k; f++, at++) {
      const level = levels[at]!;
      if (level < 0 || level > top[f]!) {
        if (level === -1) continue;
        throw badLevel(data, p, f, level);
      }
      if (hasTf && level === top[f]) {
        const frequency = tfs[f]?.[p];
        if (frequency !== undefined && frequency > 0) {
          w += topLogM[f]! - Math.log2(tfU(frequency));
          continue;
        }
      }
      w += weights[offset[f]! + level]!;
    }
    weight[p] = w;
    probability[p] = 1 / (1 + Math.exp(-w * Math.LN2));
  }
  return { weight, probability };
}

/**
 * Each field's contribution for one pair, for explanations: level name, m, u, weight (log2 m/u) —
 * missing fields have weight 0. m and u are the clamped values scorePairs uses; with the same tf, u is
 * the term-frequency u, so the weights plus the prior add up to scorePairs' weight for the pair.
 */
export function explainPair(
  data: ComparisonVectors,
  pair: number,
  params: ModelParameters,
  tf?: (Float64Array | undefined)[],
): { field: string; level: string | null; m: number | null; u: number | null; weight: number }[] {
  checkShape(data);
  checkParameters(data, params);
  checkTf(data, tf);
  if (!Number.isInteger(pair) || pair < 0 || pair >= data.pairs) throw new RangeError(`no pair ${pair}`);
  const k = data.fields.length;
  return data.fields.map((field, f) => {
    const level = data.levels[pair * k + f]!;
    if (level === -1) return { field: field.name, level: null, m: null, u: null, weight: 0 };
    if (level < -1 || level >= field.levels.length) throw badLevel(data, pair, f, level);
    const model = params.fields[f]!;
    const m = clamp(model.m[level]!);
    const frequency = level === field.levels.length - 1 ? tf?.[f]?.[pair] : undefined;
    const u = frequency !== undefined && frequency > 0 ? tfU(frequency) : clamp(model.u[level]!);
    return { field: field.name, level: field.levels[level]!, m, u, weight: Math.log2(m / u) };
  });
}

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Cumulative distribution of p (scaled to sum to 1), the last entry exactly 1. */
function cumulative(p: readonly number[]): Float64Array {
  const total = p.reduce((a, b) => a + b, 0);
  const out = new Float64Array(p.length);
  let sum = 0;
  p.forEach((x, i) => {
    sum += x / total;
    out[i] = sum;
  });
  out[p.length - 1] = 1;
  return out;
}

/**
 * Simulates comparison vectors from a known model (for tests and benchmarks): pair p is a match with
 * probability lambda, each field independently missing with probability missingRate, else its level is
 * drawn from m (match) or u (non-match). Seeded (mulberry32), so the same arguments give the same data.
 */
export function simulateVectors(
  params: ModelParameters,
  pairs: number,
  seed: number,
  missingRate = 0,
): { data: ComparisonVectors; isMatch: Uint8Array } {
  const random = mulberry32(seed);
  const k = params.fields.length;
  const mCdf = params.fields.map((field) => cumulative(field.m));
  const uCdf = params.fields.map((field) => cumulative(field.u));
  const levels = new Int8Array(pairs * k);
  const isMatch = new Uint8Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const match = random() < params.lambda;
    isMatch[p] = match ? 1 : 0;
    const cdfs = match ? mCdf : uCdf;
    for (let f = 0; f < k; f++) {
      if (missingRate > 0 && random() < missingRate) {
        levels[p * k + f] = -1;
        continue;
      }
      const cdf = cdfs[f]!;
      const r = random();
      let level = 0;
      while (level < cdf.length - 1 && r >= cdf[level]!) level++;
      levels[p * k + f] = level;
    }
  }
  return {
    data: {
      fields: params.fields.map((field) => ({ name: field.name, levels: field.levels })),
      pairs,
      levels,
    },
    isMatch,
  };
}

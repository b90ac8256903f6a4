import { type BlockingRule, blockPairs, type CandidatePairs, pairsUnderRule, ruleKeys } from './blocking';
import { type Clusters, clusterLinks, type UniqueGuard } from './cluster';
import { type Comparator, comparatorFor } from './comparators';
import { DEFAULT_THRESHOLDS, type LinkConfig } from './config';
import type { Dataset } from './dataset';
import {
  type ComparisonVectors,
  estimateU,
  expectationMaximization,
  type ModelParameters,
  scorePairs,
} from './model';

export const DECISION = { none: 0, review: 1, link: 2 } as const;

export interface LinkageRun {
  rules: BlockingRule[];
  pairs: CandidatePairs;
  vectors: ComparisonVectors;
  params: ModelParameters;
  em: { sessions: Session[] };
  weight: Float64Array;
  probability: Float64Array;
  /** Term frequencies per field for the candidate pairs (for explanations). */
  tf: (Float64Array | undefined)[];
  /** DECISION per candidate pair. */
  decision: Uint8Array;
  clusters: Clusters;
  seconds: Record<'blocking' | 'comparing' | 'estimating' | 'scoring' | 'clustering', number>;
}

export interface LinkageOptions {
  /** Link two inputs (pairs join a left and a right record) instead of deduplicating one. */
  crossOnly: boolean;
  /** Random pairs compared to estimate u (they are almost all non-matches). */
  randomPairs?: number;
  seed?: number;
  /**
   * A model to score with instead of estimating one (too few records to learn from, or a part of a store),
   * with the shares of values in the whole store for term frequencies.
   */
  model?: { params: ModelParameters; shareOf: (field: number, value: string) => number };
}

/**
 * Compares record pairs field by field. Values are interned once per field, so identical values compare by
 * id, and each distinct pair of values is compared once: names repeat (MARIA, GARCIA), and the slow string
 * comparisons run only for value pairs not seen before. Comparators are symmetric, so (a, b) and (b, a)
 * share a cached level.
 */
export class PairComparer {
  readonly fields: ComparisonVectors['fields'];
  private readonly ids: Int32Array[];
  private readonly distinct: string[][];
  private readonly caches: Map<number, number>[];

  constructor(
    data: Dataset,
    config: LinkConfig,
    private readonly comparators: Comparator[] = config.fields.map((field) =>
      comparatorFor(field.type, field.column),
    ),
  ) {
    this.fields = config.fields.map((field, f) => ({ name: field.column, levels: comparators[f]!.levels }));
    this.ids = [];
    this.distinct = [];
    for (const field of config.fields) {
      const values = data.values.get(field.column)!;
      const idOf = new Map<string, number>();
      const ids = new Int32Array(values.length);
      for (let r = 0; r < values.length; r++) {
        const value = values[r];
        if (value === null || value === undefined) {
          ids[r] = -1;
          continue;
        }
        let id = idOf.get(value);
        if (id === undefined) {
          id = idOf.size;
          idOf.set(value, id);
        }
        ids[r] = id;
      }
      this.ids.push(ids);
      this.distinct.push([...idOf.keys()]);
    }
    this.caches = config.fields.map(() => new Map<number, number>());
  }

  compare(left: Int32Array, right: Int32Array): ComparisonVectors {
    const k = this.fields.length;
    const levels = new Int8Array(left.length * k);
    for (let f = 0; f < k; f++) {
      const ids = this.ids[f]!;
      const values = this.distinct[f]!;
      const comparator = this.comparators[f]!;
      const cache = this.caches[f]!;
      const width = values.length;
      for (let p = 0; p < left.length; p++) {
        const a = ids[left[p]!]!;
        const b = ids[right[p]!]!;
        let level: number | undefined;
        if (a < 0 || b < 0) level = comparator.compare(null, null);
        else {
          const key = a < b ? a * width + b : b * width + a;
          level = cache.get(key);
          if (level === undefined) {
            level = comparator.compare(values[a]!, values[b]!);
            if (cache.size >= MAX_CACHED) cache.clear(); // bound memory; it refills with what recurs
            cache.set(key, level);
          }
        }
        levels[p * k + f] = level;
      }
    }
    return { fields: this.fields, pairs: left.length, levels };
  }
}

const MAX_CACHED = 4_000_000;

/** A small seeded generator (mulberry32): the same seed draws the same random pairs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPairs(data: Dataset, count: number, crossOnly: boolean, seed: number) {
  const n = data.ids.length;
  const draw = random(seed);
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  for (let p = 0; p < count; ) {
    const i = Math.floor(draw() * n);
    const j = Math.floor(draw() * n);
    if (i === j || (crossOnly && data.side[i] === data.side[j])) continue;
    left[p] = i;
    right[p] = j;
    p++;
  }
  return { left, right };
}

/**
 * Blocking rules when the configuration names none: every single field whose blocks stay within a budget of
 * pairs (identifiers, dates, exact codes), then pairs of the remaining fields, phonetic codes standing in for
 * names so that a misspelling still lands in the same block. Each rule is chosen by the pairs it would make.
 */
export function chooseBlockingRules(data: Dataset, config: LinkConfig): BlockingRule[] {
  const n = data.ids.length;
  const budget = Math.max(100_000, 20 * n);
  const term = (field: LinkConfig['fields'][number]) =>
    field.type === 'name' || field.type === 'surname' ? `phonetic:${field.column}` : field.column;
  const candidates = config.fields.filter((field) => field.type !== 'number').map(term);
  const chosen: BlockingRule[] = [];
  const tooBig: string[] = [];
  for (const t of candidates) {
    if (pairsUnderRule(ruleKeys(data, [t])) <= budget) chosen.push([t]);
    else tooBig.push(t);
  }
  for (let a = 0; a < tooBig.length; a++) {
    for (let b = a + 1; b < tooBig.length; b++) {
      const rule = [tooBig[a]!, tooBig[b]!];
      if (pairsUnderRule(ruleKeys(data, rule)) <= budget) chosen.push(rule);
    }
  }
  return chosen;
}

/** The whole run: block, compare, estimate u from random pairs and m by EM, score, decide, cluster. */
export function runLinkage(config: LinkConfig, data: Dataset, options: LinkageOptions): LinkageRun {
  const clock = () => performance.now() / 1000;
  const seconds = { blocking: 0, comparing: 0, estimating: 0, scoring: 0, clustering: 0 };
  const blocking = { crossOnly: options.crossOnly, maxBlockSize: config.maxBlockSize ?? 5_000 };
  const seed = options.seed ?? 1;
  let started = clock();
  const rules = config.blocking ?? chooseBlockingRules(data, config);
  const pairs = blockPairs(data, rules, blocking);
  seconds.blocking = clock() - started;

  started = clock();
  const comparer = new PairComparer(data, config);
  const vectors = comparer.compare(pairs.left, pairs.right);
  seconds.comparing = clock() - started;

  started = clock();
  const estimate = () => {
    const randomCount = options.randomPairs ?? Math.min(300_000, 50 * data.ids.length);
    const sample = randomPairs(data, randomCount, options.crossOnly, seed);
    const u = estimateU(comparer.compare(sample.left, sample.right));
    return estimateBySessions(data, comparer, { vectors, rules }, u, { ...blocking, seed });
  };
  const { params, em } = options.model ? { params: options.model.params, em: { sessions: [] } } : estimate();
  seconds.estimating = clock() - started;

  started = clock();
  const tf = options.model
    ? pairTermFrequencies(data, config, vectors, pairs, options.model.shareOf)
    : termFrequencies(data, config, vectors, pairs);
  const { weight, probability } = scorePairs(vectors, params, tf);
  const decision = decide(config, vectors, probability);
  seconds.scoring = clock() - started;

  started = clock();
  const clusters = clusterLinks(
    data.ids.length,
    pairs.left,
    pairs.right,
    weight,
    (p) => decision[p] === DECISION.link,
    uniqueGuards(config, data),
  );
  // A link the clustering refused (it would have put two different unique identifiers in one entity) goes
  // to a person instead.
  for (let p = 0; p < pairs.count; p++) {
    if (
      decision[p] === DECISION.link &&
      clusters.entity[pairs.left[p]!] !== clusters.entity[pairs.right[p]!]
    ) {
      decision[p] = DECISION.review;
    }
  }
  seconds.clustering = clock() - started;
  return { rules, pairs, vectors, params, em, weight, probability, tf, decision, clusters, seconds };
}

/**
 * Each pair's decision from its probability and the thresholds — except that two records holding the same
 * value of a unique identifier (an ORR case id) are one entity by that identifier's definition, whatever
 * the other fields say (the model cannot learn that when no two records in a run share one).
 */
export function decide(
  config: LinkConfig,
  vectors: ComparisonVectors,
  probability: Float64Array,
): Uint8Array {
  const thresholds = config.thresholds ?? DEFAULT_THRESHOLDS;
  const k = config.fields.length;
  const unique = config.fields.flatMap((field, f) =>
    field.unique ? [{ f, top: vectors.fields[f]!.levels.length - 1 }] : [],
  );
  const decision = new Uint8Array(vectors.pairs);
  for (let p = 0; p < vectors.pairs; p++) {
    decision[p] = unique.some(({ f, top }) => vectors.levels[p * k + f] === top)
      ? DECISION.link
      : probability[p]! >= thresholds.link
        ? DECISION.link
        : probability[p]! >= thresholds.review
          ? DECISION.review
          : DECISION.none;
  }
  return decision;
}

/**
 * The clustering guards of the unique fields: an entity holds one value of each — or, for an identifier,
 * values at most one keying error apart (the identifier comparator's one_edit), since a typed A-number with
 * a wrong digit is still that child's.
 */
export function uniqueGuards(config: LinkConfig, data: Dataset): UniqueGuard[] {
  return config.fields
    .filter((field) => field.unique)
    .map((field) => {
      const values = data.values.get(field.column)!;
      if (field.type !== 'identifier') return { values };
      const comparator = comparatorFor(field.type, field.column);
      return { values, compatible: (a: string, b: string) => comparator.compare(a, b) >= 1 };
    });
}

/** The ids of the pairs a run linked automatically. */
export function linkedPairs(run: LinkageRun, ids: readonly string[]): [string, string][] {
  const links: [string, string][] = [];
  for (let p = 0; p < run.pairs.count; p++) {
    if (run.decision[p] === DECISION.link) links.push([ids[run.pairs.left[p]!]!, ids[run.pairs.right[p]!]!]);
  }
  return links;
}

/** The field a blocking term reads ("phonetic:surname" reads surname). */
const columnOf = (term: string) => term.slice(term.indexOf(':') + 1);

/**
 * m-probabilities without labels, one EM session per blocking rule, Splink's way: a session sees all the
 * pairs its rule finds (not just those earlier rules missed, which would be biased against agreement on
 * their fields), at most `TRAINING_PAIRS` of them. Those pairs agree on the rule's own fields by
 * construction, so those fields are masked (treated as missing) in the session and learn nothing there;
 * every other field's m is learnt from it. A field's m is the average over the sessions where it was free,
 * weighted by the matches each found. The prior (lambda) for the candidate pairs is then re-estimated with
 * m and u held. A field no session leaves free is learnt from all candidate pairs, unmasked.
 */
export function estimateBySessions(
  data: Dataset,
  comparer: PairComparer,
  candidates: { vectors: ComparisonVectors; rules: BlockingRule[] },
  u: number[][],
  options: { crossOnly: boolean; maxBlockSize: number; seed?: number },
): { params: ModelParameters; em: { sessions: Session[] } } {
  const { vectors } = candidates;
  const k = vectors.fields.length;
  const sums = vectors.fields.map((field) => new Float64Array(field.levels.length));
  const totals = new Float64Array(k);
  const sessions: Session[] = [];
  const learn = (training: ComparisonVectors, masked: Set<number>, rule: string) => {
    if (training.pairs < 50) return;
    const result = expectationMaximization(training, u, { fixU: true });
    sessions.push({
      rule,
      pairs: training.pairs,
      iterations: result.iterations,
      converged: result.converged,
      lambda: result.lambda,
    });
    const matches = result.lambda * training.pairs;
    result.fields.forEach((field, f) => {
      if (masked.has(f)) return;
      field.m.forEach((m, level) => {
        sums[f]![level]! += m * matches;
      });
      totals[f]! += matches;
    });
  };
  for (const rule of candidates.rules) {
    const own = blockPairs(data, [rule], options);
    const sample = samplePairs(own, TRAINING_PAIRS, options.seed ?? 1);
    const training = comparer.compare(sample.left, sample.right);
    const masked = new Set(
      rule.map((term) => vectors.fields.findIndex((field) => field.name === columnOf(term))),
    );
    for (let p = 0; p < training.pairs; p++) for (const f of masked) training.levels[p * k + f] = -1;
    learn(training, masked, rule.join(' & '));
  }
  if (totals.some((total) => total === 0)) learn(vectors, new Set(), 'all candidate pairs');
  const fields = vectors.fields.map((field, f) => ({
    name: field.name,
    levels: field.levels,
    m: [...sums[f]!].map((sum) => sum / totals[f]!),
    u: u[f]!,
  }));
  return { params: { lambda: priorFor(vectors, fields), fields }, em: { sessions } };
}

const TRAINING_PAIRS = 1_000_000;

/** At most `count` of the pairs, drawn evenly at random (a prefix would over-represent the first blocks). */
function samplePairs(
  pairs: CandidatePairs,
  count: number,
  seed: number,
): { left: Int32Array; right: Int32Array } {
  if (pairs.count <= count) return { left: pairs.left, right: pairs.right };
  const draw = random(seed);
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  // Selection sampling (Knuth's algorithm S): each pair is kept with the probability still needed.
  for (let p = 0, kept = 0; kept < count; p++) {
    if ((pairs.count - p) * draw() < count - kept) {
      left[kept] = pairs.left[p]!;
      right[kept] = pairs.right[p]!;
      kept++;
    }
  }
  return { left, right };
}

export interface Session {
  rule: string;
  pairs: number;
  iterations: number;
  converged: boolean;
  lambda: number;
}

/** The share of candidate pairs that match, given m and u: iterate lambda = mean posterior. */
function priorFor(vectors: ComparisonVectors, fields: ModelParameters['fields']): number {
  const { weight } = scorePairs(vectors, { lambda: 0.5, fields }); // prior 0.5: weight = log2 Bayes factor
  let lambda = 0.01;
  for (let iteration = 0; iteration < 100; iteration++) {
    let sum = 0;
    for (let p = 0; p < weight.length; p++) {
      const odds = (lambda / (1 - lambda)) * 2 ** weight[p]!;
      sum += odds / (1 + odds);
    }
    const next = Math.min(Math.max(sum / weight.length, 1e-6), 1 - 1e-6);
    if (Math.abs(next - lambda) < 1e-7) return next;
    lambda = next;
  }
  return lambda;
}

/**
 * Term frequencies for names and exact codes: agreeing on GARCIA is weaker evidence than agreeing on a rare
 * surname. For each such field, the share of records holding the agreed value, for pairs that agree exactly.
 */
function termFrequencies(
  data: Dataset,
  config: LinkConfig,
  vectors: ComparisonVectors,
  pairs: CandidatePairs,
): (Float64Array | undefined)[] {
  const shares = valueShares(data, config);
  return pairTermFrequencies(data, config, vectors, pairs, (f, value) => shares[f]!.get(value)!);
}

/** Fields whose agreement is weighed by how common the agreed value is (names and exact codes). */
export const hasTermFrequency = (field: { type: string; unique?: boolean }) =>
  !field.unique && (field.type === 'name' || field.type === 'surname' || field.type === 'exact');

/** For each term-frequency field, the share of records holding each value. */
export function valueShares(data: Dataset, config: LinkConfig): (Map<string, number> | undefined)[] {
  return config.fields.map((field) => {
    if (!hasTermFrequency(field)) return undefined;
    const counts = new Map<string, number>();
    let present = 0;
    for (const value of data.values.get(field.column)!) {
      if (value === null) continue;
      present++;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    for (const [value, count] of counts) counts.set(value, count / present);
    return counts;
  });
}

/** Per pair and term-frequency field, the share of the value two records agree on exactly (else 0). */
export function pairTermFrequencies(
  data: Dataset,
  config: LinkConfig,
  vectors: ComparisonVectors,
  pairs: { count: number; left: Int32Array },
  shareOf: (field: number, value: string) => number,
): (Float64Array | undefined)[] {
  const k = config.fields.length;
  return config.fields.map((field, f) => {
    if (!hasTermFrequency(field)) return undefined;
    const values = data.values.get(field.column)!;
    const top = vectors.fields[f]!.levels.length - 1;
    const tf = new Float64Array(pairs.count);
    for (let p = 0; p < pairs.count; p++) {
      if (vectors.levels[p * k + f] !== top) continue;
      tf[p] = shareOf(f, values[pairs.left[p]!]!);
    }
    return tf;
  });
}

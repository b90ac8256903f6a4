import {
  type BlockingRule,
  blockPairs,
  type CandidatePairs,
  foundBy,
  pairsUnderRule,
  parseTerm,
  ruleMatchers,
  samplePairsUnderRule,
} from './blocking';
import { type Clusters, clusterLinks, type UniqueGuard } from './cluster';
import { comparatorFor } from './comparators';
import { DEFAULT_THRESHOLDS, type LinkConfig } from './config';
import type { Dataset } from './dataset';
import {
  type ComparisonVectors,
  estimateU,
  expectationMaximization,
  type ModelParameters,
  scorePairs,
} from './model';
import { compareInWorkers, defaultWorkers, PairComparer } from './pair-comparer';

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
  /**
   * Broader rules the prior is stated against: the matches estimated among the candidates, as a share of the
   * pairs these rules would make (counted, not generated). Narrow rules leave out mostly pairs that are
   * plainly different people; a prior over their candidates alone would rise with the narrowing and lift such
   * pairs into review. The system states its prior against the rules it blocked by before they were narrowed,
   * which its thresholds were set for. Without them the prior is the share of all pairs that match
   * (`priorOverAllPairs`; docs/decisions/0028).
   */
  priorRules?: BlockingRule[];
}

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
    if (pairsUnderRule(data, [t]) <= budget) chosen.push([t]);
    else tooBig.push(t);
  }
  for (let a = 0; a < tooBig.length; a++) {
    for (let b = a + 1; b < tooBig.length; b++) {
      const rule = [tooBig[a]!, tooBig[b]!];
      if (pairsUnderRule(data, rule) <= budget) chosen.push(rule);
    }
  }
  return chosen;
}

/** The whole run: block, compare, estimate u from random pairs and m by EM, score, decide, cluster. */
export function runLinkage(config: LinkConfig, data: Dataset, options: LinkageOptions): LinkageRun {
  const run = startRun(config, data, options);
  const started = clock();
  const compared = run.comparer.compare(run.compared.left, run.compared.right);
  run.seconds.comparing = clock() - started;
  return finishRun(config, data, options, run, compared);
}

/**
 * The same run with the comparisons split across worker threads (`workers`, default one per core): the
 * pairs, their levels and so every result are identical to `runLinkage`'s.
 */
export async function runLinkageInWorkers(
  config: LinkConfig,
  data: Dataset,
  options: LinkageOptions & {
    workers?: number;
    /** Fewer pairs than this are compared on the main thread (a worker's start costs more). */
    minPairsForWorkers?: number;
  },
): Promise<LinkageRun> {
  const run = startRun(config, data, options);
  const started = clock();
  const compared = await compareInWorkers(
    run.comparer,
    run.compared.left,
    run.compared.right,
    options.workers ?? defaultWorkers(),
    options.minPairsForWorkers,
  );
  run.seconds.comparing = clock() - started;
  return finishRun(config, data, options, run, compared);
}

const clock = () => performance.now() / 1000;

function startRun(config: LinkConfig, data: Dataset, options: LinkageOptions) {
  const seconds = { blocking: 0, comparing: 0, estimating: 0, scoring: 0, clustering: 0 };
  const blocking = { crossOnly: options.crossOnly, maxBlockSize: config.maxBlockSize ?? 5_000 };
  const started = clock();
  const rules = config.blocking ?? chooseBlockingRules(data, config);
  const pairs = blockPairs(data, rules, blocking);
  seconds.blocking = clock() - started;
  // The random pairs u is estimated from are compared with the candidates, in one pass (and one worker job).
  const randomSample = options.model
    ? { left: new Int32Array(0), right: new Int32Array(0) }
    : randomPairs(
        data,
        options.randomPairs ?? Math.min(300_000, 50 * data.ids.length),
        options.crossOnly,
        options.seed ?? 1,
      );
  const concat = (a: Int32Array, b: Int32Array) => {
    const both = new Int32Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    return both;
  };
  // So are samples of the reference rules' pairs that are not candidates, for their EM sessions.
  const key = (rule: BlockingRule) => rule.join('\u0000');
  const blocked = new Set(rules.map(key));
  const draw = random(options.seed ?? 1);
  const sessions = options.model
    ? []
    : (options.priorRules ?? [])
        .filter((rule) => !blocked.has(key(rule)))
        .map((rule) => ({
          rule,
          ...samplePairsUnderRule(data, rule, SESSION_SAMPLE, { maxBlockSize: blocking.maxBlockSize, draw }),
        }));
  let left = concat(pairs.left, randomSample.left);
  let right = concat(pairs.right, randomSample.right);
  const sampled: { rule: BlockingRule; first: number; count: number }[] = [];
  for (const session of sessions) {
    sampled.push({ rule: session.rule, first: left.length, count: session.left.length });
    left = concat(left, session.left);
    right = concat(right, session.right);
  }
  return {
    seconds,
    rules,
    pairs,
    compared: { left, right, random: randomSample.left.length, sampled },
    comparer: PairComparer.of(data, config.fields),
  };
}

function finishRun(
  config: LinkConfig,
  data: Dataset,
  options: LinkageOptions,
  run: ReturnType<typeof startRun>,
  compared: ComparisonVectors,
): LinkageRun {
  const { seconds, rules, pairs } = run;
  const k = compared.fields.length;
  const vectors = {
    fields: compared.fields,
    pairs: pairs.count,
    levels: compared.levels.subarray(0, pairs.count * k),
  };
  let started = clock();
  const estimate = () => {
    const from = pairs.count;
    const to = from + run.compared.random;
    const u = estimateU({
      fields: compared.fields,
      pairs: to - from,
      levels: compared.levels.subarray(from * k, to * k),
    });
    const sampled = run.compared.sampled.map(({ rule, first, count }) => ({
      rule,
      vectors: {
        fields: compared.fields,
        pairs: count,
        levels: compared.levels.subarray(first * k, (first + count) * k),
      },
    }));
    // The sessions: the reference rules when given (a candidate rule's pairs picked out of the candidates,
    // a broader rule's from its sample), else the blocking rules.
    const training = options.priorRules ?? rules;
    const { fields, em } = estimateBySessions(data, { pairs, vectors, rules: training, sampled }, u, {
      seed: options.seed ?? 1,
    });
    return { params: { lambda: priorOf(fields), fields }, em };
  };
  // The prior: stated against the reference rules' pairs when given (the system's), else the share of all pairs.
  const priorOf = (fields: ModelParameters['fields']) => {
    if (options.priorRules) {
      const reference = options.priorRules.reduce((sum, rule) => sum + pairsUnderRule(data, rule), 0);
      const lambda = priorFor(vectors, fields);
      return reference > pairs.count ? (lambda * pairs.count) / reference : lambda;
    }
    const n = data.ids.length;
    const left = options.crossOnly ? data.side.filter((side) => side === 0).length : 0;
    return priorOverAllPairs(vectors, fields, tf, options.crossOnly ? left * (n - left) : (n * (n - 1)) / 2);
  };
  const tf = options.model
    ? pairTermFrequencies(data, config, vectors, pairs, options.model.shareOf)
    : termFrequencies(data, config, vectors, pairs);
  const { params, em } = options.model ? { params: options.model.params, em: { sessions: [] } } : estimate();
  seconds.estimating = clock() - started;

  started = clock();
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
 * the other fields say (the model cannot learn that when no two records in a run share one); and two records
 * holding different values of one (more than a keying error apart) are two entities by the same definition,
 * neither linked nor put to a person: the clustering could never join them, and at 600,000 children such
 * pairs of namesakes were 1.58 million of 1.78 million pairs queued for review, 66 of them one child.
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
      : unique.some(({ f }) => vectors.levels[p * k + f] === 0)
        ? DECISION.none
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

/**
 * m-probabilities without labels, one EM session per blocking rule, Splink's way: a session sees all the
 * pairs its rule finds (not just those earlier rules missed, which would be biased against agreement on
 * their fields), at most `TRAINING_PAIRS` of them. Those pairs agree on the rule's own fields by
 * construction, so those fields are masked (treated as missing) in the session and learn nothing there;
 * every other field's m is learnt from it. A field's m is the average over the sessions where it was free,
 * weighted by the matches each found. A field no session leaves free is learnt from all candidate pairs,
 * unmasked. (The prior is estimated after, with m and u held: `priorOf` in finishRun.)
 *
 * Every pair a rule finds is a candidate pair (the union of the rules), so a session's pairs are picked out
 * of the candidates' comparison vectors by the rule's keys: nothing is blocked or compared again.
 */
export function estimateBySessions(
  data: Dataset,
  candidates: {
    pairs: CandidatePairs;
    vectors: ComparisonVectors;
    /** The sessions' rules. */
    rules: BlockingRule[];
    /** Comparisons of samples of rules whose pairs are not all candidates (broader ones). */
    sampled?: { rule: BlockingRule; vectors: ComparisonVectors }[];
  },
  u: number[][],
  options: { seed?: number },
): { fields: ModelParameters['fields']; em: { sessions: Session[] } } {
  const { vectors, pairs } = candidates;
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
  const matchers = ruleMatchers(data, candidates.rules);
  const own = new Int32Array(pairs.count);
  for (const [r, rule] of candidates.rules.entries()) {
    const masked = new Set(
      rule.map((term) => vectors.fields.findIndex((field) => field.name === parseTerm(term).column)),
    );
    const sampled = candidates.sampled?.find((s) => s.rule.join('\u0000') === rule.join('\u0000'));
    let source = vectors;
    let sample: Int32Array;
    if (sampled) {
      source = sampled.vectors;
      sample = Int32Array.from({ length: source.pairs }, (_, p) => p);
    } else {
      const matcher = matchers[r]!;
      let found = 0;
      for (let p = 0; p < pairs.count; p++) {
        if (foundBy(matcher, pairs.left[p]!, pairs.right[p]!)) own[found++] = p;
      }
      sample = samplePairs(own.subarray(0, found), TRAINING_PAIRS, options.seed ?? 1);
    }
    const levels = new Int8Array(sample.length * k);
    for (let s = 0; s < sample.length; s++) {
      levels.set(source.levels.subarray(sample[s]! * k, sample[s]! * k + k), s * k);
      for (const f of masked) if (f >= 0) levels[s * k + f] = -1;
    }
    learn({ fields: vectors.fields, pairs: sample.length, levels }, masked, rule.join(' & '));
  }
  if (totals.some((total) => total === 0)) learn(vectors, new Set(), 'all candidate pairs');
  const fields = vectors.fields.map((field, f) => ({
    name: field.name,
    levels: field.levels,
    m: [...sums[f]!].map((sum) => sum / totals[f]!),
    u: u[f]!,
  }));
  return { fields, em: { sessions } };
}

const TRAINING_PAIRS = 1_000_000;

/** Pairs sampled from a broader reference rule for its EM session. */
const SESSION_SAMPLE = 300_000;

/** At most `count` of the pair indices, drawn evenly at random (a prefix would over-represent the first blocks). */
function samplePairs(indices: Int32Array, count: number, seed: number): Int32Array {
  if (indices.length <= count) return indices;
  const draw = random(seed);
  const kept = new Int32Array(count);
  // Selection sampling (Knuth's algorithm S): each pair is kept with the probability still needed.
  for (let p = 0, n = 0; n < count; p++) {
    if ((indices.length - p) * draw() < count - n) kept[n++] = indices[p]!;
  }
  return kept;
}

export interface Session {
  rule: string;
  pairs: number;
  iterations: number;
  converged: boolean;
  lambda: number;
}

/**
 * The share of all pairs of records that match, given m and u: EM for lambda alone, a candidate pair counting
 * its posterior and every pair blocking left out counting as a non-match (the few matches among them make the
 * prior a little low, never high). Over the candidates alone (`priorFor`) the share counts their agreement on
 * the blocked fields twice, in choosing them and in their weights: on names and a birth date, 0.43 where 0.042
 * of the candidates matched (docs/decisions/0028).
 */
function priorOverAllPairs(
  vectors: ComparisonVectors,
  fields: ModelParameters['fields'],
  tf: (Float64Array | undefined)[],
  all: number,
): number {
  if (vectors.pairs === 0 || all < 1) return 0;
  const { weight } = scorePairs(vectors, { lambda: 0.5, fields }, tf); // prior 0.5: weight = log2 Bayes factor
  // With term frequencies the weights are many: counted to 1/256 of a bit (thousands, not millions of pairs).
  const factors = distinctFactors(weight, 256);
  let lambda = Math.min(vectors.pairs / all, 0.5); // as if every candidate matched: EM comes down from there
  for (let iteration = 0; iteration < 1000; iteration++) {
    const next = expectedMatches(factors, lambda) / all;
    if (Math.abs(next - lambda) <= 1e-6 * lambda) return next;
    lambda = next;
  }
  return lambda;
}

/**
 * The share of candidate pairs that match, given m and u: iterate lambda = mean posterior. The system's prior,
 * before it is stated against the reference rules' pairs (`priorRules`).
 */
function priorFor(vectors: ComparisonVectors, fields: ModelParameters['fields']): number {
  const { weight } = scorePairs(vectors, { lambda: 0.5, fields }); // prior 0.5: weight = log2 Bayes factor
  // Without term frequencies a weight is one of few values (one per comparison pattern): iterate over those.
  const factors = distinctFactors(weight);
  let lambda = 0.01;
  for (let iteration = 0; iteration < 100; iteration++) {
    const next = Math.min(Math.max(expectedMatches(factors, lambda) / weight.length, 1e-6), 1 - 1e-6);
    if (Math.abs(next - lambda) < 1e-7) return next;
    lambda = next;
  }
  return lambda;
}

/** The pairs' distinct Bayes factors from their log2 weights (to 1/`steps` of a bit when given), each with its count. */
function distinctFactors(weight: Float64Array, steps?: number) {
  const counts = new Map<number, number>();
  for (let p = 0; p < weight.length; p++) {
    const w = steps ? Math.round(weight[p]! * steps) : weight[p]!;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return {
    factors: Float64Array.from(counts.keys(), (w) => 2 ** (steps ? w / steps : w)),
    times: Float64Array.from(counts.values()),
  };
}

/** The matches expected among the pairs at prior lambda: the sum of their posteriors. */
function expectedMatches({ factors, times }: ReturnType<typeof distinctFactors>, lambda: number): number {
  let sum = 0;
  for (let v = 0; v < factors.length; v++) {
    const odds = (lambda / (1 - lambda)) * factors[v]!;
    sum += (times[v]! * odds) / (1 + odds);
  }
  return sum;
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

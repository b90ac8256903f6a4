import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Comparator, type ComparatorType, comparatorFor, type PreparingComparator } from './comparators';
import { type Dataset, internColumn } from './dataset';
import type { ComparisonVectors } from './model';

/** What a comparer needs of the configuration: each field's column and comparator type. */
export type ComparedField = { column: string; type: ComparatorType };

/**
 * A comparer's state, plain enough to post to a worker once: per field the distinct values and each
 * record's value as an index into them (-1: missing).
 */
export interface ComparerState {
  fields: ComparedField[];
  ids: Int32Array[];
  distinct: string[][];
  /**
   * Fields whose values are nearly all different (identifiers), given each record's own id instead of interned:
   * their value pairs are compared without a cache, which would only fill up.
   */
  uncached?: boolean[];
}

/** Each field's values interned: identical values compare by id. */
export function comparerState(data: Dataset, fields: readonly ComparedField[]): ComparerState {
  const columns = fields.map((field) => internColumn(data.values.get(field.column)!));
  return {
    fields: fields.map(({ column, type }) => ({ column, type })),
    ids: columns.map((column) => column.ids),
    distinct: columns.map((column) => column.distinct),
  };
}

/**
 * Levels of distinct value pairs already compared, in an open-addressing table of typed arrays (a Map keyed
 * by a * width + b boxes every key beyond 2^31 and was most of the time spent comparing). It starts small (a
 * batch of a few thousand pairs should not allocate megabytes) and doubles up to 2^21 slots; full at that
 * size it is emptied, and refills with the pairs that recur (common names within a block).
 */
class PairCache {
  private a = new Int32Array(1 << 12).fill(-1);
  private b = new Int32Array(1 << 12);
  private level = new Int8Array(1 << 12);
  private size = 0;

  /** The slot of (a, b): where it is, or the empty slot where it belongs (then a[slot] is -1). */
  private slot(a: number, b: number): number {
    const mask = this.a.length - 1;
    let at = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
    while (this.a[at] !== -1 && (this.a[at] !== a || this.b[at] !== b)) at = (at + 1) & mask;
    return at;
  }

  get(a: number, b: number): number | undefined {
    const at = this.slot(a, b);
    return this.a[at] === -1 ? undefined : this.level[at]!;
  }

  set(a: number, b: number, level: number): void {
    if (this.size * 2 >= this.a.length) this.grow();
    const at = this.slot(a, b);
    this.a[at] = a;
    this.b[at] = b;
    this.level[at] = level;
    this.size++;
  }

  private grow(): void {
    const [a, b, level] = [this.a, this.b, this.level];
    const slots = a.length >= MAX_CACHE_SLOTS ? a.length : a.length * 2;
    this.a = new Int32Array(slots).fill(-1);
    this.b = new Int32Array(slots);
    this.level = new Int8Array(slots);
    this.size = 0;
    if (slots === a.length) return; // at the largest size: emptied
    for (let at = 0; at < a.length; at++) if (a[at] !== -1) this.set(a[at]!, b[at]!, level[at]!);
  }
}

const MAX_CACHE_SLOTS = 1 << 21;

/**
 * Compares record pairs field by field. Values are interned once per field, so identical values compare by
 * id (their level computed once per value), and each distinct pair of values is compared once: names repeat
 * (MARIA, GARCIA), and the slow string comparisons run only for value pairs not seen before. Comparators are
 * symmetric, so (a, b) and (b, a) share a cached level.
 */
export class PairComparer {
  readonly fields: ComparisonVectors['fields'];
  private readonly comparators: Comparator[];
  private readonly caches: (PairCache | undefined)[];
  /** Per field and distinct value, the level of the value against itself (-2: not yet known). */
  private readonly selfLevels: Int8Array[];
  /**
   * Per field whose comparator prepares values, each distinct value's prepared form once made (null: nothing
   * usable, so missing); a value meets many others.
   */
  private readonly prepared: (unknown[] | undefined)[];

  /**
   * `previous`: a comparer whose work this one continues (a process linking batch after batch) on every field whose
   * distinct values are the same list, only ever appended to: its prepared values, self levels and cached pairs
   * hold for the same ids.
   */
  constructor(
    readonly state: ComparerState,
    previous?: PairComparer,
  ) {
    this.comparators = state.fields.map((field) => comparatorFor(field.type, field.column));
    this.fields = state.fields.map((field, f) => ({
      name: field.column,
      levels: this.comparators[f]!.levels,
    }));
    const continued = state.fields.map(
      (field, f) =>
        previous?.state.distinct[f] === state.distinct[f] && previous?.state.fields[f]?.type === field.type,
    );
    // Exact fields need no cache: two different values are different (or missing, as a value alone is).
    this.caches = state.fields.map((field, f) =>
      field.type === 'exact' || state.uncached?.[f]
        ? undefined
        : continued[f]
          ? previous!.caches[f]
          : new PairCache(),
    );
    this.selfLevels = state.distinct.map((values, f) => {
      const levels = new Int8Array(values.length).fill(-2);
      if (continued[f]) levels.set(previous!.selfLevels[f]!);
      return levels;
    });
    // Sized to the values up front (and grown with them): an array written at scattered indices past its length
    // becomes a slow dictionary.
    this.prepared = this.comparators.map((comparator, f) => {
      if (!('prepare' in comparator)) return undefined;
      const prepared = continued[f] ? previous!.prepared[f]! : [];
      prepared.length = Math.max(prepared.length, state.distinct[f]!.length);
      return prepared;
    });
  }

  static of(data: Dataset, fields: readonly ComparedField[]): PairComparer {
    return new PairComparer(comparerState(data, fields));
  }

  /**
   * The levels of pairs (left[p], right[p]) into `levels` (k per pair), for p = first, first + step, … (a
   * worker takes every step-th pair, so each gets its share of the slow, rarely repeated value pairs).
   */
  compareInto(left: Int32Array, right: Int32Array, levels: Int8Array, first = 0, step = 1): void {
    const to = left.length;
    const k = this.fields.length;
    for (let f = 0; f < k; f++) {
      const ids = this.state.ids[f]!;
      const values = this.state.distinct[f]!;
      const comparator = this.comparators[f]!;
      const cache = this.caches[f];
      const self = this.selfLevels[f]!;
      const missing = comparator.compare(null, null);
      const exact = this.state.fields[f]!.type === 'exact';
      const prepared = this.prepared[f];
      const preparing = comparator as PreparingComparator<unknown>;
      const preparedAt = (a: number) => {
        let value = prepared![a];
        if (value === undefined) {
          value = preparing.prepare(values[a]!) ?? null;
          prepared![a] = value;
        }
        return value;
      };
      /** Two different values, compared (prepared once each where the comparator prepares). */
      const compareDistinct = (a: number, b: number) => {
        if (!prepared) return comparator.compare(values[a]!, values[b]!);
        const pa = preparedAt(a);
        const pb = preparedAt(b);
        return pa === null || pb === null ? missing : preparing.comparePrepared(pa, pb);
      };
      const selfLevel = (a: number) => {
        let level = self[a]!;
        if (level === -2) {
          level = comparator.compare(values[a]!, values[a]!);
          self[a] = level;
        }
        return level;
      };
      for (let p = first; p < to; p += step) {
        const a = ids[left[p]!]!;
        const b = ids[right[p]!]!;
        let level: number;
        if (a < 0 || b < 0) level = missing;
        else if (a === b) level = selfLevel(a);
        else if (exact)
          // Interned, different ids are different values; an uncached field's may be equal.
          level =
            values[a] === values[b]
              ? selfLevel(a)
              : selfLevel(a) === missing || selfLevel(b) === missing
                ? missing
                : 0;
        else if (!cache) level = compareDistinct(a, b);
        else {
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          const known = cache.get(lo, hi);
          if (known !== undefined) level = known;
          else {
            level = compareDistinct(lo, hi);
            cache.set(lo, hi, level);
          }
        }
        levels[p * k + f] = level;
      }
    }
  }

  compare(left: Int32Array, right: Int32Array): ComparisonVectors {
    const levels = new Int8Array(left.length * this.fields.length);
    this.compareInto(left, right, levels);
    return { fields: this.fields, pairs: left.length, levels };
  }
}

// The worker is TypeScript like the rest: it registers tsx's require hook itself (on Node 20 a worker does
// not get the main thread's module hooks, nor those of an --import in its execArgv), then loads the module.
const WORKER_SOURCE = `require(${JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs'))});
require(${JSON.stringify(fileURLToPath(new URL('./compare-worker.ts', import.meta.url)))});`;

/** Below this many pairs a worker's start costs more than it saves. */
const MIN_PAIRS_FOR_WORKERS = 200_000;

/** Worker threads to compare with by default: one per core. */
export const defaultWorkers = () => Math.max(1, Math.min(availableParallelism(), 8));

/**
 * The same levels as `comparer.compare`, computed by `workers` threads, each on every `workers`-th pair. The comparer's state (the interned values) is posted once per worker; pairs and levels live in
 * shared memory, so nothing is copied back.
 */
export async function compareInWorkers(
  comparer: PairComparer,
  left: Int32Array,
  right: Int32Array,
  workers = defaultWorkers(),
  minPairs = MIN_PAIRS_FOR_WORKERS,
): Promise<ComparisonVectors> {
  const count = left.length;
  const k = comparer.fields.length;
  if (workers <= 1 || count < minPairs) return comparer.compare(left, right);
  const shared = (array: Int32Array) => {
    const copy = new Int32Array(new SharedArrayBuffer(array.length * 4));
    copy.set(array);
    return copy;
  };
  const sharedLeft = shared(left);
  const sharedRight = shared(right);
  const levels = new Int8Array(new SharedArrayBuffer(count * k));
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: {
            state: comparer.state,
            left: sharedLeft,
            right: sharedRight,
            levels,
            first: w,
            step: workers,
          },
        });
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`comparison worker stopped with code ${code}`));
        });
      });
    }),
  );
  return { fields: comparer.fields, pairs: count, levels };
}

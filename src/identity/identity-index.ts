import type { Database, Sql } from '../db';
import { mix32 } from '../linkage/blocking';
import { type Dataset, groupByNumber } from '../linkage/dataset';
import { type ComparedField, PairComparer } from '../linkage/pair-comparer';
import { ChildIdentifiers } from './child-identifiers';
import { blockKeysOf, type KeyList, signatureOf } from './identities';
import { PERSON_FIELDS, type PersonField } from './person-config';

/** Identities read per statement while an index catches up with the store. */
const SYNC_SLICE = 100_000;

/**
 * Room made per identity: its signature, one key for each of the system's eleven rules, and the fallback rule's
 * second for the few lacking a birth date and an A-number. There is a bucket per entry: a chain holds a key's
 * identities and little else.
 */
const KEYS_PER_IDENTITY = 13;

/** The seed of a signature's entry, apart from every rule's keys (`blockKeysOf`: 2r and 2r + 1). */
const SIGNATURE_SEED = -1;

/** The first fields, with few distinct values, are numbered (names, dates, sex, country; not the identifiers). */
const NUMBERED_FIELDS = 5;

/**
 * The store's identities in memory, for linking a batch (docs/decisions/0026): each identity's values, child and
 * first record, and its blocking keys (`blockKeysOf`'s stored keys) and signature as 64-bit hashes in chains by
 * bucket, so a batch's known identities and candidates, and their children, are walks of chains instead of tens
 * of thousands of index probes and heap pages in SQL.
 *
 * Identities are only ever added, and their values never change; a relink moves some to other children, and a
 * trigger logs each move in identity_moves. Every writer of person_identities holds the linking lock, so ids and
 * moves commit in order and `sync`, under the same lock, catches up by reading the ids and moves above the last
 * it holds.
 */
export class IdentityIndex {
  /** How many identities the index holds; positions are 0 .. size - 1, in id order. */
  size = 0;
  private lastId = 0;
  private lastMove = 0;
  private ids = new Float64Array(1 << 10);
  private children = new Float64Array(1 << 10);
  private firstRecords = new Float64Array(1 << 10);
  private columns: (string | null)[][] = PERSON_FIELDS.map(() => []);
  // The fields with few distinct values, numbered for the life of the index: each value kept once (`distinct`),
  // each identity's as its number (`numbers`, -1: none), so a batch's comparer continues the last one's work.
  private numberOf: (Map<string, number> | undefined)[] = PERSON_FIELDS.map((_, f) =>
    f < NUMBERED_FIELDS ? new Map<string, number>() : undefined,
  );
  private distinct: string[][] = PERSON_FIELDS.map(() => []);
  private numbers = Array.from({ length: NUMBERED_FIELDS }, () => new Int32Array(1 << 10));
  /** The last batch's comparer, whose prepared values and compared pairs the next one continues. */
  private comparer: PairComparer | undefined;
  // Key entries, four numbers each, side by side so a chain's step reads one cache line: the key's hash in two
  // halves, the identity it belongs to, the next entry of its bucket (-1: none).
  private entries = 0;
  private entry = new Int32Array(4 << 12);
  private heads = new Int32Array(1 << 12).fill(-1);
  /** How many identities hold each plain key of a fallback rule (the size of its block), by `blockKeyOf`. */
  private fallbackBlocks = new Map<number, number>();
  // Positions already paired with the new identity `pairsOf` is at.
  private seen = new Int32Array(1 << 10);
  private round = 0;
  /** Each paired position's place among the batch's `pairsOf` positions while it numbers them; -1 otherwise. */
  private slot = new Int32Array(1 << 10).fill(-1);
  /** Which identifiers each child holds, as far as linking needs to know. */
  readonly childIdentifiers = new ChildIdentifiers();

  /** The index of a database handle, made empty on first use and kept for the life of the handle. */
  static of(db: Database): IdentityIndex {
    let index = indexes.get(db);
    if (!index) {
      index = new IdentityIndex();
      indexes.set(db, index);
    }
    return index;
  }

  /**
   * Reads the identities added to the store and the moves made since the last call; the caller holds the linking
   * lock. The last identity and the last move read must still be in the store as they were read: if not, the
   * store was emptied or restored, or their transaction rolled back (both are written in id order, so they were
   * the newest), and the whole store is read again.
   */
  async sync(sql: Sql): Promise<void> {
    const [state] = await sql.query<{
      last: number;
      kept: string | null;
      last_move: number;
      move_kept: boolean;
    }>(
      `select coalesce(max(id), 0) as last, (select signature from person_identities where id = $1) as kept,
         (select coalesce(max(id), 0) from identity_moves) as last_move,
         exists (select 1 from identity_moves where id = $2) as move_kept
       from person_identities`,
      [this.lastId, this.lastMove],
    );
    const [last, lastMove] = [Number(state!.last), Number(state!.last_move)];
    if (
      (this.size > 0 && state!.kept !== this.signatureAt(this.size - 1)) ||
      (this.lastMove > 0 && !state!.move_kept)
    )
      this.clear();
    // Moves of identities not yet held are in the rows read below.
    if (this.size === 0) {
      this.lastMove = lastMove;
      await this.childIdentifiers.read(sql);
    }
    while (lastMove > this.lastMove) {
      const moves = await sql.query<{ id: number; identity_id: number; child_id: number }>(
        'select id, identity_id, child_id from identity_moves where id > $1 and id <= $2 order by id limit $3',
        [this.lastMove, lastMove, SYNC_SLICE],
      );
      if (moves.length === 0) break;
      for (const move of moves) {
        const at = positionOfId(this.ids, Number(move.identity_id), this.size);
        if (at >= 0) this.children[at] = Number(move.child_id);
      }
      this.lastMove = Number(moves.at(-1)!.id);
    }
    this.lastMove = lastMove;
    this.reserve(this.size + last - this.lastId);
    while (last > this.lastId) {
      const rows = await sql.query<Record<string, string | null>>(
        `select id, child_id, first_record_id, ${PERSON_FIELDS.join(', ')} from person_identities
         where id > $1 order by id limit $2`,
        [this.lastId, SYNC_SLICE],
      );
      if (rows.length === 0) break;
      this.add(
        rows.map((row) => ({
          id: Number(row.id),
          childId: Number(row.child_id),
          recordId: Number(row.first_record_id),
        })),
        PERSON_FIELDS.map((field) => rows.map((row) => row[field] ?? null)),
      );
    }
  }

  /** Forgets everything: the next `sync` reads the whole store. */
  clear(): void {
    Object.assign(this, new IdentityIndex());
  }

  /**
   * The candidate pairs of a batch of new identities (`blockKeysOf` of them, `size` identities): each new identity
   * with every stored identity and every other new one it shares a key with, once, under the first rule that
   * finds the pair — what `blockPairs` makes of the batch and its candidates with `touching`, without reading
   * the candidates' values to block them. A block (everyone with one plain key under a rule) larger than
   * `maxBlock` makes no pairs under that rule. Returns the stored identities paired (`positions`, ascending) and
   * the pairs, numbered as a dataset of those identities followed by the batch's: `left` a stored identity's
   * index in `positions` (or, for two new identities, `positions.length` + the first's index), `right`
   * `positions.length` + the new identity's index.
   */
  pairsOf(
    batch: { stored: KeyList; probes: KeyList },
    size: number,
    maxBlock: number,
  ): { positions: Int32Array; left: Int32Array; right: Int32Array; count: number } {
    const { stored, probes } = batch;
    // The batch's own keys in chains by bucket, as the index's: new identities find each other there.
    let ownBuckets = 1;
    while (ownBuckets < stored.owner.length) ownBuckets *= 2;
    const ownHeads = new Int32Array(ownBuckets).fill(-1);
    const ownNext = new Int32Array(stored.owner.length);
    for (let k = 0; k < stored.owner.length; k++) {
      const bucket = stored.low[k]! & (ownBuckets - 1);
      ownNext[k] = ownHeads[bucket]!;
      ownHeads[bucket] = k;
    }
    const found = this.matchesOf(probes);
    /** How many new identities hold a key plainly. */
    const ownHoldingPlainly = (high: number, low: number) => {
      let count = 0;
      for (let k = ownHeads[low & (ownBuckets - 1)]!; k >= 0; k = ownNext[k]!)
        if (stored.low[k] === low && stored.high[k] === high && stored.marked[k] === 0) count++;
      return count;
    };
    // Each new identity's probes in turn, in the rules' order (a counting sort by owner keeps it).
    const { start, members: byOwner } = groupByNumber(probes.owner, size);

    const pairedStored: number[] = [];
    const paired: number[] = []; // each stored position once
    const pairOwner: number[] = [];
    const pairedNewLeft: number[] = [];
    const pairedNewRight: number[] = [];
    const newSeen = new Int32Array(size).fill(-1);
    const newMatches: number[] = [];
    for (let i = 0; i < size; i++) {
      const round = this.nextRound();
      for (let at = start[i]!; at < start[i + 1]!; at++) {
        const k = byOwner[at]!;
        const high = probes.high[k]!;
        const low = probes.low[k]!;
        newMatches.length = 0;
        for (let m = ownHeads[low & (ownBuckets - 1)]!; m >= 0; m = ownNext[m]!)
          if (stored.low[m] === low && stored.high[m] === high) newMatches.push(stored.owner[m]!);
        // The block: everyone with the plain key (for a marked probe, more than the few it pairs with).
        let block = found.start[k + 1]! - found.start[k]! + newMatches.length;
        if (probes.marked[k] === 1) {
          const plainHigh = probes.blockHigh[k]!;
          const plainLow = probes.blockLow[k]!;
          block =
            (this.fallbackBlocks.get(blockKeyOf(plainHigh, plainLow)) ?? 0) +
            ownHoldingPlainly(plainHigh, plainLow);
        }
        if (block > maxBlock) continue;
        for (let m = found.start[k]!; m < found.start[k + 1]!; m++) {
          const j = found.owners[m]!;
          if (this.seen[j] === round) continue;
          this.seen[j] = round;
          if (this.slot[j] === -1) {
            this.slot[j] = 0;
            paired.push(j);
          }
          pairedStored.push(j);
          pairOwner.push(i);
        }
        for (const other of newMatches) {
          if (other <= i || newSeen[other] === i) continue;
          newSeen[other] = i;
          pairedNewLeft.push(i);
          pairedNewRight.push(other);
        }
      }
    }
    const positions = Int32Array.from(paired).sort();
    const n = positions.length;
    for (let s = 0; s < n; s++) this.slot[positions[s]!] = s;
    const count = pairedStored.length + pairedNewLeft.length;
    const left = new Int32Array(count);
    const right = new Int32Array(count);
    for (let p = 0; p < pairedStored.length; p++) {
      left[p] = this.slot[pairedStored[p]!]!;
      right[p] = n + pairOwner[p]!;
    }
    for (let s = 0; s < n; s++) this.slot[positions[s]!] = -1;
    pairedNewLeft.forEach((i, q) => {
      left[pairedStored.length + q] = n + i;
      right[pairedStored.length + q] = n + pairedNewRight[q]!;
    });
    return { positions, left, right, count };
  }

  /**
   * The stored identities holding each probe's key: probe `k`'s at `owners[start[k] .. start[k + 1]]`, in the
   * order of its chain. The chains are walked a step at a time across all the probes, not one chain after another:
   * a step is a read of memory far from the last, and steps of different chains, not waiting on each other,
   * overlap (half the time of walking each chain to its end in turn, with a million identities).
   */
  private matchesOf(probes: KeyList): { start: Int32Array; owners: Int32Array } {
    const count = probes.owner.length;
    const mask = this.heads.length - 1;
    const entry = this.entry;
    const cursor = new Int32Array(count);
    const walking = new Int32Array(count);
    let live = 0;
    for (let k = 0; k < count; k++) {
      cursor[k] = this.heads[probes.low[k]! & mask]!;
      if (cursor[k]! >= 0) walking[live++] = k;
    }
    // Each match as its probe and owner, in the order found; then grouped by probe.
    let matchProbe = new Int32Array(count);
    let matchOwner = new Int32Array(count);
    let matches = 0;
    const start = new Int32Array(count + 1);
    while (live > 0) {
      let still = 0;
      for (let w = 0; w < live; w++) {
        const k = walking[w]!;
        const e = cursor[k]!;
        if (entry[4 * e + LOW] === probes.low[k] && entry[4 * e + HIGH] === probes.high[k]) {
          if (matches === matchProbe.length) {
            matchProbe = grown(matchProbe, new Int32Array(2 * matches));
            matchOwner = grown(matchOwner, new Int32Array(2 * matches));
          }
          matchProbe[matches] = k;
          matchOwner[matches++] = entry[4 * e + OWNER]!;
          start[k + 1]!++;
        }
        cursor[k] = entry[4 * e + NEXT]!;
        if (cursor[k]! >= 0) walking[still++] = k;
      }
      live = still;
    }
    for (let k = 0; k < count; k++) start[k + 1]! += start[k]!;
    const fill = start.slice(0, count);
    const owners = new Int32Array(matches);
    for (let m = 0; m < matches; m++) owners[fill[matchProbe[m]!]!++] = matchOwner[m]!;
    return { start, owners };
  }

  /** A new stamp for `seen`: a position stamped with it was collected in this round. */
  private nextRound(): number {
    if (++this.round === 2 ** 31 - 1) {
      this.seen.fill(0);
      this.round = 1;
    }
    return this.round;
  }

  idAt(position: number): number {
    return this.ids[position]!;
  }

  /** The child the identity belongs to now. */
  childAt(position: number): number {
    return this.children[position]!;
  }

  /** The record that first wrote the identity: the one its evidence names. */
  firstRecordAt(position: number): number {
    return this.firstRecords[position]!;
  }

  /**
   * A linkage dataset of these stored identities (side 0) followed by new ones (side 1), built by column: a
   * batch compares tens of thousands of candidates.
   */
  datasetOf(positions: ArrayLike<number>, added: readonly (readonly (string | null)[])[]): Dataset {
    const n = positions.length;
    const size = n + added.length;
    const ids = new Array<string>(size);
    const side = new Uint8Array(size);
    for (let i = 0; i < n; i++) ids[i] = String(this.ids[positions[i]!]!);
    for (let i = n; i < size; i++) {
      ids[i] = String(n - i - 1);
      side[i] = 1;
    }
    const values = new Map(
      PERSON_FIELDS.map((field, f) => {
        const column = this.columns[f]!;
        const out = new Array<string | null>(size);
        for (let i = 0; i < n; i++) out[i] = column[positions[i]!]!;
        for (let i = 0; i < added.length; i++) out[n + i] = added[i]![f] ?? null;
        return [field, out];
      }),
    );
    return { ids, side, values };
  }

  /**
   * Every identity held, by position: what a whole-store link resolves, without reading two million rows again
   * (32.6 s on PGlite at 600,000 children, and a row object per identity beside the index's own values).
   */
  everything(): HeldIdentities {
    return {
      ids: this.ids.slice(0, this.size),
      children: this.children.slice(0, this.size),
      firstRecords: this.firstRecords.slice(0, this.size),
      data: this.datasetOf(
        Int32Array.from({ length: this.size }, (_, i) => i),
        [],
      ),
    };
  }

  /** The identity's signature, as `identityFromFields` makes it: to check a candidate against the store. */
  signatureAt(position: number): string {
    return signatureOf(this.columns.map((column) => column[position]!));
  }

  /** The position of the identity written exactly so (the same values), or -1. */
  positionOf(values: readonly (string | null)[]): number {
    hashValues(values);
    const [high, low] = [hashHigh, hashLow];
    const entry = this.entry;
    for (let e = this.heads[low & (this.heads.length - 1)]!; e >= 0; e = entry[4 * e + NEXT]!) {
      if (entry[4 * e + LOW] !== low || entry[4 * e + HIGH] !== high) continue;
      const at = entry[4 * e + OWNER]!;
      if (this.columns.every((column, f) => column[at] === values[f])) return at;
    }
    return -1;
  }

  /**
   * Adds identities the caller has just stored, in its transaction under the linking lock: the next `sync` need
   * not read them. Should that transaction roll back, the next `sync` finds the last of them gone and reads the
   * whole store again.
   */
  append(
    stored: (Held & { values: readonly (string | null)[] })[],
    /** Their keys under every rule, if the caller made them (`blockKeysOf(...).stored`, owners in this order). */
    keys?: KeyList,
  ): void {
    if (stored.length === 0) return;
    this.add(
      stored,
      PERSON_FIELDS.map((_, f) => stored.map((row) => row.values[f] ?? null)),
      keys,
    );
  }

  /** Identities by column (ids ascending, above the last held), each value kept once where values repeat. */
  private add(held: readonly Held[], slice: (string | null)[][], made?: KeyList): void {
    const first = this.size;
    const n = held.length;
    this.reserve(first + n);
    for (let f = 0; f < PERSON_FIELDS.length; f++) {
      const values = slice[f]!;
      const column = this.columns[f]!;
      const numbered = this.numberOf[f] !== undefined;
      for (let i = 0; i < n; i++) {
        let value = values[i]!;
        if (numbered) {
          const number = value === null ? -1 : this.numbered(f, value);
          this.numbers[f]![first + i] = number;
          if (number >= 0) value = this.distinct[f]![number]!;
          values[i] = value;
        }
        column.push(value);
      }
    }
    const row = new Array<string | null>(PERSON_FIELDS.length);
    for (let i = 0; i < n; i++) {
      this.ids[first + i] = held[i]!.id;
      this.children[first + i] = held[i]!.childId;
      this.firstRecords[first + i] = held[i]!.recordId;
      for (let f = 0; f < row.length; f++) row[f] = slice[f]![i]!;
      hashValues(row);
      this.addKey(hashHigh, hashLow, first + i);
    }
    this.size += n;
    this.lastId = held[n - 1]!.id;
    const keys =
      made ??
      blockKeysOf({
        ids: new Array<string>(n).fill(''),
        side: new Uint8Array(n),
        values: new Map(PERSON_FIELDS.map((field, f) => [field, slice[f]!])),
      }).stored;
    for (let k = 0; k < keys.owner.length; k++) {
      this.addKey(keys.high[k]!, keys.low[k]!, first + keys.owner[k]!);
      if (keys.fallback[k] === 1 && keys.marked[k] === 0) {
        const block = blockKeyOf(keys.high[k]!, keys.low[k]!);
        this.fallbackBlocks.set(block, (this.fallbackBlocks.get(block) ?? 0) + 1);
      }
    }
  }

  /** The number of a value of a numbered field, given one if it is new. */
  private numbered(f: number, value: string): number {
    const numberOf = this.numberOf[f]!;
    let number = numberOf.get(value);
    if (number === undefined) {
      number = this.distinct[f]!.length;
      this.distinct[f]!.push(value);
      numberOf.set(value, number);
    }
    return number;
  }

  /**
   * A comparer of `data` (`datasetOf(positions, …)`: these stored identities, then new ones), continuing the last
   * batch's: on the numbered fields each distinct name is prepared, and each pair of names compared, once for the
   * life of the index instead of once a batch (the values of a batch's candidates are mostly ones seen before); the
   * identifiers, nearly all distinct, are compared as they come (`uncached`).
   */
  comparerOf(positions: ArrayLike<number>, data: Dataset, fields: readonly ComparedField[]): PairComparer {
    const n = positions.length;
    const ids: Int32Array[] = [];
    const distinct: string[][] = [];
    const uncached: boolean[] = [];
    for (const field of fields) {
      const f = PERSON_FIELDS.indexOf(field.column as PersonField);
      const values = data.values.get(field.column)!;
      const numbered = this.numberOf[f] !== undefined;
      uncached.push(!numbered);
      if (!numbered) {
        // Identifiers: each record's value its own (the missing none); equal ones are found equal by comparing.
        const own = new Int32Array(values.length);
        for (let i = 0; i < values.length; i++) own[i] = values[i] == null ? -1 : i;
        ids.push(own);
        distinct.push(values as string[]);
        continue;
      }
      const numbers = this.numbers[f]!;
      const column = new Int32Array(values.length);
      for (let i = 0; i < n; i++) column[i] = numbers[positions[i]!]!;
      for (let i = n; i < values.length; i++) {
        const value = values[i] ?? null;
        column[i] = value === null ? -1 : this.numbered(f, value);
      }
      ids.push(column);
      distinct.push(this.distinct[f]!);
    }
    this.comparer = new PairComparer(
      { fields: fields.map(({ column, type }) => ({ column, type })), ids, distinct, uncached },
      this.comparer,
    );
    return this.comparer;
  }

  private addKey(high: number, low: number, position: number): void {
    if (4 * this.entries === this.entry.length) this.reserve((2 * this.entry.length) / 4 / KEYS_PER_IDENTITY);
    const e = this.entries++;
    const bucket = low & (this.heads.length - 1);
    this.entry[4 * e + HIGH] = high;
    this.entry[4 * e + LOW] = low;
    this.entry[4 * e + OWNER] = position;
    this.entry[4 * e + NEXT] = this.heads[bucket]!;
    this.heads[bucket] = e;
  }

  private rehash(buckets: number): void {
    this.heads = new Int32Array(buckets).fill(-1);
    const mask = buckets - 1;
    for (let e = 0; e < this.entries; e++) {
      const bucket = this.entry[4 * e + LOW]! & mask;
      this.entry[4 * e + NEXT] = this.heads[bucket]!;
      this.heads[bucket] = e;
    }
  }

  /**
   * Room for this many identities and their keys, made once: growing by doubling as the keys come would cost a
   * cold start three times as much (every entry moved and chained again at each doubling).
   */
  private reserve(identities: number): void {
    this.reserveIdentities(identities);
    let entries = this.entry.length / 4;
    while (entries < identities * KEYS_PER_IDENTITY) entries *= 2;
    if (4 * entries > this.entry.length) {
      const grown = new Int32Array(4 * entries);
      grown.set(this.entry);
      this.entry = grown;
    }
    if (entries > this.heads.length) this.rehash(entries);
  }

  private reserveIdentities(size: number): void {
    if (size <= this.ids.length) return;
    let capacity = this.ids.length;
    while (capacity < size) capacity *= 2;
    for (const column of ['ids', 'children', 'firstRecords'] as const)
      this[column] = grown(this[column], new Float64Array(capacity));
    this.seen = grown(this.seen, new Int32Array(capacity));
    this.numbers = this.numbers.map((numbers) => grown(numbers, new Int32Array(capacity)));
    this.slot = grown(this.slot, new Int32Array(capacity).fill(-1));
  }
}

/** `larger` (empty, or filled as a new slot should be) with `array` copied into its start. */
/** The position of `id` among the first `size` of ascending ids (an index's positions, `HeldIdentities`), or -1. */
export function positionOfId(ids: ArrayLike<number>, id: number, size = ids.length): number {
  let [lo, hi] = [0, size - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = ids[mid]!;
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function grown<A extends Float64Array | Int32Array>(array: A, larger: A): A {
  larger.set(array);
  return larger;
}

/** What the index holds of an identity besides its values. */
interface Held {
  id: number;
  childId: number;
  recordId: number;
}

/** Identities by position, ids ascending: each one's child and first record, and their values as a dataset. */
export interface HeldIdentities {
  ids: ArrayLike<number>;
  children: ArrayLike<number>;
  firstRecords: ArrayLike<number>;
  data: Dataset;
}

const indexes = new WeakMap<Database, IdentityIndex>();

// An entry's four numbers.
const HIGH = 0;
const LOW = 1;
const OWNER = 2;
const NEXT = 3;

/** A key's hash as one number for a Map: its high half and 21 bits of its low half (a double holds 53 bits). */
const blockKeyOf = (high: number, low: number) => high * 2_097_152 + (low & 0x1fffff);

// The last `hashValues` result, in two halves (no array allocated per identity).
let hashHigh = 0;
let hashLow = 0;

/** A 64-bit hash of an identity's values (its signature), each value and each missing one told apart. */
function hashValues(values: readonly (string | null)[]): void {
  let a = 0x811c9dc5 ^ SIGNATURE_SEED;
  let b = 0x9747b28c ^ SIGNATURE_SEED;
  for (const value of values) {
    const text = value ?? '';
    for (let c = 0; c < text.length; c++) {
      const code = text.charCodeAt(c);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
      b ^= b >>> 15;
    }
    // A separator no value holds, another for a missing value.
    const end = value === null ? 0x20000 : 0x10000;
    a = Math.imul(a ^ end, 0x01000193);
    b = Math.imul(b ^ end, 0x5bd1e995);
    b ^= b >>> 15;
  }
  hashHigh = mix32(a);
  hashLow = mix32(b);
}

import type { Database, Sql } from '../db';
import { blockKeysOf, type KeyList } from './identities';
import { PERSON_FIELDS } from './person-config';

/** Identities read per statement while an index catches up with the store. */
const SYNC_SLICE = 100_000;

/**
 * Room made per identity: the system's eleven rules store one key each, and the fallback rule a second for the
 * few lacking a birth date and an A-number. There is a bucket per entry: a chain holds a key's identities and
 * little else.
 */
const KEYS_PER_IDENTITY = 12;

/** Fields with few distinct values, kept once each (names, dates, sex, country; not the identifiers). */
const INTERNED_FIELDS = 5;

/**
 * The store's identities in memory, for linking a batch (docs/decisions/0026): each identity's values, and its
 * blocking keys (`blockKeysOf`'s stored keys, 64-bit hashes) in chains by bucket, so a batch's candidates
 * are a walk of its own keys' chains instead of tens of thousands of index probes and heap pages in SQL.
 *
 * Identities are only ever added, and their values never change (a relink moves an identity to another
 * child, which the index does not hold: linking reads the children it needs from the store). Every writer of
 * person_identities holds the linking lock, so ids commit in order and `sync`, under the same lock, catches up
 * by reading the ids above the last it holds.
 */
export class IdentityIndex {
  /** How many identities the index holds; positions are 0 .. size - 1, in id order. */
  size = 0;
  private lastId = 0;
  private ids = new Float64Array(1 << 10);
  private columns: (string | null)[][] = PERSON_FIELDS.map(() => []);
  private interned = Array.from({ length: INTERNED_FIELDS }, () => new Map<string, string>());
  // Key entries: the key's hash in two halves, the identity it belongs to, the next entry of its bucket (-1: none).
  private entries = 0;
  private hashHigh = new Int32Array(1 << 12);
  private hashLow = new Int32Array(1 << 12);
  private owner = new Int32Array(1 << 12);
  private next = new Int32Array(1 << 12);
  private heads = new Int32Array(1 << 12).fill(-1);
  // Positions already collected by the current `candidates` call.
  private seen = new Int32Array(1 << 10);
  private round = 0;

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
   * Reads the identities added to the store since the last call; the caller holds the linking lock. The last
   * identity read must still be in the store as it was read: if not, the store was emptied or restored, or that
   * identity's transaction rolled back (identities are written in id order, so it was the newest), and the whole
   * store is read again.
   */
  async sync(sql: Sql): Promise<void> {
    const [{ last, kept } = { last: 0, kept: null }] = await sql.query<{ last: number; kept: string | null }>(
      `select coalesce(max(id), 0) as last, (select signature from person_identities where id = $1) as kept
       from person_identities`,
      [this.lastId],
    );
    if (this.size > 0 && kept !== this.signatureAt(this.size - 1)) this.clear();
    this.reserve(this.size + Number(last) - this.lastId);
    while (Number(last) > this.lastId) {
      const rows = await sql.query<Record<string, string | null>>(
        `select id, ${PERSON_FIELDS.join(', ')} from person_identities where id > $1 order by id limit $2`,
        [this.lastId, SYNC_SLICE],
      );
      if (rows.length === 0) break;
      this.add(rows);
    }
  }

  /** Forgets everything: the next `sync` reads the whole store. */
  clear(): void {
    Object.assign(this, new IdentityIndex());
  }

  /** The positions of the identities that stored one of these keys (`blockKeysOf`'s probes), ascending. */
  candidates(probes: KeyList): number[] {
    if (++this.round === 2 ** 31 - 1) {
      this.seen.fill(0);
      this.round = 1;
    }
    const found: number[] = [];
    const mask = this.heads.length - 1;
    for (let k = 0; k < probes.low.length; k++) {
      const high = probes.high[k]!;
      const low = probes.low[k]!;
      for (let e = this.heads[low & mask]!; e >= 0; e = this.next[e]!) {
        if (this.hashLow[e] !== low || this.hashHigh[e] !== high) continue;
        const position = this.owner[e]!;
        if (this.seen[position] === this.round) continue;
        this.seen[position] = this.round;
        found.push(position);
      }
    }
    return found.sort((a, b) => a - b);
  }

  idAt(position: number): number {
    return this.ids[position]!;
  }

  valuesAt(position: number): (string | null)[] {
    return this.columns.map((column) => column[position]!);
  }

  /** The identity's signature, as `identityFromFields` makes it: to check a candidate against the store. */
  signatureAt(position: number): string {
    return this.columns.map((column) => column[position] ?? '').join('\u001f');
  }

  private add(rows: Record<string, string | null>[]): void {
    const first = this.size;
    const n = rows.length;
    this.reserveIdentities(first + n);
    const slice = PERSON_FIELDS.map(() => new Array<string | null>(n));
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      this.ids[first + i] = Number(row.id);
      for (let f = 0; f < PERSON_FIELDS.length; f++) {
        let value = row[PERSON_FIELDS[f]!] ?? null;
        if (value !== null && f < INTERNED_FIELDS) {
          const kept = this.interned[f]!.get(value);
          if (kept === undefined) this.interned[f]!.set(value, value);
          else value = kept;
        }
        slice[f]![i] = value;
        this.columns[f]!.push(value);
      }
    }
    this.size += n;
    this.lastId = Number(rows[n - 1]!.id);
    const keys = blockKeysOf({
      ids: new Array<string>(n).fill(''),
      side: new Uint8Array(n),
      values: new Map(PERSON_FIELDS.map((field, f) => [field, slice[f]!])),
    }).stored;
    for (let k = 0; k < keys.owner.length; k++)
      this.addKey(keys.high[k]!, keys.low[k]!, first + keys.owner[k]!);
  }

  private addKey(high: number, low: number, position: number): void {
    if (this.entries === this.owner.length) this.reserve((2 * this.owner.length) / KEYS_PER_IDENTITY);
    const e = this.entries++;
    const bucket = low & (this.heads.length - 1);
    this.hashHigh[e] = high;
    this.hashLow[e] = low;
    this.owner[e] = position;
    this.next[e] = this.heads[bucket]!;
    this.heads[bucket] = e;
  }

  private rehash(buckets: number): void {
    this.heads = new Int32Array(buckets).fill(-1);
    const mask = buckets - 1;
    for (let e = 0; e < this.entries; e++) {
      const bucket = this.hashLow[e]! & mask;
      this.next[e] = this.heads[bucket]!;
      this.heads[bucket] = e;
    }
  }

  /**
   * Room for this many identities and their keys, made once: growing by doubling as the keys come would cost a
   * cold start three times as much (every entry moved and chained again at each doubling).
   */
  private reserve(identities: number): void {
    this.reserveIdentities(identities);
    let entries = this.owner.length;
    while (entries < identities * KEYS_PER_IDENTITY) entries *= 2;
    if (entries > this.owner.length) {
      for (const name of ['hashHigh', 'hashLow', 'owner', 'next'] as const) {
        const grown = new Int32Array(entries);
        grown.set(this[name]);
        this[name] = grown;
      }
    }
    if (entries > this.heads.length) this.rehash(entries);
  }

  private reserveIdentities(size: number): void {
    if (size <= this.ids.length) return;
    let capacity = this.ids.length;
    while (capacity < size) capacity *= 2;
    const ids = new Float64Array(capacity);
    ids.set(this.ids);
    this.ids = ids;
    const seen = new Int32Array(capacity);
    seen.set(this.seen);
    this.seen = seen;
  }
}

const indexes = new WeakMap<Database, IdentityIndex>();

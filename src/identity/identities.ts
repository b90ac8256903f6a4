import { arrayLiteral, type Sql, type Statement } from '../db';
import { holdLock } from '../db/locks';
import { ruleKeyHashes, seekersOf } from '../linkage/blocking';
import type { Dataset } from '../linkage/dataset';
import { normalize } from '../linkage/dataset';
import { hasTermFrequency, pairTermFrequencies } from '../linkage/engine';
import type { ComparisonVectors, ModelParameters } from '../linkage/model';
import { drawIds } from './new-children';
import {
  PERSON_BLOCKING,
  PERSON_FIELD_CONFIG,
  PERSON_LINK_CONFIG,
  PERSON_OF_KIND,
  type RawPerson,
} from './person-config';

/** A person as one record wrote them: the linkage fields normalized, and as written (for display). */
export interface Identity {
  signature: string;
  values: (string | null)[];
  written: { given: string | null; surnames: string | null; dob: string | null };
}

const asText = (value: unknown) =>
  value === undefined || value === null || value === '' ? undefined : String(value);

/** The identity a feed row carries, or undefined when it names no one (a tip). */
export function identityOf(kind: string, payload: Record<string, unknown>): Identity | undefined {
  const extract = PERSON_OF_KIND[kind];
  return extract ? identityFromFields(extract(payload)) : undefined;
}

/** An identity's values joined: the same person written the same way is one identity (unique in the store). */
export function signatureOf(values: readonly (string | null)[]): string {
  // Unit separators cannot occur in normalized values.
  return values.map((value) => value ?? '').join('\u001f');
}

/** The identity of a person's fields as written (given, surnames, dob, …), or undefined when all are empty. */
export function identityFromFields(raw: RawPerson): Identity | undefined {
  const values = PERSON_FIELD_CONFIG.fields.map((field) => normalize(asText(raw[field.column]), field.type));
  if (values.every((value) => value === null)) return undefined;
  return {
    signature: signatureOf(values),
    values,
    written: {
      given: asText(raw.given) ?? null,
      surnames: asText(raw.surnames) ?? null,
      dob: values[2] ?? null,
    },
  };
}

/** An identity as stored in person_identities: its child, the record that first wrote it, its fields. */
export interface StoredIdentity {
  id: number;
  child_id: number;
  first_record_id: number;
  given: string | null;
  surnames: string | null;
  dob: string | null;
  sex: string | null;
  country: string | null;
  a_number: string | null;
  orr_id: string | null;
}

export const STORED_IDENTITY_COLUMNS =
  'id, child_id, first_record_id, given, surnames, dob, sex, country, a_number, orr_id';

/** A stored identity's values in the order of the linkage fields. */
export const valuesOf = (row: StoredIdentity) => [
  row.given,
  row.surnames,
  row.dob,
  row.sex,
  row.country,
  row.a_number,
  row.orr_id,
];

/**
 * Stores new identities with their children; returns each one's id by signature. Takes the linking lock, which
 * every writer of person_identities holds: identities then commit in the order of their ids, which is how an
 * `IdentityIndex` catches up with the store.
 */
export async function storeIdentities(
  sql: Sql,
  rows: { identity: Identity; childId: number; recordId: number }[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  await holdLock(sql, 'linking');
  const ids = await drawIds(sql, 'person_identities', rows.length);
  await insertIdentities(
    sql,
    rows.map((row, i) => ({ ...row, id: ids[i]! })),
  );
  return new Map(rows.map((row, i) => [row.identity.signature, ids[i]!]));
}

/** New identities with the ids drawn for them (`drawIds`, under the linking lock, as `storeIdentities`). */
export async function insertIdentities(sql: Sql, rows: NewIdentity[]): Promise<void> {
  if (rows.length === 0) return;
  const { text, params } = identitiesInsert(rows);
  await sql.query(text, params);
}

export interface NewIdentity {
  id: number;
  identity: Identity;
  childId: number;
  recordId: number;
}

/** `insertIdentities`'s statement, to send alone or with others (`statementOf`). */
export function identitiesInsert(rows: NewIdentity[]): Statement {
  const column = (f: number) => rows.map((row) => row.identity.values[f] ?? null);
  return {
    text: `insert into person_identities (id, signature, child_id, first_record_id, given, surnames, dob, sex, country,
       a_number, orr_id) overriding system value
     select * from unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::text[], $10::text[], $11::text[])`,
    params: [
      rows.map((row) => row.id),
      rows.map((row) => row.identity.signature),
      rows.map((row) => row.childId),
      rows.map((row) => row.recordId),
      ...[0, 1, 2, 3, 4, 5, 6].map(column),
    ].map(arrayLiteral),
  };
}

/** The blocking rules that are a single identifier, exactly: the keys a bulk load links by as it goes. */
export const IDENTIFIER_RULES = PERSON_BLOCKING.flatMap((rule, r) =>
  rule.length === 1 && (rule[0] === 'a_number' || rule[0] === 'orr_id') ? [r] : [],
);

/** Identities as a linkage dataset (values by field), each on the given side. */
export function datasetOf(rows: { id: number; values: (string | null)[]; side: number }[]): Dataset {
  return {
    ids: rows.map((row) => String(row.id)),
    side: Uint8Array.from(rows.map((row) => row.side)),
    values: new Map(
      PERSON_FIELD_CONFIG.fields.map((field, f) => [field.column, rows.map((row) => row.values[f] ?? null)]),
    ),
  };
}

/**
 * Keys as 64-bit hashes (two 32-bit halves), each with the record it belongs to, and the key of its block (the
 * plain key of its rule; the same key but for a fallback rule's marked one, below).
 */
export interface KeyList {
  owner: Int32Array;
  high: Int32Array;
  low: Int32Array;
  /** 1 where the key is a fallback rule's marked key. */
  marked: Uint8Array;
  /** 1 where the key is a fallback rule's (marked or plain). */
  fallback: Uint8Array;
  blockHigh: Int32Array;
  blockLow: Int32Array;
}

/**
 * Each identity's keys under the blocking rules (`ruleKeyHashes`): `stored` in the identity index, `probes` to
 * look its candidates up by, both in the rules' order. They are the same but for a fallback rule (names alone,
 * for records lacking a birth date and an A-number): every identity stores its key, one lacking both also
 * stores it marked (another seed); such an identity probes the plain key (its whole block), any other only the
 * marked one (the few in its block that lack both), so an ordinary identity's lookup never reads a whole block
 * of a common name.
 */
export function blockKeysOf(
  data: Dataset,
  /** The rules to key by (their indexes in PERSON_BLOCKING); all of them unless given. */
  rules: readonly number[] = PERSON_BLOCKING.map((_, r) => r),
): { stored: KeyList; probes: KeyList } {
  const n = data.ids.length;
  const list = (size: number) => ({
    owner: new Int32Array(size),
    high: new Int32Array(size),
    low: new Int32Array(size),
    marked: new Uint8Array(size),
    fallback: new Uint8Array(size),
    blockHigh: new Int32Array(size),
    blockLow: new Int32Array(size),
    count: 0,
  });
  const stored = list(2 * rules.length * n);
  const probes = list(rules.length * n);
  type Hashes = { high: Int32Array; low: Int32Array };
  let fallback = 0;
  const push = (into: ReturnType<typeof list>, i: number, keys: Hashes, plain: Hashes) => {
    const at = into.count++;
    into.owner[at] = i;
    into.high[at] = keys.high[i]!;
    into.low[at] = keys.low[i]!;
    into.marked[at] = keys === plain ? 0 : 1;
    into.fallback[at] = fallback;
    into.blockHigh[at] = plain.high[i]!;
    into.blockLow[at] = plain.low[i]!;
  };
  for (const r of rules) {
    const rule = PERSON_BLOCKING[r]!;
    const seekers = seekersOf(data, rule);
    const plain = ruleKeyHashes(data, rule, 2 * r);
    const marked = seekers ? ruleKeyHashes(data, rule, 2 * r + 1) : plain;
    fallback = seekers ? 1 : 0;
    for (let i = 0; i < n; i++) {
      if (plain.present[i] === 0) continue;
      push(stored, i, plain, plain);
      if (!seekers) push(probes, i, plain, plain);
      else if (seekers[i] === 1) {
        push(stored, i, marked, plain);
        push(probes, i, plain, plain);
      } else push(probes, i, marked, plain);
    }
  }
  const done = ({ count, ...keys }: ReturnType<typeof list>): KeyList => ({
    owner: keys.owner.subarray(0, count),
    high: keys.high.subarray(0, count),
    low: keys.low.subarray(0, count),
    marked: keys.marked.subarray(0, count),
    fallback: keys.fallback.subarray(0, count),
    blockHigh: keys.blockHigh.subarray(0, count),
    blockLow: keys.blockLow.subarray(0, count),
  });
  return { stored: done(stored), probes: done(probes) };
}

/**
 * The model linking uses: m and u per field level and the prior, estimated without labels by the last full
 * run (`whereabouts link`), and the shares of the most common names, so agreeing on GARCIA weighs less than
 * agreeing on a rare surname. A value not listed is rarer than every listed one: it gets `other`.
 */
export interface PersonModel {
  params: ModelParameters;
  shares: Record<string, { values: Record<string, number>; other: number }>;
}

/** Keep the shares of this many of the most common values per field. */
const SHARES_KEPT = 5_000;

export function sharesOf(data: Dataset): PersonModel['shares'] {
  const shares: PersonModel['shares'] = {};
  for (const field of PERSON_LINK_CONFIG.fields) {
    if (!hasTermFrequency(field)) continue;
    const counts = new Map<string, number>();
    let present = 0;
    for (const value of data.values.get(field.column)!) {
      if (value === null) continue;
      present++;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, SHARES_KEPT);
    shares[field.column] = {
      values: Object.fromEntries(top.map(([value, count]) => [value, count / present])),
      other: present === 0 ? 0 : Math.min(top.at(-1)?.[1] ?? 1, 1) / present,
    };
  }
  return shares;
}

/** The share of a field's value in the store, by the model's shares (0: not a term-frequency field). */
export function shareOf(model: PersonModel) {
  const fields = PERSON_LINK_CONFIG.fields;
  return (f: number, value: string) => {
    const shares = model.shares[fields[f]!.column];
    return shares ? (shares.values[value] ?? shares.other) : 0;
  };
}

/** Term frequencies of the pairs from the model's shares. */
export function termFrequenciesOf(
  model: PersonModel,
  data: Dataset,
  vectors: ComparisonVectors,
  pairs: { count: number; left: Int32Array },
) {
  return pairTermFrequencies(data, PERSON_LINK_CONFIG, vectors, pairs, shareOf(model));
}

/** A pair's evidence as stored: each compared field's level and weight (log2 m/u), adding up to the match. */
export function fieldEvidence(fields: { field: string; level: string | null; weight: number }[]) {
  return fields
    .filter((f) => f.level !== null)
    .map((f) => ({ field: f.field, level: f.level, weight: Math.round(f.weight * 100) / 100 }));
}

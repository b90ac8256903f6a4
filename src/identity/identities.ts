import type { Sql } from '../db';
import { holdLock } from '../db/locks';
import { withIndexesRebuilt } from '../db/rebuilt-indexes';
import { ruleKeys, seekersOf } from '../linkage/blocking';
import type { Dataset } from '../linkage/dataset';
import { normalize } from '../linkage/dataset';
import { hasTermFrequency, pairTermFrequencies } from '../linkage/engine';
import type { ComparisonVectors, ModelParameters } from '../linkage/model';
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

/** The identity of a person's fields as written (given, surnames, dob, …), or undefined when all are empty. */
export function identityFromFields(raw: RawPerson): Identity | undefined {
  const values = PERSON_FIELD_CONFIG.fields.map((field) => normalize(asText(raw[field.column]), field.type));
  if (values.every((value) => value === null)) return undefined;
  return {
    // Unit separators cannot occur in normalized values.
    signature: values.map((value) => value ?? '').join('\u001f'),
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
 * Stores new identities with their children and blocking keys; returns each one's id by signature. The
 * one writer of person_identities and identity_keys (linking, and the benchmark's store).
 */
export async function storeIdentities(
  sql: Sql,
  rows: { identity: Identity; childId: number; recordId: number }[],
  /** The rows' blocking keys, when the caller has them already. */
  keys = blockKeysOf(
    datasetOf(rows.map((row, i) => ({ id: i, values: row.identity.values, side: 0 }))),
  ).stored,
  /**
   * A bulk load's: write only the identifier rules' keys now and list the identities as pending; the other
   * keys are written once for the whole load by `writePendingIdentityKeys` (docs/decisions/0014).
   */
  { deferKeys = false }: { deferKeys?: boolean } = {},
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const column = (f: number) => rows.map((row) => row.identity.values[f] ?? null);
  const written = deferKeys ? keys.map((own) => own.filter(isIdentifierKey)) : keys;
  const keyOwners = rows.flatMap((row, i) => written[i]!.map(() => row.identity.signature));
  // One statement: the identities, and their keys joined to the ids they were given.
  const inserted = await sql.query<{ id: number; signature: string }>(
    `with inserted as (
       insert into person_identities (signature, child_id, first_record_id, given, surnames, dob, sex, country,
         a_number, orr_id)
       select * from unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[])
       returning id, signature),
     keys as (
       insert into identity_keys (key, identity_id)
       select k.key, inserted.id from unnest($11::text[], $12::text[]) as k(key, signature)
       join inserted using (signature)),
     pending as (insert into identity_keys_pending (identity_id) select id from inserted where $13)
     select id, signature from inserted`,
    [
      rows.map((row) => row.identity.signature),
      rows.map((row) => row.childId),
      rows.map((row) => row.recordId),
      ...[0, 1, 2, 3, 4, 5, 6].map(column),
      written.flat(),
      keyOwners,
      deferKeys,
    ],
  );
  const idOf = new Map(inserted.map((row) => [row.signature, Number(row.id)]));
  return idOf;
}

/** The blocking rules that are a single identifier, exactly: the keys a bulk load links by as it goes. */
export const IDENTIFIER_RULES = PERSON_BLOCKING.flatMap((rule, r) =>
  rule.length === 1 && (rule[0] === 'a_number' || rule[0] === 'orr_id') ? [r] : [],
);

/** The rules whose keys a bulk load writes once, after its last chunk: all but the identifiers'. */
const DEFERRED_RULES = PERSON_BLOCKING.flatMap((_, r) => (IDENTIFIER_RULES.includes(r) ? [] : [r]));

/** Whether a stored or probing key ("0:A123…", "10?:…") is one of an identifier rule's. */
export const isIdentifierKey = (key: string) => IDENTIFIER_RULES.includes(Number.parseInt(key, 10));

/** Pending identities read and keyed per statement: bounds memory on a national store. */
const PENDING_SLICE = 100_000;

/**
 * Writes the blocking keys a bulk load left pending (all but the identifier rules'), in the caller's
 * transaction, and empties the list. When the pending identities are most of the store, the key index is
 * dropped first and built again after the rows are in: one sort instead of millions of scattered inserts.
 * Returns the identities keyed.
 */
export async function writePendingIdentityKeys(sql: Sql): Promise<number> {
  await holdLock(sql, 'linking'); // a chunk linking by model reads these keys
  const [{ pending, identities } = { pending: 0, identities: 0 }] = await sql.query<{
    pending: number;
    identities: number;
  }>(
    `select (select count(*) from identity_keys_pending)::int as pending,
            coalesce((select max(id) from person_identities), 0)::int as identities`,
  );
  if (pending === 0) return 0;
  const write = async () => {
    for (let after = 0; ; ) {
      const rows = await sql.query<StoredIdentity>(
        `select ${STORED_IDENTITY_COLUMNS} from person_identities
         where id in (select identity_id from identity_keys_pending where identity_id > $1)
         order by id limit $2`,
        [after, PENDING_SLICE],
      );
      if (rows.length === 0) break;
      const keys = blockKeysOf(
        datasetOf(rows.map((row, i) => ({ id: i, values: valuesOf(row), side: 0 }))),
        DEFERRED_RULES,
      ).stored;
      await sql.query(
        'insert into identity_keys (key, identity_id) select * from unnest($1::text[], $2::bigint[])',
        [keys.flat(), rows.flatMap((row, i) => keys[i]!.map(() => row.id))],
      );
      after = Number(rows.at(-1)!.id);
    }
  };
  if (pending * 2 >= identities) await withIndexesRebuilt(sql, ['identity_keys'], write);
  else await write();
  await sql.exec('truncate identity_keys_pending');
  return pending;
}

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
 * Each identity's keys under the blocking rules: `stored` in identity_keys ("2:PRS|KRS|2009|03"), `probes` to
 * look its candidates up by. They are the same but for a fallback rule (names alone, for records lacking a
 * birth date and an A-number): every identity stores its key, one lacking both also stores it marked ("10?:…");
 * such an identity probes the plain key (its whole block), any other only the marked one (the few in its block
 * that lack both), so an ordinary identity's lookup never reads a whole block of a common name.
 */
export function blockKeysOf(
  data: Dataset,
  /** The rules to key by (their indexes in PERSON_BLOCKING); all of them unless given. */
  rules: readonly number[] = PERSON_BLOCKING.map((_, r) => r),
): { stored: string[][]; probes: string[][] } {
  const stored: string[][] = data.ids.map(() => []);
  const probes: string[][] = data.ids.map(() => []);
  rules.forEach((r) => {
    const rule = PERSON_BLOCKING[r]!;
    const seekers = seekersOf(data, rule);
    ruleKeys(data, rule).forEach((key, i) => {
      if (key === null) return;
      stored[i]!.push(`${r}:${key}`);
      if (!seekers) probes[i]!.push(`${r}:${key}`);
      else if (seekers[i] === 1) {
        stored[i]!.push(`${r}?:${key}`);
        probes[i]!.push(`${r}:${key}`);
      } else probes[i]!.push(`${r}?:${key}`);
    });
  });
  return { stored, probes };
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

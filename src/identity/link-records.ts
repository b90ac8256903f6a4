import { arrayLiteral, type Sql, type Statement, statementOf } from '../db';
import { holdLock } from '../db/locks';
import { clusterLinks, type UniqueGuard } from '../linkage/cluster';
import { DECISION, decide, uniqueGuards } from '../linkage/engine';
import { explainPair, scorePairs } from '../linkage/model';
import {
  blockKeysOf,
  datasetOf,
  fieldEvidence,
  IDENTIFIER_RULES,
  type Identity,
  identitiesInsert,
  identityOf,
  type KeyList,
  type NewIdentity,
  type PersonModel,
  termFrequenciesOf,
} from './identities';
import type { IdentityIndex } from './identity-index';
import { currentModel } from './model-store';
import { childrenInsert, drawIds, type Founder } from './new-children';
import { PERSON_LINK_CONFIG } from './person-config';

export interface IncomingRecord {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
}

interface Link {
  childId: number;
  identityId?: number;
  method: 'same_identity' | 'linked' | 'identifier' | 'new_child';
  weight: number | null;
  evidence: Record<string, unknown>;
}

const MAX_BLOCK = 5_000;

/**
 * How a batch's new identities find their children: `model` compares them with the store's identities under
 * every blocking rule and scores them; `identifiers` joins them only by an exactly equal A-number or ORR id (or
 * makes a new child). The second is for a bulk load that a whole-store run (`linkAll`) follows: that run
 * compares everything anyway, so comparing each chunk first is work done twice (docs/decisions/0012).
 */
export type LinkMode = 'model' | 'identifiers';

/**
 * Links newly stored records to children, against the children already known: a record written exactly
 * like a known identity joins its child; a new identity is compared with the identities it shares a blocking
 * key with (and with the batch's other new ones), scored by the current model, and joins the child of its
 * strongest automatic link — or becomes a new child. Two known children are never merged here: such a link
 * goes to a person, as do pairs between the review and link lines. Returns the children touched.
 */
export async function linkRecords(
  sql: Sql,
  records: IncomingRecord[],
  index: IdentityIndex,
  mode: LinkMode = 'model',
): Promise<number[]> {
  return linkIdentities(
    sql,
    records.flatMap((record) => {
      const identity = identityOf(record.kind, record.payload);
      return identity ? [{ record: { id: record.id }, identity }] : [];
    }),
    index,
    mode,
  );
}

/** The same, for records already read as identities (the benchmark feeds them directly). */
export async function linkIdentities(
  sql: Sql,
  people: { record: { id: number }; identity: Identity }[],
  /** The store's identities in memory (`IdentityIndex.of(db)`): where a new identity's candidates are found. */
  index: IdentityIndex,
  mode: LinkMode = 'model',
  /** New identities linked at a time (`LINK_SLICE`). */
  slice = LINK_SLICE,
): Promise<number[]> {
  if (people.length === 0) return [];
  await holdLock(sql, 'linking'); // another process's chunk could otherwise make the same child
  await index.sync(sql);
  // A record written exactly like a stored identity joins that identity's child.
  const known = new Map<string, number>();
  for (const { identity } of people) {
    if (known.has(identity.signature)) continue;
    const at = index.positionOf(identity.values);
    if (at >= 0) known.set(identity.signature, at);
  }
  // New identities, each with the first record that wrote it.
  const fresh = new Map<string, { identity: Identity; recordId: number }>();
  for (const { record, identity } of people) {
    if (!known.has(identity.signature) && !fresh.has(identity.signature))
      fresh.set(identity.signature, { identity, recordId: record.id });
  }
  const linkOf = new Map<string, Link>();
  for (const [signature, at] of known)
    linkOf.set(signature, {
      childId: index.childAt(at),
      identityId: index.idAt(at),
      method: 'same_identity',
      weight: null,
      evidence: { identity: index.idAt(at) },
    });
  // The new identities a slice at a time, each slice's rows written while the next is compared: the slice after
  // finds the one before in the index, as a later batch would. A record's link is written with its identity's
  // slice (the known ones' with the first).
  const freshList = [...fresh.values()];
  const starts = sliceStarts(freshList.length, slice);
  const sliceOf = new Map<string, number>();
  let at = 0;
  freshList.forEach((f, i) => {
    if (i === starts[at + 1]) at++;
    sliceOf.set(f.identity.signature, at);
  });
  const bySlice = starts.map(() => [] as typeof people);
  for (const person of people) bySlice[sliceOf.get(person.identity.signature) ?? 0]!.push(person);
  const model = fresh.size > 0 ? await currentModel(sql) : undefined;
  // The new identities' ids drawn at once, ascending in the batch's order (under the linking lock, so identities
  // commit in id order); a slice's new children are known only once it is compared.
  const identityIds = await drawIds(sql, 'person_identities', freshList.length);
  // The write of the slice before, running while this one is compared; the next children's ids are drawn after it.
  let written: Promise<unknown> = Promise.resolve();
  for (const [s, members] of bySlice.entries()) {
    const part = freshList.slice(starts[s], starts[s + 1]);
    const rows =
      part.length > 0
        ? await linkFresh(
            sql,
            part,
            identityIds.slice(starts[s], starts[s + 1]),
            linkOf,
            index,
            mode,
            model!,
            () => written,
          )
        : { children: { ids: [], founders: [] }, identities: [], reviews: [] };
    const statement = sliceStatement(rows, members, fresh, linkOf, index);
    await written; // done already if the slice drew ids; a connection runs one statement at a time
    written = sql.query(statement.text, statement.params);
    written.catch(() => {}); // a failure is thrown where it is awaited
  }
  await written;
  return [...new Set(people.map((p) => linkOf.get(p.identity.signature)!.childId))];
}

/** New identities linked at a time: large enough that a slice's fixed costs are small, small enough to overlap. */
export const LINK_SLICE = 2_500;

/**
 * Where each slice of `count` new identities starts: `size` at a time, but the last a fifth of that, as nothing is
 * compared beside its write.
 */
function sliceStarts(count: number, size: number): number[] {
  const last = count > size ? Math.ceil(size / 5) : count;
  const starts: number[] = [];
  for (let at = 0; at < count - last; at += size) starts.push(at);
  starts.push(count - last);
  return starts;
}

/** What a slice of new identities adds to the store besides its links. */
interface SliceRows {
  children: { ids: number[]; founders: Founder[] };
  identities: NewIdentity[];
  reviews: ReviewRow[];
}

interface ReviewRow {
  left: number;
  right: number;
  leftRecord: number;
  rightRecord: number;
  weight: number;
  probability: number;
  evidence: string;
}

/**
 * One statement writing a slice: its new children and identities, its pairs for review, the links of its records,
 * and the identifiers their children lacked. Sent at once, it is written while the next slice is compared.
 */
function sliceStatement(
  rows: SliceRows,
  people: { record: { id: number }; identity: Identity }[],
  fresh: Map<string, { identity: Identity; recordId: number }>,
  linkOf: Map<string, Link>,
  index: IdentityIndex,
): Statement {
  // The record that first wrote an identity carries the decision and its evidence; the others point at the
  // identity. One JSON document: PGlite reads it much faster than a jsonb[] parameter.
  const links = people.map(({ record, identity }) => {
    const link = linkOf.get(identity.signature)!;
    const first = fresh.get(identity.signature)?.recordId === record.id;
    return {
      record: record.id,
      child: link.childId,
      identity: link.identityId ?? null,
      method: first ? link.method : 'same_identity',
      weight: first ? link.weight : null,
      evidence: first ? link.evidence : { identity: link.identityId },
    };
  });
  // Identifiers the child lacked, from the identities these records first wrote and joined to it (their values
  // are at hand: reading them back was a random heap page each); the index knows most children's, which need no
  // update. A child this slice makes gets them as it is made: the statement's parts do not see each other's rows.
  const founderOf = new Map(rows.children.ids.map((id, i) => [id, rows.children.founders[i]!]));
  const fills: { child: number; aNumber: string | null; orrId: string | null }[] = [];
  for (const { record, identity } of people) {
    const link = linkOf.get(identity.signature)!;
    if (fresh.get(identity.signature)?.recordId !== record.id) continue;
    if (link.method !== 'linked' && link.method !== 'identifier') continue;
    const [aNumber, orrId] = [identity.values[5] ?? null, identity.values[6] ?? null];
    const lacking =
      (aNumber !== null && !index.childIdentifiers.holds(link.childId, 'aNumber')) ||
      (orrId !== null && !index.childIdentifiers.holds(link.childId, 'orrId'));
    if (!lacking) continue;
    index.childIdentifiers.note(link.childId, aNumber !== null, orrId !== null);
    const founder = founderOf.get(link.childId);
    if (!founder) fills.push({ child: link.childId, aNumber, orrId });
    else {
      founder.aNumber = founder.aNumber ?? aNumber;
      founder.orrId = founder.orrId ?? orrId;
    }
  }
  const parts: Statement[] = [
    {
      text: `insert into identity_links (source_record_id, child_id, identity_id, method, match_weight, evidence)
       select record, child, identity, method, weight, evidence
       from jsonb_to_recordset($1::jsonb) as t(record bigint, child bigint, identity bigint, method text, weight float8, evidence jsonb)
       on conflict (source_record_id) do nothing`,
      params: [JSON.stringify(links)],
    },
  ];
  if (rows.children.ids.length > 0) parts.push(childrenInsert(rows.children.ids, rows.children.founders));
  if (rows.identities.length > 0) parts.push(identitiesInsert(rows.identities));
  if (rows.reviews.length > 0)
    parts.push({
      text: `insert into review_pairs (left_identity_id, right_identity_id, left_record_id, right_record_id,
         match_weight, match_probability, evidence)
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::jsonb[])
       on conflict (left_identity_id, right_identity_id) do nothing`,
      params: (
        ['left', 'right', 'leftRecord', 'rightRecord', 'weight', 'probability', 'evidence'] as const
      ).map((column) => arrayLiteral(rows.reviews.map((review) => review[column]))),
    });
  if (fills.length > 0)
    parts.push({
      text: `update children c set a_number = coalesce(c.a_number, x.a_number), orr_id = coalesce(c.orr_id, x.orr_id)
       from (select child_id, min(a_number) as a_number, min(orr_id) as orr_id
             from unnest($1::bigint[], $2::text[], $3::text[]) as t(child_id, a_number, orr_id) group by child_id) x
       where x.child_id = c.id and ((c.a_number is null and x.a_number is not null) or (c.orr_id is null and x.orr_id is not null))`,
      params: [fills.map((f) => f.child), fills.map((f) => f.aNumber), fills.map((f) => f.orrId)].map(
        arrayLiteral,
      ),
    });
  return statementOf(parts);
}

async function linkFresh(
  sql: Sql,
  fresh: { identity: Identity; recordId: number }[],
  /** The ids drawn for them, in order. */
  identityIds: number[],
  linkOf: Map<string, Link>,
  index: IdentityIndex,
  mode: LinkMode,
  model: PersonModel,
  /** The write of the slice before: the connection draws the new children's ids after it anyway. */
  written: () => Promise<unknown>,
): Promise<SliceRows> {
  const byModel = mode === 'model';
  // By identifiers, only the A-number and ORR id keys pair.
  const keys = blockKeysOf(
    datasetOf(fresh.map((f, i) => ({ id: i, values: f.identity.values, side: 1 }))),
    byModel ? undefined : IDENTIFIER_RULES,
  );
  const { positions, data, pairs, vectors, tf, weight, probability, decision } = scoreAgainstStore(
    index,
    fresh,
    keys,
    model,
    byModel,
  );
  const n = positions.length;
  // Known children are a unique field: a batch never merges two of them (that goes to a person).
  const childOf = [...Array.from(positions, (at) => String(index.childAt(at))), ...fresh.map(() => null)];
  const entity = clusterBatch(data.ids.length, pairs, weight, decision, [
    ...uniqueGuards(PERSON_LINK_CONFIG, data),
    { values: childOf },
  ]);
  // Each new identity's strongest automatic link that held, for its evidence.
  const strongest = new Int32Array(fresh.length).fill(-1);
  for (let p = 0; p < pairs.count; p++) {
    if (decision[p] !== DECISION.link) continue;
    const a = pairs.left[p]!;
    const b = pairs.right[p]!;
    if (entity[a] !== entity[b]) continue;
    for (const end of [a, b]) {
      if (end < n) continue;
      const best = strongest[end - n]!;
      if (best < 0 || weight[p]! > weight[best]!) strongest[end - n] = p;
    }
  }
  // The children of the entities of stored identities in a link or a review (the others stay alone, unasked).
  const entityChild = new Map<number, number>();
  for (let p = 0; p < pairs.count; p++) {
    if (decision[p] === DECISION.none) continue;
    for (const end of [pairs.left[p]!, pairs.right[p]!])
      if (end < n) entityChild.set(entity[end]!, index.childAt(positions[end]!));
  }
  // Each new entity's founder: its first new identity.
  const founderOf = new Map<number, Identity>();
  fresh.forEach((f, i) => {
    const own = entity[n + i]!;
    if (!entityChild.has(own) && !founderOf.has(own)) founderOf.set(own, f.identity);
  });
  const newEntities = [...founderOf.keys()];
  const founders = [...founderOf.values()].map((f) => ({
    ...f.written,
    aNumber: f.values[5] ?? null,
    orrId: f.values[6] ?? null,
  }));
  // The new children's ids drawn first (after the slice before is written), the rows sent, and the rest made while
  // the database writes them.
  await written();
  const newIds = await drawIds(sql, 'children', founders.length);
  for (const [i, entity] of newEntities.entries()) {
    entityChild.set(entity, newIds[i]!);
    index.childIdentifiers.note(newIds[i]!, founders[i]!.aNumber !== null, founders[i]!.orrId !== null);
  }
  const stored = fresh.map((f, i) => ({
    id: identityIds[i]!,
    identity: f.identity,
    childId: entityChild.get(entity[n + i]!)!,
    recordId: f.recordId,
    values: f.identity.values,
  }));
  const identityIdOf = new Map(stored.map((s) => [s.identity.signature, s.id]));
  // In the batch's order, which is the ids' (drawn ascending); the keys made for pairing serve under every rule.
  index.append(stored, byModel ? keys.stored : undefined);
  const aNumbers = data.values.get('a_number')!; // which identifier an `identifiers` link was made by
  const identityAt = (i: number) =>
    i < n ? { identity: index.idAt(positions[i]!), record: index.firstRecordAt(positions[i]!) } : undefined;
  fresh.forEach((f, i) => {
    const p = strongest[i]!;
    const childId = entityChild.get(entity[n + i]!)!;
    const identityId = identityIdOf.get(f.identity.signature)!;
    if (p < 0) {
      linkOf.set(f.identity.signature, {
        childId,
        identityId,
        method: 'new_child',
        weight: null,
        evidence: {},
      });
      return;
    }
    const other = pairs.left[p] === n + i ? pairs.right[p]! : pairs.left[p]!;
    // The identity it was linked with: a known one, or another new one of the same batch.
    const partner = identityAt(other) ?? { signature: fresh[other - n]!.identity.signature };
    linkOf.set(f.identity.signature, {
      childId,
      identityId,
      method: byModel ? 'linked' : 'identifier',
      weight: weight[p]!,
      evidence: byModel
        ? {
            probability: probability[p],
            with: partner,
            fields: fieldEvidence(explainPair(vectors, p, model.params, tf)),
          }
        : {
            identifier:
              aNumbers[n + i] !== null && aNumbers[n + i] === aNumbers[other] ? 'a_number' : 'orr_id',
            with: partner,
          },
    });
  });
  // Pairs for a person: between the lines, or links refused because they would have merged two children.
  const reviews: { left: number; right: number; leftRecord: number; rightRecord: number; p: number }[] = [];
  const identityOfIndex = (i: number) =>
    i < n ? index.idAt(positions[i]!) : identityIdOf.get(fresh[i - n]!.identity.signature)!;
  const recordOfIndex = (i: number) => (i < n ? index.firstRecordAt(positions[i]!) : fresh[i - n]!.recordId);
  for (let p = 0; p < pairs.count; p++) {
    if (decision[p] === DECISION.none) continue;
    const a = pairs.left[p]!;
    const b = pairs.right[p]!;
    if (entityChild.get(entity[a]!) === entityChild.get(entity[b]!)) continue;
    const [left, right] = [identityOfIndex(a), identityOfIndex(b)];
    const ordered = left < right;
    reviews.push({
      left: ordered ? left : right,
      right: ordered ? right : left,
      leftRecord: ordered ? recordOfIndex(a) : recordOfIndex(b),
      rightRecord: ordered ? recordOfIndex(b) : recordOfIndex(a),
      p,
    });
  }
  return {
    children: { ids: newIds, founders },
    identities: stored,
    reviews: reviews.map(({ p, ...ends }) => ({
      ...ends,
      weight: weight[p]!,
      probability: probability[p]!,
      evidence: JSON.stringify({ fields: fieldEvidence(explainPair(vectors, p, model.params, tf)) }),
    })),
  };
}

/**
 * A batch's new identities compared with their candidates in the store (found in the index) and with each other,
 * scored and decided.
 */
function scoreAgainstStore(
  index: IdentityIndex,
  fresh: { identity: Identity; recordId: number }[],
  keys: { stored: KeyList; probes: KeyList },
  model: PersonModel,
  byModel: boolean,
) {
  const { positions, ...pairs } = index.pairsOf(keys, fresh.length, MAX_BLOCK);
  const data = index.datasetOf(
    positions,
    fresh.map((f) => f.identity.values),
  );
  const vectors = index
    .comparerOf(positions, data, PERSON_LINK_CONFIG.fields)
    .compare(pairs.left, pairs.right);
  const tf = termFrequenciesOf(model, data, vectors, pairs);
  const { weight, probability } = scorePairs(vectors, model.params, tf);
  // By identifiers, every pair (an equal A-number or ORR id) links; the weight still orders the links.
  const decision = byModel
    ? decide(PERSON_LINK_CONFIG, vectors, probability)
    : new Uint8Array(pairs.count).fill(DECISION.link);
  return { positions, data, pairs, vectors, tf, weight, probability, decision };
}

/**
 * The batch's entities: its automatic links clustered with the guards, over only the records a link touches (a
 * batch's candidates are tens of thousands, its links a few thousand); every other record is an entity alone.
 */
function clusterBatch(
  records: number,
  pairs: { left: Int32Array; right: Int32Array; count: number },
  weight: Float64Array,
  decision: Uint8Array,
  guards: UniqueGuard[],
): Int32Array {
  const slot = new Int32Array(records).fill(-1);
  const members: number[] = [];
  const links: number[] = [];
  for (let p = 0; p < pairs.count; p++) {
    if (decision[p] !== DECISION.link) continue;
    links.push(p);
    for (const end of [pairs.left[p]!, pairs.right[p]!])
      if (slot[end] === -1) {
        slot[end] = members.length;
        members.push(end);
      }
  }
  const clusters = clusterLinks(
    members.length,
    Int32Array.from(links, (p) => slot[pairs.left[p]!]!),
    Int32Array.from(links, (p) => slot[pairs.right[p]!]!),
    Float64Array.from(links, (p) => weight[p]!),
    () => true,
    guards.map((guard) => ({ ...guard, values: members.map((i) => guard.values[i] ?? null) })),
  );
  const entity = new Int32Array(records);
  let alone = clusters.entities;
  for (let i = 0; i < records; i++) entity[i] = slot[i]! >= 0 ? clusters.entity[slot[i]!]! : alone++;
  return entity;
}

import { applyRecordEvidence, placesOfChildren } from '../addresses/addresses.repository';
import { refreshChildState } from '../cases/projection';
import type { Sql } from '../db';
import { holdLock } from '../db/locks';
import { addressesOfChildren, markPending } from '../ingest/ingest.repository';
import { clusterLinks, type UniqueGuard } from '../linkage/cluster';
import { groupByNumber } from '../linkage/dataset';
import { DECISION, type LinkageRun, runLinkageInWorkers, uniqueGuards } from '../linkage/engine';
import { explainPair } from '../linkage/model';
import { handOverMergedChildren } from '../monitoring';
import { printProfile } from '../shared/profile';
import {
  datasetOf,
  fieldEvidence,
  type PersonModel,
  STORED_IDENTITY_COLUMNS,
  type StoredIdentity,
  shareOf,
  sharesOf,
  valuesOf,
} from './identities';
import { type HeldIdentities, IdentityIndex, positionOfId } from './identity-index';
import { currentModel, saveModel } from './model-store';
import { createChildren } from './new-children';
import { PERSON_LINK_CONFIG, PERSON_PRIOR_BLOCKING, type PersonField } from './person-config';

export interface LinkSummary {
  identities: number;
  records: number;
  pairsCompared: number;
  links: number;
  reviews: number;
  decisionsKept: number;
  childrenBefore: number;
  childrenAfter: number;
  identitiesMoved: number;
  seconds: number;
  model: PersonModel['params'];
}

/** Fewer identities than this and a full run scores with the current model instead of estimating one. */
export const MIN_IDENTITIES_TO_ESTIMATE = 5_000;

/**
 * Resolves the identities of some children (or, given the handle's identity index, of the whole store) again:
 * compares them, clusters with the guards and with every decision a person made (same: together; different:
 * apart), and moves identities, their records and events to the resulting children. A child keeps its id when most
 * of it stays together. A whole-store run first estimates the model from the store's own records (no labels) and
 * saves it for the incremental linking of later batches; a part is scored with the current model.
 */
export async function relink(
  sql: Sql,
  scope: number[] | IdentityIndex,
  options: RelinkOptions = {},
): Promise<LinkSummary> {
  const started = performance.now();
  await holdLock(sql, 'linking');
  const children = scope instanceof IdentityIndex ? null : scope;
  const identities =
    scope instanceof IdentityIndex ? await wholeStore(sql, scope) : await identitiesOf(sql, scope);
  const { ids, data } = identities;
  const size = ids.length;
  const [{ count: childrenBefore } = { count: 0 }] = await sql.query<{ count: number }>(
    'select count(*)::int as count from children',
  );
  // A small store teaches the model little: it keeps the current one until there is enough to learn from.
  const learn = children === null && size >= MIN_IDENTITIES_TO_ESTIMATE;
  const current = await currentModel(sql);
  const read = performance.now();
  const run = await runLinkageInWorkers(PERSON_LINK_CONFIG, data, {
    crossOnly: false,
    priorRules: PERSON_PRIOR_BLOCKING,
    ...(learn ? {} : { model: { params: current.params, shareOf: shareOf(current) } }),
  });
  const ran = performance.now();
  const model: PersonModel = learn ? { params: run.params, shares: sharesOf(data) } : current;

  // A person's decisions bind: same → linked whatever the model says; different → never in one child.
  const decided = await sql.query<{ left_identity_id: number; right_identity_id: number; status: string }>(
    `select left_identity_id, right_identity_id, status from review_pairs where status in ('same', 'different')`,
  );
  const together: [number, number][] = [];
  const apart: [number, number][] = [];
  for (const d of decided) {
    const a = positionOfId(ids, Number(d.left_identity_id));
    const b = positionOfId(ids, Number(d.right_identity_id));
    if (a < 0 || b < 0) continue;
    (d.status === 'same' ? together : apart).push([a, b]);
  }
  const count = run.pairs.count;
  // With no decision of a person among these identities, the run's own clusters are the answer: the same links in
  // the same order under the same guards (the links they refused are reviews now). Clustering again took 5.8 s at
  // 600,000 children.
  const clusters =
    together.length === 0 && apart.length === 0
      ? run.clusters
      : clusterWithDecisions(size, run, together, apart, uniqueGuards(PERSON_LINK_CONFIG, data));

  // Children: each entity keeps the child most of its identities had, unless a larger entity took it; the rest get new.
  const { childOfEntity, needsChild, firstMember } = chooseChildren(clusters, identities.children);
  const founderValue = (field: PersonField, i: number) => data.values.get(field)![i] ?? null;
  const newIds = await createChildren(
    sql,
    needsChild.map((entity) => {
      const founder = firstMember(entity);
      return {
        given: founderValue('given', founder),
        surnames: founderValue('surnames', founder),
        dob: founderValue('dob', founder),
        aNumber: founderValue('a_number', founder),
        orrId: founderValue('orr_id', founder),
      };
    }),
  );
  for (const [i, entity] of needsChild.entries()) childOfEntity[entity] = newIds[i]!;
  const chosen = performance.now();

  // Identities that change child, with the strongest link that put them where they are now.
  const strongest = new Int32Array(size).fill(-1);
  for (let p = 0; p < count; p++) {
    if (run.decision[p] !== DECISION.link) continue;
    const [a, b] = [run.pairs.left[p]!, run.pairs.right[p]!];
    if (clusters.entity[a] !== clusters.entity[b]) continue;
    for (const end of [a, b])
      if (strongest[end]! < 0 || run.weight[p]! > run.weight[strongest[end]!]!) strongest[end] = p;
  }
  const moved: { identity: number; from: number; to: number; weight: number | null; evidence: object }[] = [];
  for (let i = 0; i < size; i++) {
    const child = childOfEntity[clusters.entity[i]!]!;
    if (child === identities.children[i]) continue;
    const p = strongest[i]!;
    moved.push({
      identity: ids[i]!,
      from: identities.children[i]!,
      to: child,
      weight: p < 0 ? null : run.weight[p]!,
      evidence:
        p < 0
          ? { relinked: true }
          : {
              relinked: true,
              probability: run.probability[p],
              with: { identity: ids[run.pairs.left[p] === i ? run.pairs.right[p]! : run.pairs.left[p]!]! },
              fields: fieldEvidence(explainPair(run.vectors, p, run.params, run.tf)),
            },
    });
  }
  // In slices: at national scale the moves' evidence would not fit in one statement's parameters. Each slice as one
  // JSON document, as the ingest's links are: 20–25 % faster than parallel arrays with a jsonb[] on both engines.
  for (const slice of slices(moved)) {
    await sql.query(
      `with m as (select * from jsonb_to_recordset($1::jsonb) as t(identity_id bigint, child_id bigint, weight float8, evidence jsonb)),
       identities as (update person_identities p set child_id = m.child_id from m where p.id = m.identity_id)
       update identity_links l set child_id = m.child_id,
         method = case when l.method = 'same_identity' then l.method else 'linked' end,
         match_weight = case when l.method = 'same_identity' then l.match_weight else m.weight end,
         evidence = case when l.method = 'same_identity' then l.evidence else m.evidence end
       from m where l.identity_id = m.identity_id`,
      [
        JSON.stringify(
          slice.map((m) => ({
            identity_id: m.identity,
            child_id: m.to,
            weight: m.weight,
            evidence: m.evidence,
          })),
        ),
      ],
    );
  }
  // The events follow their records' links, in one statement: events are found by a scan (no index leads from a
  // record to its events), once rather than once per slice (1.4 s a slice at 600,000 children).
  await sql.query(
    `update events e set child_id = l.child_id from identity_links l
     where e.source_record_id = l.source_record_id and l.identity_id = any($1::bigint[]) and e.child_id <> l.child_id`,
    [moved.map((m) => m.identity)],
  );
  const touched = [...new Set(moved.flatMap((m) => [m.from, m.to]))];
  const movedFrom = options.settleLater ? null : await placesOfChildren(sql, touched);
  // A child all of whose identities moved away is gone, its state and search terms with it (and its place on the
  // settle's list, where a bulk load's children are); what people did for it goes to the child that took most of
  // its identities.
  const gone = new Set(
    (
      await sql.query<{ id: number }>(
        `select c.id from children c
         where c.id = any($1::bigint[]) and not exists (select 1 from identity_links l where l.child_id = c.id)`,
        [touched],
      )
    ).map((g) => Number(g.id)),
  );
  await handOverMergedChildren(sql, heirsOf(gone, moved));
  const kept = touched.filter((id) => !gone.has(id));
  // The settle finds the addresses the kept children lived at in their state; the gone children's are marked now.
  if (options.settleLater) await markPending(sql, kept, await addressesOfChildren(sql, [...gone]));
  await sql.query(
    `with gone as (delete from children c where c.id = any($1::bigint[]) returning id),
       state as (delete from child_state s using gone where s.child_id = gone.id),
       unsettled as (delete from ingest_pending_children p using gone where p.child_id = gone.id)
     delete from child_search s using gone where s.child_id = gone.id`,
    [[...gone]],
  );
  if (movedFrom) {
    await refreshChildState(sql, kept, { asOf: options.asOf });
    await applyRecordEvidence(sql, movedFrom);
  }

  // Pending reviews of these identities are replaced by this run's; decided ones stay as they are (the statement
  // written for a part or for the whole, as `identitiesOf`'s).
  await sql.query(
    `delete from review_pairs where status = 'pending'
       ${children === null ? '' : 'and (left_identity_id = any($1::bigint[]) or right_identity_id = any($1::bigint[]))'}`,
    children === null ? [] : [Array.from(ids)],
  );
  const reviews: number[] = [];
  for (let p = 0; p < count; p++) {
    if (run.decision[p] === DECISION.none) continue;
    if (clusters.entity[run.pairs.left[p]!] === clusters.entity[run.pairs.right[p]!]) continue;
    reviews.push(p);
  }
  // A pair's ends in id order (positions ascend with ids).
  const ends = (p: number) => {
    const [a, b] = [run.pairs.left[p]!, run.pairs.right[p]!];
    return a < b ? [a, b] : [b, a];
  };
  for (const slice of slices(reviews)) {
    await sql.query(
      `insert into review_pairs (left_identity_id, right_identity_id, left_record_id, right_record_id,
         match_weight, match_probability, evidence)
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::jsonb[])
       on conflict (left_identity_id, right_identity_id) do nothing`,
      [
        slice.map((p) => ids[ends(p)[0]!]),
        slice.map((p) => ids[ends(p)[1]!]),
        slice.map((p) => identities.firstRecords[ends(p)[0]!]),
        slice.map((p) => identities.firstRecords[ends(p)[1]!]),
        slice.map((p) => run.weight[p]),
        slice.map((p) => run.probability[p]),
        slice.map((p) =>
          JSON.stringify({ fields: fieldEvidence(explainPair(run.vectors, p, run.params, run.tf)) }),
        ),
      ],
    );
  }
  if (learn) await saveModel(sql, model, size);
  // The phases: reading the identities, the linkage's own (`runLinkageInWorkers`), the children chosen (clustered
  // again first where a person's decisions apply) and writing what changed.
  printProfile(
    'link',
    `${size} identities, ${count} pairs`,
    Object.entries({
      reading: (read - started) / 1000,
      ...run.seconds,
      children: (chosen - ran) / 1000,
      writing: (performance.now() - chosen) / 1000,
    }),
  );
  const [{ count: childrenAfter } = { count: 0 }] = await sql.query<{ count: number }>(
    'select count(*)::int as count from children',
  );
  const [{ count: records } = { count: 0 }] = await sql.query<{ count: number }>(
    'select count(*)::int as count from identity_links',
  );
  return {
    identities: size,
    records,
    pairsCompared: count,
    links: run.decision.filter((d) => d === DECISION.link).length,
    reviews: reviews.length,
    decisionsKept: decided.length,
    childrenBefore,
    childrenAfter,
    identitiesMoved: moved.length,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    model: model.params,
  };
}

/**
 * Each entity's child: the child most of its identities had (`childOf`, by identity) and no larger entity took, the
 * lowest id on a tie — or -1, where it needs a new child (`needsChild`, in the order chosen). Entities are taken
 * largest first, in the order of their numbers on a tie. In arrays: a map of members and one of votes per entity
 * took 5.7 s over two million identities.
 */
export function chooseChildren(
  clusters: { entity: Int32Array; entities: number },
  childOf: ArrayLike<number>,
) {
  const { entity, entities } = clusters;
  const { start, members } = groupByNumber(entity, entities); // the identities of each entity, in order
  const size = (e: number) => start[e + 1]! - start[e]!;
  const bySize = Int32Array.from({ length: entities }, (_, e) => e).sort(
    (a, b) => size(b) - size(a) || a - b,
  );

  const childOfEntity = new Float64Array(entities).fill(-1);
  const claimed = new Set<number>();
  const needsChild: number[] = [];
  const votes = new Float64Array(entities > 0 ? size(bySize[0]!) : 0); // scratch: one entity's children, sorted
  for (const e of bySize) {
    const n = size(e);
    for (let k = 0; k < n; k++) votes[k] = childOf[members[start[e]! + k]!]!;
    const theirs = votes.subarray(0, n).sort();
    // Runs of one child in ascending order: a later run wins only with more votes.
    let best = -1;
    let most = 0;
    for (let k = 0; k < n; ) {
      let end = k + 1;
      while (end < n && theirs[end] === theirs[k]) end++;
      if (end - k > most && !claimed.has(theirs[k]!)) {
        best = theirs[k]!;
        most = end - k;
      }
      k = end;
    }
    if (best >= 0) {
      childOfEntity[e] = best;
      claimed.add(best);
    } else needsChild.push(e);
  }
  return { childOfEntity, needsChild, firstMember: (e: number) => members[start[e]!]! };
}

/**
 * The run's links clustered again with a person's decisions: the pairs put together first (an infinite weight), the
 * pairs kept apart never in one entity.
 */
function clusterWithDecisions(
  records: number,
  run: LinkageRun,
  together: [number, number][],
  apart: [number, number][],
  guards: UniqueGuard[],
) {
  // Copied as typed arrays (spread through JavaScript arrays, eight million pairs took seconds).
  const count = run.pairs.count;
  const left = new Int32Array(count + together.length);
  const right = new Int32Array(count + together.length);
  const weight = new Float64Array(count + together.length).fill(Number.POSITIVE_INFINITY);
  left.set(run.pairs.left.subarray(0, count));
  right.set(run.pairs.right.subarray(0, count));
  weight.set(run.weight.subarray(0, count));
  together.forEach(([a, b], i) => {
    left[count + i] = a;
    right[count + i] = b;
  });
  return clusterLinks(
    records,
    left,
    right,
    weight,
    (p) => p >= count || run.decision[p] === DECISION.link,
    guards,
    apart,
  );
}

/** Rows written per statement: each slice's parameters stay far below a string's maximum length. */
const SLICE = 20_000;

function* slices<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += SLICE) yield items.slice(i, i + SLICE);
}

export interface RelinkOptions {
  /** The time the children it changes are judged as of (`refreshChildState`; default now). */
  asOf?: Date;
  /**
   * Mark the children it changes for the ingest's settle instead of judging them now: a bulk load links before it
   * settles, so that each child is judged once, as linked (`settleIngest`; docs/decisions/0033).
   */
  settleLater?: boolean;
}

/** The whole store, again (`whereabouts link`): from the handle's identity index where it holds any (`wholeStore`). */
export const linkAll = (sql: Sql, index: IdentityIndex, options: RelinkOptions = {}) =>
  relink(sql, index, options);

/**
 * The whole store's identities: from the handle's index where the process holds them (a bulk load's, a server's
 * that links deliveries), brought up to date under the linking lock the caller holds; read from the store where it
 * holds none (a `whereabouts link` of its own), which is faster than building the index first (28.7 s against 41.6
 * at 600,000 children on PGlite) and leaves no index behind in a process about to end.
 */
async function wholeStore(sql: Sql, index: IdentityIndex): Promise<HeldIdentities> {
  if (index.size === 0) return identitiesOf(sql, null);
  await index.sync(sql);
  return index.everything();
}

/** The identities of some children (null: of every child), read from the store in id order. */
async function identitiesOf(sql: Sql, children: number[] | null): Promise<HeldIdentities> {
  // Written for a part or for the whole, not as `$1 is null or …`, which the planner takes for half the table.
  const rows = await sql.query<StoredIdentity>(
    `select ${STORED_IDENTITY_COLUMNS} from person_identities
     ${children === null ? '' : 'where child_id = any($1::bigint[])'} order by id`,
    children === null ? [] : [children],
  );
  return {
    ids: rows.map((r) => Number(r.id)),
    children: rows.map((r) => Number(r.child_id)),
    firstRecords: rows.map((r) => Number(r.first_record_id)),
    data: datasetOf(rows.map((r) => ({ id: r.id, values: valuesOf(r), side: 0 }))),
  };
}

/** For each gone child, the child that took most of its identities (the lowest id on a tie). */
function heirsOf(gone: Set<number>, moved: { from: number; to: number }[]): { gone: number; heir: number }[] {
  const taken = new Map<number, Map<number, number>>();
  for (const { from, to } of moved) {
    if (!gone.has(from)) continue;
    const byHeir = taken.get(from) ?? new Map<number, number>();
    byHeir.set(to, (byHeir.get(to) ?? 0) + 1);
    taken.set(from, byHeir);
  }
  return [...taken].map(([from, byHeir]) => {
    const [heir] = [...byHeir].sort(([a, n], [b, m]) => m - n || a - b)[0]!;
    return { gone: from, heir };
  });
}

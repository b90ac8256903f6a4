import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRecordEvidence } from '../addresses/addresses.repository';
import { signedIn } from '../auth/testing';
import { refreshChildState } from '../cases/projection';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '../ingest';
import { blockPairs, ruleKeys, seekersOf } from '../linkage/blocking';
import { loadPolicy, runSweep } from '../monitoring';
import { generateCaseload } from '../synth';
import { evaluateStore } from './evaluate-store';
import { explainRecord } from './explain';
import {
  blockKeysOf,
  datasetOf,
  identityFromFields,
  STORED_IDENTITY_COLUMNS,
  type StoredIdentity,
  storeIdentities,
  valuesOf,
} from './identities';
import { IdentityIndex } from './identity-index';
import { type LinkMode, linkIdentities } from './link-records';
import { PERSON_BLOCKING } from './person-config';
import { linkAll } from './relink';
import { decideReviewPair, listReviewPairs } from './reviews';

/** A generated caseload of 1,500 children, every feed ingested into a new test database, linked as `link` says. */
async function ingestedCaseload(workDir: string, seed: number, link: LinkMode): Promise<Database> {
  generateCaseload({ children: 1500, seed, out: workDir });
  const db = await createTestDatabase();
  const feeds = listFeedFiles([path.join(workDir, 'feeds')]);
  for (const { file, format } of await recognizeFiles(feeds)) await ingestFile(db, file, format, { link });
  return db;
}

/**
 * Identity resolution in the system, against a generated caseload's truth: the records of 1,500 children
 * from every feed, with the generator's misspellings, dropped and swapped surnames, day/month swaps, missing
 * and mistyped A-numbers. No label is used to link; the truth is read only to score.
 */
describe(`identity resolution in the store on ${testEngine}`, () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-identity-'));
  let db: Database;
  beforeAll(async () => {
    db = await ingestedCaseload(workDir, 33, 'model');
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('links each batch as it arrives: one child per true child, with precision ≥ 0.995 and recall ≥ 0.99', async () => {
    const quality = await evaluateStore(db, workDir);
    expect(quality.trueChildren).toBe(1500);
    expect(quality.precision).toBeGreaterThanOrEqual(0.995);
    expect(quality.recall).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(quality.children - 1500)).toBeLessThanOrEqual(15);
    // Exact-identifier joining made a child of every unbridged A-number: ~10% too many children.
    const [methods] = await db.query<{ linked: number }>(
      `select count(*) filter (where method = 'linked')::int as linked from identity_links`,
    );
    expect(methods!.linked).toBeGreaterThan(1500);
  });

  it('explains a link with each field’s level and weight, adding up (with the prior) to the match weight', async () => {
    const [linked] = await db.query<{ id: number }>(
      `select source_record_id as id from identity_links where method = 'linked' order by source_record_id limit 1`,
    );
    const explanation = await explainRecord(db, String(linked!.id));
    expect(explanation.method).toBe('linked');
    const fields = explanation.evidence.fields as { field: string; level: string; weight: number }[];
    expect(fields.length).toBeGreaterThanOrEqual(2);
    const sum = fields.reduce((total, f) => total + f.weight, 0);
    // The prior (log2 odds of a candidate pair matching) is the same for every pair: negative, small.
    const prior = explanation.matchWeight! - sum;
    expect(prior).toBeLessThan(0);
    expect(prior).toBeGreaterThan(-10);
    await expect(explainRecord(db, 'orr:NO-SUCH-CASE')).rejects.toThrow(/no such record/);
  });

  it('re-resolves the whole store with a model estimated from it, as well, and changes nothing the second time', async () => {
    const first = await linkAll(db);
    expect(first.identities).toBeGreaterThan(3000);
    const quality = await evaluateStore(db, workDir);
    expect(quality.precision).toBeGreaterThanOrEqual(0.995);
    expect(quality.recall).toBeGreaterThanOrEqual(0.99);
    const second = await linkAll(db);
    expect(second.identitiesMoved).toBe(0);
    expect(second.childrenAfter).toBe(first.childrenAfter);
  });

  it('applies a person’s decisions at once and keeps them through every later run', async () => {
    // "Different": two identities the model put in one child are split, and stay split.
    const [same] = await db.query<{ a: number; b: number; ra: number; rb: number }>(
      `select a.id as a, b.id as b, a.first_record_id as ra, b.first_record_id as rb
       from person_identities a join person_identities b on b.child_id = a.child_id and b.id > a.id
       where a.given is not null and b.given is not null order by a.id limit 1`,
    );
    const [flagged] = await db.query<{ id: number }>(
      `insert into review_pairs (left_identity_id, right_identity_id, left_record_id, right_record_id, match_weight, match_probability)
       values ($1, $2, $3, $4, 20, 0.99) returning id`,
      [same!.a, same!.b, same!.ra, same!.rb],
    );
    await db.transaction((tx) => decideReviewPair(tx, flagged!.id, 'different', 'reviewer'));
    const childrenOf = async (a: number, b: number) =>
      (
        await db.query<{ child_id: number }>(
          'select child_id from person_identities where id in ($1, $2) order by id',
          [a, b],
        )
      ).map((row) => Number(row.child_id));
    const [splitA, splitB] = await childrenOf(same!.a, same!.b);
    expect(splitA).not.toBe(splitB);

    // "Same": a pair the model left for review is joined, and stays joined.
    const [pending] = await listReviewPairs(db, { status: 'pending', limit: 1 });
    expect(pending).toBeDefined();
    const { relinked } = await db.transaction((tx) => decideReviewPair(tx, pending!.id, 'same', 'reviewer'));
    const [joinedA, joinedB] = await childrenOf(pending!.left.identityId, pending!.right.identityId);
    const guarded =
      pending!.left.orrId && pending!.right.orrId && pending!.left.orrId !== pending!.right.orrId;
    if (!guarded) expect(joinedA).toBe(joinedB);
    expect(relinked.decisionsKept).toBeGreaterThanOrEqual(1);

    const rerun = await linkAll(db);
    expect(rerun.decisionsKept).toBe(2);
    const [afterA, afterB] = await childrenOf(same!.a, same!.b);
    expect(afterA).not.toBe(afterB);
    const [againA, againB] = await childrenOf(pending!.left.identityId, pending!.right.identityId);
    if (!guarded) expect(againA).toBe(againB);
    // Events follow their records to the right child.
    const [misplaced] = await db.query<{ count: number }>(
      `select count(*)::int as count from events e join identity_links l on l.source_record_id = e.source_record_id
       where e.child_id <> l.child_id`,
    );
    expect(misplaced!.count).toBe(0);
  });

  describe('review pairs over HTTP', () => {
    let app: FastifyInstance;
    const as: Record<string, { cookie: string; csrfToken: string }> = {};
    beforeAll(async () => {
      app = await buildApp({ db, logLevel: 'silent', signInsPerMinute: 1000 });
      as.orr = await signedIn(app, db, 'orr-reviewer', 'orr_case_manager');
      as.analyst = await signedIn(app, db, 'analyst-reviewer', 'hq_analyst');
    });
    afterAll(async () => {
      await app.close();
    });

    it('lists pending pairs with per-field evidence for a role that decides them, and no one else', async () => {
      const listed = await app.inject({
        url: '/api/v1/review-pairs?limit=5',
        headers: { cookie: as.orr!.cookie },
      });
      expect(listed.statusCode).toBe(200);
      const body = listed.json();
      expect(body.pairs.length).toBeGreaterThan(0);
      expect(body.pairs[0].evidence.fields.length).toBeGreaterThan(0);
      expect(body.pairs[0].left.sourceKey).toEqual(expect.any(String));
      const refused = await app.inject({
        url: '/api/v1/review-pairs',
        headers: { cookie: as.analyst!.cookie },
      });
      expect(refused.statusCode).toBe(403);
    });

    it('records a decision, audited, and answers an unknown pair with 404', async () => {
      const listed = await app.inject({
        url: '/api/v1/review-pairs?limit=1',
        headers: { cookie: as.orr!.cookie },
      });
      const pair = listed.json().pairs[0];
      const decide = (id: number) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/review-pairs/${id}/decision`,
          headers: { cookie: as.orr!.cookie, 'x-csrf-token': as.orr!.csrfToken },
          payload: { decision: 'different', note: 'different mothers on the release form' },
        });
      const decided = await decide(pair.id);
      expect(decided.statusCode).toBe(200);
      expect(decided.json().pair).toMatchObject({ status: 'different', decidedBy: 'orr-reviewer' });
      expect((await decide(999_999_999)).statusCode).toBe(404);
      const audited = await db.query<{ result: string }>(
        `select result from audit_log where action = 'review.decide' and actor = 'orr-reviewer' order by seq`,
      );
      expect(audited.map((row) => row.result)).toEqual(['allowed', 'denied']);
    });
  });
});

/**
 * A bulk load: each chunk joined only by exactly equal identifiers (no comparisons against the store), then the
 * whole store linked once — as good as linking every chunk, with the comparisons done once.
 */
describe(`a bulk load linked as a whole on ${testEngine}`, () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-identity-bulk-'));
  let db: Database;
  beforeAll(async () => {
    db = await ingestedCaseload(workDir, 34, 'identifiers');
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('joins records by an equal A-number or ORR id only, saying which, until the whole store is linked', async () => {
    const methods = await db.query<{ method: string }>(
      'select distinct method from identity_links order by 1',
    );
    expect(methods.map((m) => m.method)).toEqual(['identifier', 'new_child', 'same_identity']);
    const unequal = await db.query(
      `select 1 from identity_links l
         join person_identities mine on mine.id = l.identity_id
         join person_identities other on other.id = (l.evidence->'with'->>'identity')::bigint
       where l.method = 'identifier'
         and (case l.evidence->>'identifier' when 'a_number' then mine.a_number is distinct from other.a_number
                                             else mine.orr_id is distinct from other.orr_id end)`,
    );
    expect(unequal).toEqual([]);
    const joined = await evaluateStore(db, workDir);
    expect(joined.precision).toBeGreaterThanOrEqual(0.995);
    expect(joined.recall).toBeLessThan(0.99); // names and birth dates not compared yet: the children are split

    // A sweep between the load and the whole-store run (the nightly one, say) opens alerts on the split children.
    const policy = loadPolicy();
    const asOf = new Date('2024-06-01T00:00:00Z');
    await runSweep(db, policy, { asOf });
    const counts = `select (select count(*)::int from alerts) as alerts, (select count(*)::int from tasks) as tasks,
                           (select count(*)::int from tasks where state <> 'done') as unfinished`;
    const [before] = await db.query<{ alerts: number; tasks: number; unfinished: number }>(counts);

    const summary = await linkAll(db);
    expect(summary.identitiesMoved).toBeGreaterThan(0);
    expect(summary.childrenAfter).toBeLessThan(summary.childrenBefore);
    // Nothing of the merged children's alerts and tasks is lost: they belong to the children they joined, and
    // no child is left with two open alerts of one rule (the duplicate closes as merged, its work moved over).
    const [after] = await db.query<{ alerts: number; tasks: number; unfinished: number }>(counts);
    expect(after).toEqual(before);
    const [stray] = await db.query<{ orphans: number; doubled: number; unfinished_closed: number }>(
      `select (select count(*)::int from alerts a where not exists (select 1 from children c where c.id = a.child_id))
                + (select count(*)::int from tasks t where not exists (select 1 from children c where c.id = t.child_id))
                as orphans,
              (select count(*)::int from (select 1 from alerts where closed_at is null
                                          group by rule, child_id having count(*) > 1) d) as doubled,
              (select count(*)::int from tasks t join alerts a on a.id = t.alert_id
               where a.closed_at is not null and t.state <> 'done') as unfinished_closed`,
    );
    expect(stray).toEqual({ orphans: 0, doubled: 0, unfinished_closed: 0 });
    // A task follows its alert's child.
    const [misfiled] = await db.query<{ n: number }>(
      'select count(*)::int as n from tasks t join alerts a on a.id = t.alert_id where t.child_id <> a.child_id',
    );
    expect(misfiled!.n).toBe(0);
    // Some joined children brought an alert of a rule their heir already had: one stays open (those closed now,
    // not by the sweep of 2024, closed in the merge), and the running
    // counts agree with the alerts.
    const [open] = await db.query<{ closed_by_merge: number; counted: number; actual: number }>(
      `select (select count(*)::int from alerts where closed_at > opened_at + interval '1 year') as closed_by_merge,
              (select sum(open)::int from open_alert_counts) as counted,
              (select count(*)::int from alerts where closed_at is null) as actual`,
    );
    expect(open!.closed_by_merge).toBeGreaterThan(0);
    expect(open!.counted).toBe(open!.actual);
    // The next sweep judges the joined children as one.
    await runSweep(db, policy, { asOf });
    const linked = await evaluateStore(db, workDir);
    expect(linked.precision).toBeGreaterThanOrEqual(0.995);
    expect(linked.recall).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(linked.children - 1500)).toBeLessThanOrEqual(15);
  });
});

/**
 * The derived store — the children's state, the addresses' verdicts, the search terms — is what a full rebuild from
 * the events gives, with one row of state and of search terms per child (none left for a merged-away child).
 */
async function expectRebuildToKeep(db: Database, children: number) {
  const snapshot = async () => ({
    state: (await db.query('select * from child_state order by child_id')).map(
      ({ updated_at, ...row }) => row,
    ),
    addresses: (await db.query('select * from addresses order by id')).map(({ judged_at, ...row }) => row),
    search: await db.query('select * from child_search order by child_id'),
  });
  const before = await snapshot();
  expect(before.state).toHaveLength(children);
  expect(before.search).toHaveLength(children);
  await db.transaction(async (tx) => {
    await refreshChildState(tx, null);
    await applyRecordEvidence(tx, null);
  });
  expect(await snapshot()).toEqual(before);
}

/**
 * The whole-store run after a bulk load moves identities (their records and events) between children and
 * merges some children away; the state of the children it touched and the evidence of the places they lived at
 * must then be what recomputing everything from the events gives.
 */
describe(`a bulk load's children and places after the whole-store link on ${testEngine}`, () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-identity-settle-'));
  let db: Database;
  afterAll(async () => {
    await db?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('gives each child the state and each address the verdict a full rebuild gives', async () => {
    generateCaseload({ children: 1500, seed: 35, out: workDir });
    db = await createTestDatabase();
    // The first file settled as it was stored, the rest once after the last: both paths a load takes.
    const files = await recognizeFiles(listFeedFiles([path.join(workDir, 'feeds')]));
    for (const [i, { file, format }] of files.entries())
      await ingestFile(db, file, format, { link: 'identifiers', settle: i === 0 });
    await settleIngest(db);
    const summary = await db.transaction((tx) => linkAll(tx));
    expect(summary.childrenAfter).toBeLessThan(summary.childrenBefore);

    await expectRebuildToKeep(db, summary.childrenAfter);
  });

  /** The caseload's files in a new database, joined by identifiers, none of their children settled. */
  const loadUnsettled = async () => {
    await db.close();
    db = await createTestDatabase();
    for (const { file, format } of await recognizeFiles(listFeedFiles([path.join(workDir, 'feeds')])))
      await ingestFile(db, file, format, { link: 'identifiers', settle: false });
  };
  const pendingChildren = async () =>
    (
      await db.query<{ pending: number; gone: number }>(
        `select count(*)::int as pending, count(*) filter (where c.id is null)::int as gone
       from ingest_pending_children p left join children c on c.id = p.child_id`,
      )
    )[0]!;

  it('links a bulk load before its settle: the settle judges each child once, as linked', async () => {
    await loadUnsettled();
    const summary = await db.transaction((tx) => linkAll(tx, { settleLater: true }));
    expect(summary.childrenAfter).toBeLessThan(summary.childrenBefore);
    // Every child is still to be settled, and none the link merged away.
    expect(await pendingChildren()).toEqual({ pending: summary.childrenAfter, gone: 0 });
    await settleIngest(db);

    await expectRebuildToKeep(db, summary.childrenAfter);
  });

  it('leaves the children it moved to the settle after it when told to, and the settle then gives the same', async () => {
    await loadUnsettled();
    await settleIngest(db); // nothing pending: what the link marks is all the next settle judges
    const summary = await db.transaction((tx) => linkAll(tx, { settleLater: true }));
    expect((await pendingChildren()).pending).toBeGreaterThan(0); // the children that took the merged ones' records
    await settleIngest(db);

    await expectRebuildToKeep(db, summary.childrenAfter);
  });
});

/**
 * The identity index (docs/decisions/0026): a batch's candidates are the stored identities that share a blocking
 * key with it, found in memory by hashed keys. Held here to the keys as strings (`ruleKeys`): it must find exactly
 * those, and follow the store as identities are added, rolled back or emptied.
 */
describe(`the identity index on ${testEngine}`, () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-identity-index-'));
  let db: Database;
  beforeAll(async () => {
    generateCaseload({ children: 400, seed: 35, out: workDir });
    db = await createTestDatabase();
    for (const { file, format } of await recognizeFiles(listFeedFiles([path.join(workDir, 'feeds')])))
      await ingestFile(db, file, format, { link: 'identifiers', settle: false });
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const storedRows = () =>
    db.query<StoredIdentity>(`select ${STORED_IDENTITY_COLUMNS} from person_identities order by id`);
  /** The ids of the stored identities the index finds for one person's values, by its probe keys. */
  const found = (index: IdentityIndex, values: (string | null)[]) =>
    Array.from(
      index.pairsOf(blockKeysOf(datasetOf([{ id: 0, values, side: 1 }])), 1, Number.POSITIVE_INFINITY)
        .positions,
      (at) => index.idAt(at),
    );
  const person = (given: string, aNumber: string) =>
    identityFromFields({ given, surnames: 'Quispe Mamani', dob: '2010-03-04', a_number: aNumber })!;

  it('finds exactly the stored identities that share a blocking key with each person', async () => {
    const rows = await storedRows();
    const index = new IdentityIndex();
    await index.sync(db);
    expect(index.size).toBe(rows.length);
    // Every fifth identity as it is, and as a record lacking a birth date and an A-number (the fallback rule).
    const people = rows
      .filter((_, i) => i % 5 === 0)
      .flatMap((row) => {
        const values = valuesOf(row);
        return [values, values.map((value, f) => (f === 2 || f === 5 || f === 6 ? null : value))];
      });
    const data = datasetOf([
      ...rows.map((row) => ({ id: row.id, values: valuesOf(row), side: 0 })),
      ...people.map((values, i) => ({ id: -(i + 1), values, side: 1 })),
    ]);
    const expected = people.map(() => new Set<number>());
    for (const rule of PERSON_BLOCKING) {
      const keys = ruleKeys(data, rule);
      const seekers = seekersOf(data, rule);
      const holders = new Map<string, number[]>();
      rows.forEach((_, j) => {
        if (keys[j] !== null) holders.set(keys[j]!, [...(holders.get(keys[j]!) ?? []), j]);
      });
      people.forEach((_, p) => {
        const at = rows.length + p;
        for (const j of holders.get(keys[at] ?? '') ?? [])
          if (!seekers || seekers[at] === 1 || seekers[j] === 1) expected[p]!.add(rows[j]!.id);
      });
    }
    expect(expected.filter((ids) => ids.size > 1).length).toBeGreaterThan(people.length / 4);
    people.forEach((values, p) => {
      expect(found(index, values)).toEqual([...expected[p]!].sort((a, b) => a - b));
    });
  });

  it('catches up with identities stored since, and forgets one whose transaction rolled back', async () => {
    const index = new IdentityIndex();
    await index.sync(db);
    const before = index.size;
    // Two records of one person, an A-number digit apart: each finds the other by name and birth date.
    const phantom = person('Rosalinda', 'A999000111');
    let phantomId = 0;
    await expect(
      db.transaction(async (tx) => {
        phantomId = (
          await storeIdentities(tx, [{ identity: phantom, childId: 1, recordId: 90_000_001 }])
        ).get(phantom.signature)!;
        await index.sync(tx);
        expect(index.size).toBe(before + 1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(found(index, phantom.values)).toContain(phantomId); // read before the rollback

    const kept = person('Rosalinda', 'A999000112');
    const ids = await db.transaction((tx) =>
      storeIdentities(tx, [{ identity: kept, childId: 1, recordId: 90_000_002 }]),
    );
    await index.sync(db);
    expect(index.size).toBe(before + 1);
    expect(found(index, phantom.values)).not.toContain(phantomId);
    expect(found(index, phantom.values)).toContain(ids.get(kept.signature));
  });

  it('pairs a batch as blocking the batch with its candidates does, and skips a block over the limit', async () => {
    const rows = await storedRows();
    const index = new IdentityIndex();
    await index.sync(db);
    // A batch as a delivery brings it: people again with a changed birth day, without a birth date and an
    // A-number (the fallback rule), and twice over (pairs among the batch's own).
    const batch = rows
      .filter((_, i) => i % 9 === 0)
      .flatMap((row) => {
        const values = valuesOf(row);
        const dob = values[2] ? `${values[2].slice(0, 8)}${values[2].slice(8) === '01' ? '02' : '01'}` : null;
        return [
          values.map((value, f) => (f === 2 ? dob : value)),
          values.map((value, f) => (f === 2 || f === 5 || f === 6 ? null : value)),
        ];
      })
      .flatMap((values, i) =>
        i % 5 === 0 ? [values, values.map((v, f) => (f === 4 ? null : v))] : [values],
      );
    const keys = blockKeysOf(datasetOf(batch.map((values, i) => ({ id: i, values, side: 1 }))));
    const paired = index.pairsOf(keys, batch.length, 5_000);
    const data = index.datasetOf(paired.positions, batch);
    const expected = blockPairs(data, PERSON_BLOCKING, {
      crossOnly: false,
      maxBlockSize: 5_000,
      touching: 1,
    });
    const named = (pairs: { left: Int32Array; right: Int32Array; count: number }) =>
      Array.from({ length: pairs.count }, (_, p) =>
        [data.ids[pairs.left[p]!]!, data.ids[pairs.right[p]!]!].sort().join(' '),
      ).sort();
    expect(paired.count).toBeGreaterThan(batch.length);
    expect(named(paired).some((pair) => pair.split(' ').every((id) => id.startsWith('-')))).toBe(true);
    expect(named(paired)).toEqual(named(expected));
    // Every block of one person and another holds at least two: none is paired under a limit of one.
    expect(index.pairsOf(keys, batch.length, 1).count).toBe(0);
  });

  it('links a batch again after the same batch rolled back', async () => {
    const index = IdentityIndex.of(db);
    const rows = await storedRows();
    const people = rows.slice(0, 40).map((row, i) => ({
      record: { id: 91_000_000 + i },
      identity: identityFromFields({
        given: `${row.given ?? 'Ana'} Rolled`,
        surnames: row.surnames,
        dob: row.dob,
        a_number: row.a_number,
      })!,
    }));
    await expect(
      db.transaction(async (tx) => {
        await linkIdentities(tx, people, index);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // The index appended the batch's identities before the rollback; linking again must not take them as known.
    const children = await db.transaction((tx) => linkIdentities(tx, people, index));
    expect(children.length).toBeGreaterThan(0);
    const [{ missing }] = (await db.query<{ missing: number }>(
      `select count(*)::int as missing from identity_links l
       where l.source_record_id >= 91000000 and not exists (select 1 from person_identities p where p.id = l.identity_id)`,
    )) as [{ missing: number }];
    expect(missing).toBe(0);
  });

  it('follows identities moved to other children, and forgets a move whose transaction rolled back', async () => {
    const index = new IdentityIndex();
    await index.sync(db);
    const [first, second] = await storedRows();
    const [a, b] = [first!, second!].map((row) => index.positionOf(valuesOf(row)));
    expect(index.childAt(a!)).toBe(Number(first!.child_id));
    // Moved by another handle (a relink in another process): the trigger logs the move.
    await db.query('update person_identities set child_id = $2 where id = $1', [first!.id, 777_001]);
    await index.sync(db);
    expect(index.childAt(a!)).toBe(777_001);
    expect(index.childAt(b!)).toBe(Number(second!.child_id));
    expect(index.firstRecordAt(a!)).toBe(Number(first!.first_record_id));
    await expect(
      db.transaction(async (tx) => {
        await tx.query('update person_identities set child_id = $2 where id = $1', [second!.id, 777_002]);
        await index.sync(tx);
        expect(index.childAt(b!)).toBe(777_002);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await index.sync(db);
    expect(index.childAt(b!)).toBe(Number(second!.child_id));
    expect(index.childAt(a!)).toBe(777_001);
    await db.query('update person_identities set child_id = $2 where id = $1', [first!.id, first!.child_id]);
  });

  it('fills a child’s missing A-number from a record linked to it, also after a batch that filled it rolled back', async () => {
    const index = IdentityIndex.of(db);
    const written = {
      given: 'Wendolyne',
      surnames: 'Tzul Ixcoy',
      dob: '2009-11-21',
      sex: 'F',
      country: 'GT',
    };
    const [child] = await db.transaction((tx) =>
      linkIdentities(tx, [{ record: { id: 92_000_000 }, identity: identityFromFields(written)! }], index),
    );
    const withNumber = identityFromFields({ ...written, a_number: 'A208111222' })!;
    const aNumberOf = async () =>
      (
        await db.query<{ a_number: string | null }>('select a_number from children where id = $1', [child])
      )[0]!.a_number;
    expect(await aNumberOf()).toBeNull();
    await expect(
      db.transaction(async (tx) => {
        expect(
          await linkIdentities(tx, [{ record: { id: 92_000_001 }, identity: withNumber }], index),
        ).toEqual([child]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await aNumberOf()).toBeNull();
    // The index noted the child’s A-number in the batch that rolled back; it must not skip the fill now.
    await db.transaction((tx) =>
      linkIdentities(tx, [{ record: { id: 92_000_002 }, identity: withNumber }], index),
    );
    expect(await aNumberOf()).toBe(withNumber.values[5]);
  });

  it('links a batch a slice at a time: a later slice joins the children an earlier one made, and fills their identifiers', async () => {
    const index = IdentityIndex.of(db);
    const person = (given: string, surnames: string, dob: string, aNumber?: string) =>
      identityFromFields({ given, surnames, dob, sex: 'F', country: 'HN', a_number: aNumber })!;
    const identities = [
      person('Xochiquetzal', 'Ajpop Cumes', '2010-02-14'), // slice 0, a new child …
      person('Xochiquetzal', 'Ajpop Cumes', '2010-02-14', 'A207333444'), // … and its A-number, in the same slice
      person('Yaretzi', 'Chiyal Batz', '2011-07-30'), // slice 1, a new child …
      person('Zoila', 'Sipac Ordoñez', '2008-12-01'),
      person('Yaretzi', 'Chiyal Batz', '2011-07-30', 'A207555666'), // … joined and filled by slice 2
    ];
    const people = identities.map((identity, i) => ({ record: { id: 93_000_000 + i }, identity }));
    await db.transaction((tx) => linkIdentities(tx, people, index, 'model', 2));
    const links = await db.query<{ child_id: number; a_number: string | null }>(
      `select l.child_id, c.a_number from identity_links l join children c on c.id = l.child_id
       where l.source_record_id between 93000000 and 93000004 order by l.source_record_id`,
    );
    expect(links).toHaveLength(5);
    const [x1, x2, y1, z, y2] = links.map((link) => ({
      child: Number(link.child_id),
      aNumber: link.a_number,
    }));
    expect(x2!.child).toBe(x1!.child);
    expect(x1!.aNumber).toBe(identities[1]!.values[5]);
    expect(y2!.child).toBe(y1!.child);
    expect(y1!.aNumber).toBe(identities[4]!.values[5]);
    expect(new Set([x1!.child, y1!.child, z!.child]).size).toBe(3);
  });

  it('reads the whole store again after it was emptied', async () => {
    const index = new IdentityIndex();
    await index.sync(db);
    expect(index.size).toBeGreaterThan(1);
    await db.exec('truncate person_identities restart identity');
    const again = person('Again', 'A999000333');
    await db.transaction((tx) =>
      storeIdentities(tx, [{ identity: again, childId: 1, recordId: 90_000_003 }]),
    );
    await index.sync(db);
    expect(index.size).toBe(1);
    expect(found(index, again.values)).toEqual([1]);
  });
});

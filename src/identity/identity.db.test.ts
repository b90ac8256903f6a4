import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRecordEvidence } from '../addresses/addresses.repository';
import { signedIn } from '../auth/testing';
import { refreshChildState } from '../cases/projection';
import type { Database } from '../db';
import { holdLock } from '../db/locks';
import { createTestDatabase, testEngine } from '../db/testing';
import { buildApp } from '../http/app';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '../ingest';
import { loadPolicy, runSweep } from '../monitoring';
import { generateCaseload } from '../synth';
import { evaluateStore } from './evaluate-store';
import { explainRecord } from './explain';
import { IdentityIndex } from './identity-index';
import type { LinkMode } from './link-records';
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
    const first = await linkAll(db, IdentityIndex.of(db));
    expect(first.identities).toBeGreaterThan(3000);
    // What it leaves to a person comes with the run's probability and each field's evidence.
    const [reviews] = await db.query<{ pending: number; explained: number }>(
      `select count(*)::int as pending,
              count(*) filter (where match_probability between 0 and 1 and jsonb_array_length(evidence->'fields') > 0)::int
                as explained
       from review_pairs where status = 'pending'`,
    );
    expect(reviews!.pending).toBeGreaterThan(0);
    expect(reviews!.explained).toBe(reviews!.pending);
    const quality = await evaluateStore(db, workDir);
    expect(quality.precision).toBeGreaterThanOrEqual(0.995);
    expect(quality.recall).toBeGreaterThanOrEqual(0.99);
    const second = await linkAll(db, IdentityIndex.of(db));
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

    const rerun = await linkAll(db, IdentityIndex.of(db));
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

  it('links the whole store from a process’s identity index brought up to date, or from the store where it holds none', async () => {
    const count = async () =>
      Number((await db.query<{ n: number }>('select count(*) as n from person_identities'))[0]!.n);
    const index = IdentityIndex.of(db);
    // As a new process's index: empty, and the store read instead.
    index.clear();
    const cold = await linkAll(db, index);
    expect(cold.identities).toBe(await count());
    expect(cold.identitiesMoved).toBe(0);
    // Held, then another process moves an identity of a child of three or more to a child of as many: the index
    // hears of it before the run, which puts it back.
    await db.transaction(async (tx) => {
      await holdLock(tx, 'linking');
      await index.sync(tx);
    });
    expect(index.size).toBe(await count());
    const [taken] = await db.query<{ id: number; home: number; away: number }>(
      `with big as (select child_id from person_identities group by child_id having count(*) >= 3 order by child_id limit 2)
       select p.id, p.child_id as home, (select max(child_id) from big) as away
       from person_identities p where p.child_id = (select min(child_id) from big) order by p.id limit 1`,
    );
    await db.query('update person_identities set child_id = $2 where id = $1', [taken!.id, taken!.away]);
    const warm = await linkAll(db, index);
    expect(warm.identities).toBe(await count());
    expect(warm.identitiesMoved).toBe(1);
    const [back] = await db.query<{ child_id: number }>(
      'select child_id from person_identities where id = $1',
      [taken!.id],
    );
    expect(Number(back!.child_id)).toBe(Number(taken!.home));
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

    const summary = await linkAll(db, IdentityIndex.of(db));
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
    const summary = await db.transaction((tx) => linkAll(tx, IdentityIndex.of(db)));
    expect(summary.childrenAfter).toBeLessThan(summary.childrenBefore);
    // A moved identity's records carry the link that moved them: its weight and each field's evidence.
    const [moved] = await db.query<{ links: number; explained: number }>(
      `select count(*)::int as links,
              count(*) filter (where match_weight is not null and jsonb_array_length(evidence->'fields') > 0)::int as explained
       from identity_links where evidence->>'relinked' = 'true'`,
    );
    expect(moved!.explained).toBeGreaterThan(0);
    expect(moved!.explained).toBe(moved!.links);

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
    const summary = await db.transaction((tx) => linkAll(tx, IdentityIndex.of(db), { settleLater: true }));
    expect(summary.childrenAfter).toBeLessThan(summary.childrenBefore);
    // Every child is still to be settled, and none the link merged away.
    expect(await pendingChildren()).toEqual({ pending: summary.childrenAfter, gone: 0 });
    await settleIngest(db);

    await expectRebuildToKeep(db, summary.childrenAfter);
  });

  it('leaves the children it moved to the settle after it when told to, and the settle then gives the same', async () => {
    await loadUnsettled();
    await settleIngest(db); // nothing pending: what the link marks is all the next settle judges
    const summary = await db.transaction((tx) => linkAll(tx, IdentityIndex.of(db), { settleLater: true }));
    expect((await pendingChildren()).pending).toBeGreaterThan(0); // the children that took the merged ones' records
    await settleIngest(db);

    await expectRebuildToKeep(db, summary.childrenAfter);
  });
});

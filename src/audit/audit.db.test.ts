import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { LOCKS } from '../db/locks';
import { createTestDatabase, testEngine } from '../db/testing';
import { appendAudit, appendAuditIn, canonicalJson, listAudit, verifyAuditChain } from '.';

async function writeEntries(db: Database, n: number) {
  for (let i = 1; i <= n; i++) {
    await appendAudit(db, {
      actor: i % 2 ? 'demo-ice_juvenile_coordinator' : 'demo-orr_case_manager',
      action: 'case.read',
      objectType: 'child',
      objectId: String(100 + i),
      childId: 100 + i,
      purpose: 'failed-to-appear follow-up',
      result: 'allowed',
      detail: { fields: ['status', 'address'], ruleVersion: '2025-01', nested: { b: 1, a: [1, 2] } },
    });
  }
}

describe(`the audit log on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.exec('delete from audit_log');
    await writeEntries(db, 30);
  });

  it('verifies an untouched chain and reports its head hash', async () => {
    const result = await verifyAuditChain(db, 7); // pages smaller than the log, to cross page boundaries
    expect(result).toMatchObject({ ok: true, entries: 30 });
    const [last] = await listAudit(db, { limit: 1 });
    expect(result.head).toBe(last!.hash);
  });

  it('names the entry whose content was edited', async () => {
    await db.query(`update audit_log set purpose = 'curiosity' where seq = 12`);
    expect((await verifyAuditChain(db)).firstBreak).toMatchObject({ seq: 12, problem: 'altered' });
  });

  it('names where entries were deleted', async () => {
    await db.query('delete from audit_log where seq in (12, 13)');
    expect((await verifyAuditChain(db)).firstBreak).toMatchObject({
      seq: 14,
      problem: 'missing_before',
      message: 'Audit entries 12–13 are missing before entry 14 (deleted).',
    });
  });

  it('names a forged entry appended without the chain', async () => {
    const [last] = await listAudit(db, { limit: 1 });
    await db.query(
      `insert into audit_log (seq, at, actor, action, result, detail, prev_hash, hash)
       values ($1, now(), 'intruder', 'case.read', 'allowed', '{}', $2, $3)`,
      [last!.seq + 1, 'f'.repeat(64), 'e'.repeat(64)],
    );
    expect((await verifyAuditChain(db)).firstBreak).toMatchObject({ seq: 31 });
  });

  it('names the first entry of two that were swapped', async () => {
    await db.exec(`update audit_log set seq = -seq where seq in (20, 21);
                   update audit_log set seq = case seq when -20 then 21 else 20 end where seq in (-20, -21);`);
    expect((await verifyAuditChain(db)).firstBreak).toMatchObject({ seq: 20 });
  });

  it('names the first entry after one slipped into the middle', async () => {
    await db.exec(`update audit_log set seq = -seq where seq >= 10;
                   update audit_log set seq = -seq + 1 where seq < 0;
                   insert into audit_log (seq, at, actor, action, result, detail, prev_hash, hash)
                   select 10, at, 'intruder', action, result, detail, hash, hash from audit_log where seq = 9;`);
    expect((await verifyAuditChain(db)).firstBreak?.seq).toBe(10);
  });

  it('commits concurrent appends together, in arrival order, as one valid chain', async () => {
    const statements: string[] = [];
    const counting = { ...db, transaction: db.transaction.bind(db) } as Database;
    counting.transaction = (work) =>
      db.transaction((tx) => {
        statements.push('transaction');
        return work(tx);
      });
    const appended = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        appendAudit(counting, { actor: `reader-${i}`, action: 'case.read', childId: i, result: 'allowed' }),
      ),
    );
    expect(appended.map((entry) => entry.seq)).toEqual(appended.map((_, i) => 31 + i));
    expect(appended.map((entry) => entry.actor)).toEqual(appended.map((_, i) => `reader-${i}`));
    // The first append commits alone; the others waited for it and go in one or a few groups.
    expect(statements.length).toBeLessThanOrEqual(3);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 230 });
  });

  it('keeps one chain when other writers append meanwhile (another process, a transaction)', async () => {
    // Each handle has its own queue of appends, as another API process on the same database would.
    const other = { ...db } as Database;
    const read = (actor: string, i: number) => ({
      actor,
      action: 'case.read',
      childId: i,
      result: 'allowed' as const,
    });
    const appended = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => appendAudit(db, read('here', i))),
      ...Array.from({ length: 40 }, (_, i) => appendAudit(other, read('there', i))),
      ...Array.from({ length: 5 }, (_, i) =>
        db.transaction((tx) => appendAuditIn(tx, read('in-transaction', i))),
      ),
      ...Array.from({ length: 40 }, (_, i) => appendAudit(other, read('there', 40 + i))),
    ]);
    expect(new Set(appended.map((entry) => entry.seq)).size).toBe(125);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 155 });
    // Each writer's entries keep their order.
    const there = (await listAudit(db, { actor: 'there', limit: 100 })).reverse();
    expect(there.map((entry) => entry.childId)).toEqual(Array.from({ length: 80 }, (_, i) => i));
  });

  it('waits for a transaction that holds the chain, then appends after its entry', async () => {
    const other = { ...db } as Database;
    let appended: Promise<unknown> | undefined;
    let settled = false;
    await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.auditChain]);
      appended = appendAudit(other, { actor: 'waiting', action: 'case.read', result: 'allowed' });
      void appended.finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(settled).toBe(false); // the append waits for the lock: it would take the transaction's number
      await appendAuditIn(tx, { actor: 'in-transaction', action: 'case.read', result: 'allowed' });
    });
    await appended;
    const actors = (await listAudit(db, { limit: 2 })).map((entry) => entry.actor).reverse();
    expect(actors).toEqual(['in-transaction', 'waiting']);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 32 });
  });

  it('fails only the entry that cannot be stored when its group fails', async () => {
    const entry = (actor: string) => ({ actor, action: 'case.read', result: 'allowed' as const });
    const results = await Promise.allSettled([
      appendAudit(db, entry('first')),
      appendAudit(db, entry('second')),
      appendAudit(db, entry('bad\u0000actor')), // PostgreSQL text cannot hold NUL
      appendAudit(db, entry('fourth')),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const actors = (await listAudit(db, { limit: 4 })).map((e) => e.actor).reverse();
    expect(actors).toEqual(['demo-orr_case_manager', 'first', 'second', 'fourth']);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 33 });
  });

  it('filters entries by person and child for auditors', async () => {
    const forChild = await listAudit(db, { childId: 105 });
    expect(forChild.map((entry) => entry.seq)).toEqual([5]);
    const byPerson = await listAudit(db, { actor: 'demo-orr_case_manager', limit: 100 });
    expect(byPerson).toHaveLength(15);
    expect(byPerson.every((entry) => entry.actor === 'demo-orr_case_manager')).toBe(true);
  });
});

describe('canonical JSON', () => {
  it('does not depend on key order, at any depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });
});

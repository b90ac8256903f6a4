import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReleasedChild } from '../cases/testing';
import type { Database, Sql } from '../db';
import { LOCKS } from '../db/locks';
import { createTestDatabase } from '../db/testing';
import { markPending, takePending } from './ingest.repository';

/** Runs `work` in a transaction left open until the returned `finish` is called; `ready` once `work` is done. */
function openTransaction(db: Database, work: (tx: Sql) => Promise<unknown>) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let started!: () => void;
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const done = db.transaction(async (tx) => {
    await work(tx);
    started();
    await finished;
  });
  return { ready, finish, done };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), ms))]);

// Runs in the PostgreSQL pass only: transactions side by side on two connections, as a bulk settle runs its slices.
describe('writers side by side', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    expect(db.engine).toBe('postgres');
  });
  afterAll(() => db.close());

  it('take different children off the pending list, neither waiting for the other', async () => {
    await markPending(db, [101, 102, 103, 104, 105, 106], []);
    let first: number[] = [];
    const a = openTransaction(db, async (tx) => {
      first = await takePending(tx, 'children', 3);
    });
    await a.ready;
    const second = await within(
      db.transaction((tx) => takePending(tx, 'children', 3)),
      5_000,
    );
    a.finish();
    await a.done;
    const sorted = (ids: number[] | 'waited') => (ids === 'waited' ? ids : ids.sort((x, y) => x - y));
    expect(sorted(first)).toEqual([101, 102, 103]);
    expect(sorted(second)).toEqual([104, 105, 106]);
    expect(await db.query('select * from ingest_pending_children')).toEqual([]);
  });

  it('refresh the report’s counters one at a time: the second waits for the first to commit', async () => {
    const child = (n: number) => ({
      givenNames: 'Ana',
      surnames: `Side ${n}`,
      aNumber: `A20000000${n}`,
      orrId: `ORR-SIDE-${n}`,
      sponsorName: 'Rosa Side',
      address: `${100 + n} Main St, Houston, TX 77085`,
    });
    const one = await addReleasedChild(db, child(1));
    const two = await addReleasedChild(db, child(2));
    const refresh = (tx: Sql, id: number) => tx.query('select report_refresh_children($1::bigint[])', [[id]]);
    const a = openTransaction(db, (tx) => refresh(tx, one));
    await a.ready;
    const b = db.transaction((tx) => refresh(tx, two));
    // Both children count in the same office's counters; the second refresh waits on the lock, not on a row.
    await expect
      .poll(() =>
        db.query(
          `select count(*)::int as waiting from pg_locks
           where locktype = 'advisory' and objid = $1 and not granted`,
          [LOCKS.reportCounters],
        ),
      )
      .toEqual([{ waiting: 1 }]);
    a.finish();
    await Promise.all([a.done, b]);
    expect(
      await db.query(
        `select office, children from report_figure_counts where figure = 'children' and children <> 0`,
      ),
    ).toEqual([{ office: 'HOU', children: 2 }]);
  });
});

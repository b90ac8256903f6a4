import type { Sql } from './database';

/**
 * Single-key reads asked for in the same turn of the event loop, loaded together by one call of `load`. Under load
 * a busy route's reads then share one statement: fewer round trips, and fewer wake-ups of a database process on a
 * machine whose cores the app, the database and its clients share. At rest a read waits one turn at most.
 * Batches are kept per handle, so a read inside a transaction stays in it.
 */
export function batchPerTurn<K, V>(
  load: (sql: Sql, keys: K[]) => Promise<ReadonlyMap<K, V>>,
): (sql: Sql, key: K) => Promise<V | undefined> {
  const pending = new WeakMap<Sql, { keys: Set<K>; loaded: Promise<ReadonlyMap<K, V>> }>();
  return async (sql, key) => {
    let batch = pending.get(sql);
    if (!batch) {
      const keys = new Set<K>();
      const loaded = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        pending.delete(sql);
        return load(sql, [...keys]);
      });
      batch = { keys, loaded };
      pending.set(sql, batch);
    }
    batch.keys.add(key);
    return (await batch.loaded).get(key);
  };
}

import { describe, expect, it } from 'vitest';
import { batchPerTurn } from './batch-per-turn';
import type { Sql } from './database';

const handle = (): Sql => ({ query: async () => [], exec: async () => {} });

describe('reads batched per turn of the event loop', () => {
  const loader = () => {
    const loads: { sql: Sql; keys: number[] }[] = [];
    const read = batchPerTurn(async (sql, keys: number[]) => {
      loads.push({ sql, keys });
      if (keys.includes(13)) throw new Error('unlucky');
      return new Map(keys.filter((key) => key > 0).map((key) => [key, `value ${key}`]));
    });
    return { read, loads };
  };

  it('loads the keys asked for in one turn once, each caller getting its own value', async () => {
    const { read, loads } = loader();
    const sql = handle();
    const values = await Promise.all([read(sql, 1), read(sql, 2), read(sql, 1), read(sql, -5)]);
    expect(values).toEqual(['value 1', 'value 2', 'value 1', undefined]);
    expect(loads.map((load) => load.keys)).toEqual([[1, 2, -5]]);
  });

  it('starts a new batch in the next turn and keeps the handles apart', async () => {
    const { read, loads } = loader();
    const [one, two] = [handle(), handle()];
    await Promise.all([read(one, 1), read(two, 2)]);
    await read(one, 3);
    expect(loads.map((load) => [load.sql === one ? 'one' : 'two', load.keys])).toEqual([
      ['one', [1]],
      ['two', [2]],
      ['one', [3]],
    ]);
  });

  it('fails every read of a failed batch, and the next batch loads again', async () => {
    const { read, loads } = loader();
    const sql = handle();
    const results = await Promise.allSettled([read(sql, 13), read(sql, 4)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await read(sql, 4)).toBe('value 4');
    expect(loads).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '.';
import { openDatabase } from './database';
import { createTestDatabase } from './testing';

// Runs in the PostgreSQL pass only: how the app's connections are set up (docs/decisions/0015).
describe('connections to PostgreSQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    expect(db.engine).toBe('postgres');
  });
  afterAll(() => db.close());

  it('run without JIT compilation, which cost more than the statements it compiled', async () => {
    expect(await db.query('show jit')).toEqual([{ jit: 'off' }]);
  });

  it('leave the choice to the connection string when it sets options', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set('options', '-c jit=on');
    const other = await openDatabase({ engine: 'postgres', url: url.toString(), maxConnections: 1 });
    try {
      expect(await other.query('show jit')).toEqual([{ jit: 'on' }]);
    } finally {
      await other.close();
    }
  });
});

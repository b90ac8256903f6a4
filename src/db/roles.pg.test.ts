import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../audit';
import { type Database, openDatabase } from '.';
import { grantApplicationRole } from './roles';
import { createTestDatabase } from './testing';

// PostgreSQL only: PGlite has one user.
describe('the application role on PostgreSQL', () => {
  let owner: Database;
  let app: Database;
  const role = `wa_app_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    owner = await createTestDatabase();
    expect(owner.engine).toBe('postgres');
    await owner.exec(`create role ${role} login password 'test'`);
    await grantApplicationRole(owner, role);
    const [{ current_database: name }] = (await owner.query<{ current_database: string }>(
      'select current_database()',
    )) as [{ current_database: string }];
    const url = new URL(process.env.DATABASE_URL!);
    url.username = role;
    url.password = 'test';
    url.pathname = `/${name}`;
    app = await openDatabase({ engine: 'postgres', url: url.toString(), maxConnections: 1 });
  });
  afterAll(async () => {
    await app?.close();
    await owner.exec(`drop owned by ${role}; drop role ${role}`);
    await owner.close();
  });

  it('may append to the audit log and read it', async () => {
    await appendAudit(app, { actor: 'demo-hq_analyst', action: 'report.read', result: 'allowed' });
    const rows = await app.query('select actor from audit_log');
    expect(rows).toEqual([{ actor: 'demo-hq_analyst' }]);
  });

  it('may not update or delete audit entries', async () => {
    await expect(app.query(`update audit_log set actor = 'someone else'`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(app.query('delete from audit_log')).rejects.toThrow(/permission denied/);
    await expect(app.query('truncate audit_log')).rejects.toThrow(/permission denied/);
  });

  it('may still read and write case data', async () => {
    const [child] = await app.query<{ id: number }>(
      `insert into children (a_number) values ('123456789') returning id`,
    );
    await app.query(`update children set orr_id = 'UC1' where id = $1`, [child!.id]);
    expect(await app.query('select orr_id from children where id = $1', [child!.id])).toEqual([
      { orr_id: 'UC1' },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Sql } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { readCaseFile } from './case-file.repository';
import { addReleasedChild } from './testing';

describe(`case files read together on ${testEngine}`, () => {
  let db: Database;
  const ids: number[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const [i, address] of [
      '4010 Walnut Ave Apt 609, Houston, TX 77085',
      '1200 Main St, Atlanta, GA 30315',
      '77 Elm St, Houston, TX 77085',
    ].entries())
      ids.push(
        await addReleasedChild(db, {
          givenNames: `Child ${i}`,
          surnames: 'López Tzul',
          aNumber: `20000000${i}`,
          orrId: `UC${i}`,
          sponsorName: `Sponsor ${i}`,
          address,
          protected1367: i === 2,
        }),
      );
  });
  afterAll(() => db.close());

  it('reads asked for at once share one statement, and each gets its own child (or none)', async () => {
    const alone = [];
    for (const id of ids) alone.push(await readCaseFile(db, id));
    let statements = 0;
    const counted: Sql = {
      query: (text, params, options) => {
        statements++;
        return db.query(text, params, options);
      },
      exec: (script) => db.exec(script),
    };
    const together = await Promise.all([...ids, 987654, ids[0]!].map((id) => readCaseFile(counted, id)));
    expect(statements).toBe(1);
    expect(together).toEqual([...alone, undefined, alone[0]]);
    expect(together.map((file) => file?.child.givenNames)).toEqual([
      'Child 0',
      'Child 1',
      'Child 2',
      undefined,
      'Child 0',
    ]);
    expect(together.map((file) => file?.protected1367)).toEqual([false, false, true, undefined, false]);
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '.';
import { arrayLiteral, statementOf } from './statements';
import { createTestDatabase, testEngine } from './testing';

describe(`statements on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('reads an array literal back as the values it was made of, whatever the text holds', async () => {
    // Quotes, backslashes, braces, commas, spaces, the word NULL, empty text, accents and emoji: everything an
    // array literal must quote or escape.
    const text = fc.oneof(
      fc.string({
        unit: fc.constantFrom('"', '\\', '{', '}', ',', ' ', 'N', 'U', 'L', 'a', 'É', '😀'),
        maxLength: 8,
      }),
      fc.constantFrom('NULL', '', ' ', 'GARCIA LOPEZ'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text), { maxLength: 6 }), async (values) => {
        const [row] = await db.query<{ values: (string | null)[] }>('select $1::text[] as values', [
          arrayLiteral(values),
        ]);
        expect(row!.values).toEqual(values);
      }),
      { numRuns: 150 },
    );
    const [numbers] = await db.query<{ ids: string[]; weights: number[] }>(
      'select $1::bigint[]::text[] as ids, $2::float8[] as weights',
      [arrayLiteral([1, null, 9_007_199_254_740_991]), arrayLiteral([0.1, -2.5e-7, null])],
    );
    expect(numbers!.ids).toEqual(['1', null, '9007199254740991']);
    expect(numbers!.weights).toEqual([0.1, -2.5e-7, null]);
  });

  it('runs every part of one statement, each with its own parameters renumbered', async () => {
    await db.exec('create table statement_parts (part int, value text)');
    const { text, params } = statementOf([
      {
        text: 'insert into statement_parts select 1, unnest($1::text[])',
        params: [arrayLiteral(['a', 'b'])],
      },
      { text: 'insert into statement_parts values ($1, $2)', params: [2, 'c'] },
    ]);
    await db.query(text, params);
    expect(await db.query('select part, value from statement_parts order by part, value')).toEqual([
      { part: 1, value: 'a' },
      { part: 1, value: 'b' },
      { part: 2, value: 'c' },
    ]);
  });
});

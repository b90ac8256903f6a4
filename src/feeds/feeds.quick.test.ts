import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFeedFiles, recognizeFiles } from '../ingest';
import { readFeedRows } from '../ingest/read-feed';
import { generateCaseload } from '../synth';
import { FEED_FORMATS } from '.';
import { quickCheckOf } from './fields';

/**
 * The quick checks ingest validates rows with stand in for the zod schemas: for any row, a feed format's
 * quickParse accepts exactly the rows its schema accepts and cleans them to the very same value. Rows are
 * generated rows of every feed with a few fields replaced by awkward values (blank, padded, wrong case,
 * impossible dates, numbers and booleans in JSON, missing keys, very long text).
 */
describe('quick row checks against the feed schemas', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-quick-'));
  const rowsOf = new Map<string, Record<string, unknown>[]>();
  beforeAll(async () => {
    generateCaseload({ children: 60, seed: 41, out: workDir });
    for (const { file, format } of await recognizeFiles(listFeedFiles([path.join(workDir, 'feeds')]))) {
      const rows = rowsOf.get(format.kind) ?? [];
      for await (const row of readFeedRows(file, format))
        if ('values' in row && rows.length < 40) rows.push(row.values);
      rowsOf.set(format.kind, rows);
    }
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  const awkward = fc.oneof(
    fc.constantFrom(
      '',
      '   ',
      ' x ',
      'M',
      'f',
      'Male',
      'Y',
      'n',
      'TRUE',
      'false',
      '0',
      '1',
      '4',
      '5',
      '-0',
      '2.0',
      '1e0',
      ' 3 ',
      '12345',
      '1234',
      '12345-6789',
      '123456789',
      'A-123-456-789',
      'a12345678',
      '1234567',
      '2010-02-28',
      '2012-02-29',
      '2010-02-29',
      '1899-12-31',
      '2101-01-01',
      '02/28/2010',
      '13/01/2010',
      ' 2010-01-05 ',
      'runaway',
      'safety_call',
      'reached',
      'HEARING_ATTENDED',
      'hearing_notice',
      'vacant',
      'u_visa',
      'hotline',
    ),
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ minLength: 95, maxLength: 320 }),
    // Text at and just past each length limit the feeds set.
    fc
      .constantFrom(10, 20, 30, 40, 60, 80, 100, 120, 160, 200, 300, 500, 2000, 4000)
      .chain((limit) =>
        fc.constantFrom(
          'x'.repeat(limit),
          'é'.repeat(limit + 1),
          ` ${'y'.repeat(limit)} `,
          '𐀀'.repeat(limit),
          `${'𐀀'.repeat(limit)}z`,
        ),
      ),
    fc.integer({ min: -5, max: 100_000 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined), // the key left out (JSON Lines) — or, in a CSV row, cannot happen
  );
  const variantOf = fc.constantFrom(
    (value: unknown) => value,
    (value: unknown) => (typeof value === 'string' ? ` ${value}\t` : value),
    (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value),
    (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value),
  );

  for (const format of FEED_FORMATS) {
    const allQuick = Object.values(
      (format.schema as unknown as { shape: object }).shape as unknown as Record<string, never>,
    ).every((field) => quickCheckOf(field));
    it(`${format.kind}: accepts what the schema accepts, cleaned the same, and refuses what it refuses`, () => {
      const bases = rowsOf.get(format.kind)!;
      expect(bases.length).toBeGreaterThan(0);
      const changes = fc.array(
        fc.tuple(
          fc.constantFrom(...format.columns),
          fc.oneof(
            awkward,
            variantOf.map((v) => ({ v })),
          ),
        ),
        { maxLength: 3 },
      );
      let accepted = 0;
      fc.assert(
        fc.property(fc.nat(bases.length - 1), changes, (index, replaced) => {
          const row: Record<string, unknown> = { ...bases[index]! };
          for (const [column, change] of replaced) {
            if (change !== null && typeof change === 'object' && 'v' in change)
              row[column] = change.v(row[column]);
            else if (change === undefined) delete row[column];
            else row[column] = change;
          }
          const quick = format.quickParse(row);
          const parsed = format.schema.safeParse(row);
          if (quick !== undefined) {
            accepted++;
            expect(parsed.success).toBe(true);
            expect(quick).toStrictEqual(parsed.data);
            expect(Object.keys(quick)).toEqual(Object.keys(parsed.data!));
          } else if (allQuick) expect(parsed.success).toBe(false);
        }),
        { numRuns: 600 },
      );
      // The generated rows themselves pass: the quick path is the one ingest takes.
      if (allQuick) expect(accepted).toBeGreaterThan(100);
    });
  }
});

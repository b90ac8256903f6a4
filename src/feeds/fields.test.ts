import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { aNumber, date, integer, optionalANumber, optionalDate, optionalZip } from './fields';
import { OrrRelease } from './orr.feeds';

const firstMessage = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
};

describe('feed field parsers', () => {
  it('says which field, which value and what is wrong for an impossible date', () => {
    expect(firstMessage(date('dob'), '2031-02-30')).toBe('dob 2031-02-30: not a date');
    expect(firstMessage(date('dob'), '30/02/2031')).toBe('dob 30/02/2031: expected a date as YYYY-MM-DD');
    expect(firstMessage(date('DOB', 'us'), '13/01/2010')).toBe('DOB 13/01/2010: not a date');
    expect(firstMessage(date('dob'), '')).toBe('dob: required');
  });

  it('reads every real calendar date in both layouts as the same ISO date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1901-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (value) => {
          const iso = value.toISOString().slice(0, 10);
          const us = `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
          expect(date('d').parse(iso)).toBe(iso);
          expect(date('d', 'us').parse(us)).toBe(iso);
        },
      ),
    );
  });

  it('never throws on any input: it accepts or names the problem', () => {
    const schemas = [
      date('d'),
      optionalDate('d', 'us'),
      aNumber('a'),
      optionalANumber('a'),
      integer('n', 1, 4),
      optionalZip('z'),
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.integer(),
          fc.constant(null),
          fc.constant(undefined),
        ),
        (value) => {
          for (const schema of schemas) {
            const result = schema.safeParse(value);
            if (!result.success) expect(result.error.issues[0]?.message).toMatch(/^[a-z]+( |:)/);
          }
        },
      ),
    );
  });

  it('normalizes an A-number however the agency wrote it, and refuses one that is not', () => {
    for (const written of ['A123456789', 'a-123-456-789', '123-456-789', '123 456 789', 'A 123456789']) {
      expect(aNumber('a_number').parse(written)).toBe('123456789');
    }
    expect(aNumber('a_number').parse('12345678')).toBe('012345678');
    expect(firstMessage(aNumber('a_number'), '12AB')).toBe(
      'a_number 12AB: expected an A-number of 8 or 9 digits, such as A-123-456-789',
    );
    expect(optionalANumber('a_number').parse('')).toBeUndefined();
  });

  it('rejects a release row with every problem named, not only the first', () => {
    const result = OrrRelease.safeParse({
      orr_case_id: 'UC1',
      child_first_name: 'Ana',
      child_last_name: 'López',
      child_dob: '2031-02-30',
      child_gender: 'F',
      country_of_origin: 'Honduras',
      admission_date: '2023-01-01',
      release_date: '2023-02-01',
      sponsor_category: '7',
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message)).toEqual([
      'child_dob 2031-02-30: not a date',
      'child_gender F: expected one of Male, Female, Unknown',
      'sponsor_category 7: expected a whole number from 1 to 4',
    ]);
  });
});

import { z } from 'zod';

/**
 * Field parsers shared by the feed formats. A CSV cell arrives as a string ('' = absent); each parser says,
 * on failure, the field, the value and what was expected: "dob 2031-02-30: not a date".
 */
const MAX_TEXT = 500;

const show = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? '(missing)' : text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** '', whitespace-only and JSON null become undefined, so "absent" has one representation. */
const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '')
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;

export function text(field: string, max = MAX_TEXT) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({
        error: (issue) =>
          issue.input === undefined ? `${field}: required` : `${field} ${show(issue.input)}: expected text`,
      })
      .max(max, { error: (issue) => `${field} ${show(issue.input)}: longer than ${max} characters` }),
  );
}

export function optionalText(field: string, max = MAX_TEXT) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: (issue) => `${field} ${show(issue.input)}: expected text` })
      .max(max, { error: (issue) => `${field} ${show(issue.input)}: longer than ${max} characters` })
      .optional(),
  );
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date written YYYY-MM-DD (`iso`) or MM/DD/YYYY (`us`), returned as YYYY-MM-DD. */
function dateParser(field: string, format: 'iso' | 'us') {
  const pattern = format === 'iso' ? /^(\d{4})-(\d{2})-(\d{2})$/ : /^(\d{2})\/(\d{2})\/(\d{4})$/;
  const expected = format === 'iso' ? 'YYYY-MM-DD' : 'MM/DD/YYYY';
  return z
    .string({ error: (issue) => `${field} ${show(issue.input)}: expected a date as ${expected}` })
    .transform((value, context) => {
      const match = pattern.exec(value);
      if (!match) {
        context.addIssue({
          code: 'custom',
          message: `${field} ${show(value)}: expected a date as ${expected}`,
        });
        return z.NEVER;
      }
      const [year, month, day] =
        format === 'iso'
          ? [match[1], match[2], match[3]].map(Number)
          : [match[3], match[1], match[2]].map(Number);
      if (!isRealDate(year!, month!, day!) || year! < 1900 || year! > 2100) {
        context.addIssue({ code: 'custom', message: `${field} ${value}: not a date` });
        return z.NEVER;
      }
      return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    });
}

export function date(field: string, format: 'iso' | 'us' = 'iso') {
  return z.preprocess(
    blankToUndefined,
    z.string({ error: `${field}: required` }).pipe(dateParser(field, format)),
  );
}

export function optionalDate(field: string, format: 'iso' | 'us' = 'iso') {
  return z.preprocess(blankToUndefined, dateParser(field, format).optional());
}

/**
 * An alien registration number, however it is written (A123456789, A-123-456-789, 123 456 789, an 8-digit
 * older number), as the 9 digits it is stored as; undefined when the text is not one.
 */
export function normalizeANumber(text: string): string | undefined {
  const digits = text
    .trim()
    .replace(/^A[-\s.]?/i, '')
    .replace(/[-\s.]/g, '');
  return /^\d{8,9}$/.test(digits) ? digits.padStart(9, '0') : undefined;
}

function aNumberParser(field: string) {
  return z
    .string({ error: (issue) => `${field} ${show(issue.input)}: expected an A-number written as text` })
    .transform((value, context) => {
      const normalized = normalizeANumber(value);
      if (!normalized) {
        context.addIssue({
          code: 'custom',
          message: `${field} ${show(value)}: expected an A-number of 8 or 9 digits, such as A-123-456-789`,
        });
        return z.NEVER;
      }
      return normalized;
    });
}

export function aNumber(field: string) {
  return z.preprocess(blankToUndefined, z.string({ error: `${field}: required` }).pipe(aNumberParser(field)));
}

export function optionalANumber(field: string) {
  return z.preprocess(blankToUndefined, aNumberParser(field).optional());
}

export function oneOf<const Values extends readonly [string, ...string[]]>(field: string, values: Values) {
  return z.preprocess(
    blankToUndefined,
    z.enum(values, {
      error: (issue) =>
        issue.input === undefined
          ? `${field}: required, one of ${values.join(', ')}`
          : `${field} ${show(issue.input)}: expected one of ${values.join(', ')}`,
    }),
  );
}

export function optionalOneOf<const Values extends readonly [string, ...string[]]>(
  field: string,
  values: Values,
) {
  return z.preprocess(
    blankToUndefined,
    z
      .enum(values, {
        error: (issue) => `${field} ${show(issue.input)}: expected one of ${values.join(', ')}`,
      })
      .optional(),
  );
}

export function integer(field: string, min: number, max: number) {
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({
        error: (issue) => `${field} ${show(issue.input)}: expected a whole number from ${min} to ${max}`,
      })
      .int({
        error: (issue) => `${field} ${show(issue.input)}: expected a whole number from ${min} to ${max}`,
      })
      .min(min, {
        error: (issue) => `${field} ${show(issue.input)}: expected a whole number from ${min} to ${max}`,
      })
      .max(max, {
        error: (issue) => `${field} ${show(issue.input)}: expected a whole number from ${min} to ${max}`,
      }),
  );
}

export function optionalBoolean(field: string) {
  return z.preprocess((value) => {
    const blank = blankToUndefined(value);
    if (typeof blank !== 'string') return blank;
    const lowered = blank.toLowerCase();
    return ['y', 'yes', 'true', '1'].includes(lowered)
      ? true
      : ['n', 'no', 'false', '0'].includes(lowered)
        ? false
        : blank;
  }, z.boolean({ error: (issue) => `${field} ${show(issue.input)}: expected Y or N` }).optional());
}

export function optionalZip(field: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({
        error: (issue) => `${field} ${show(issue.input)}: expected a ZIP code (12345 or 12345-6789)`,
      })
      .regex(/^\d{5}(-?\d{4})?$/, {
        error: (issue) => `${field} ${show(issue.input)}: expected a ZIP code (12345 or 12345-6789)`,
      })
      .optional(),
  );
}

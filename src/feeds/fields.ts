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

/**
 * Each field parser has a plain-JavaScript twin, the quick check, that ingest runs on its hot path (the zod
 * object parse was most of a row's validation time): it returns the cleaned value, exactly as the schema would,
 * or REFUSED, and a row with any refused field goes through the zod schema for the messages a person reads.
 * `feeds.quick.test.ts` holds the twins to the schemas with generated rows (docs/decisions/0014).
 */
export const REFUSED: unique symbol = Symbol('refused');
export type QuickCheck = (value: unknown) => unknown;
const quickChecks = new WeakMap<z.ZodType, QuickCheck>();

/** A field schema's quick check, if it has one (a schema built outside these parsers has none). */
export const quickCheckOf = (schema: z.ZodType): QuickCheck | undefined => quickChecks.get(schema);

function withQuickCheck<Schema extends z.ZodType>(schema: Schema, check: QuickCheck): Schema {
  quickChecks.set(schema, check);
  return schema;
}

/** The quick check of an optional field: absent stays absent, anything else as the required field's check says. */
const optional =
  (check: (value: unknown) => unknown): QuickCheck =>
  (value) => {
    const given = blankToUndefined(value);
    return given === undefined ? undefined : check(given);
  };
const required =
  (check: (value: unknown) => unknown): QuickCheck =>
  (value) => {
    const given = blankToUndefined(value);
    return given === undefined ? REFUSED : check(given);
  };
// As zod measures a string: in code points (an emoji or a rare CJK character is one, though two UTF-16 units).
const textUpTo = (max: number) => (value: unknown) =>
  typeof value === 'string' && (value.length <= max || [...value].length <= max) ? value : REFUSED;

/** '', whitespace-only and JSON null become undefined, so "absent" has one representation. */
const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '')
    ? undefined
    : typeof value === 'string'
      ? value.trim()
      : value;

export function text(field: string, max = MAX_TEXT) {
  return withQuickCheck(
    z.preprocess(
      blankToUndefined,
      z
        .string({
          error: (issue) =>
            issue.input === undefined ? `${field}: required` : `${field} ${show(issue.input)}: expected text`,
        })
        .max(max, { error: (issue) => `${field} ${show(issue.input)}: longer than ${max} characters` }),
    ),
    required(textUpTo(max)),
  );
}

export function optionalText(field: string, max = MAX_TEXT) {
  return withQuickCheck(
    z.preprocess(
      blankToUndefined,
      z
        .string({ error: (issue) => `${field} ${show(issue.input)}: expected text` })
        .max(max, { error: (issue) => `${field} ${show(issue.input)}: longer than ${max} characters` })
        .optional(),
    ),
    optional(textUpTo(max)),
  );
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const DATE_PATTERNS = { iso: /^(\d{4})-(\d{2})-(\d{2})$/, us: /^(\d{2})\/(\d{2})\/(\d{4})$/ };

/** A date as written in the layout, as YYYY-MM-DD; `layout` when it is not written so, `date` when no such day. */
function readDate(value: string, format: 'iso' | 'us'): string | { wrong: 'layout' | 'date' } {
  const match = DATE_PATTERNS[format].exec(value);
  if (!match) return { wrong: 'layout' };
  const [year, month, day] =
    format === 'iso'
      ? [match[1], match[2], match[3]].map(Number)
      : [match[3], match[1], match[2]].map(Number);
  if (!isRealDate(year!, month!, day!) || year! < 1900 || year! > 2100) return { wrong: 'date' };
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const dateUpTo = (format: 'iso' | 'us') => (value: unknown) => {
  if (typeof value !== 'string') return REFUSED;
  const read = readDate(value, format);
  return typeof read === 'string' ? read : REFUSED;
};

/** A calendar date written YYYY-MM-DD (`iso`) or MM/DD/YYYY (`us`), returned as YYYY-MM-DD. */
function dateParser(field: string, format: 'iso' | 'us') {
  const expected = format === 'iso' ? 'YYYY-MM-DD' : 'MM/DD/YYYY';
  return z
    .string({ error: (issue) => `${field} ${show(issue.input)}: expected a date as ${expected}` })
    .transform((value, context) => {
      const read = readDate(value, format);
      if (typeof read === 'string') return read;
      context.addIssue({
        code: 'custom',
        message:
          read.wrong === 'layout'
            ? `${field} ${show(value)}: expected a date as ${expected}`
            : `${field} ${value}: not a date`,
      });
      return z.NEVER;
    });
}

export function date(field: string, format: 'iso' | 'us' = 'iso') {
  return withQuickCheck(
    z.preprocess(blankToUndefined, z.string({ error: `${field}: required` }).pipe(dateParser(field, format))),
    required(dateUpTo(format)),
  );
}

export function optionalDate(field: string, format: 'iso' | 'us' = 'iso') {
  return withQuickCheck(
    z.preprocess(blankToUndefined, dateParser(field, format).optional()),
    optional(dateUpTo(format)),
  );
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

const aNumberIn = (value: unknown) =>
  typeof value === 'string' ? (normalizeANumber(value) ?? REFUSED) : REFUSED;

export function aNumber(field: string) {
  return withQuickCheck(
    z.preprocess(blankToUndefined, z.string({ error: `${field}: required` }).pipe(aNumberParser(field))),
    required(aNumberIn),
  );
}

export function optionalANumber(field: string) {
  return withQuickCheck(z.preprocess(blankToUndefined, aNumberParser(field).optional()), optional(aNumberIn));
}

const oneOfSet = (values: readonly string[]) => {
  const allowed = new Set<unknown>(values);
  return (value: unknown) => (allowed.has(value) ? value : REFUSED);
};

export function oneOf<const Values extends readonly [string, ...string[]]>(field: string, values: Values) {
  return withQuickCheck(
    z.preprocess(
      blankToUndefined,
      z.enum(values, {
        error: (issue) =>
          issue.input === undefined
            ? `${field}: required, one of ${values.join(', ')}`
            : `${field} ${show(issue.input)}: expected one of ${values.join(', ')}`,
      }),
    ),
    required(oneOfSet(values)),
  );
}

export function optionalOneOf<const Values extends readonly [string, ...string[]]>(
  field: string,
  values: Values,
) {
  return withQuickCheck(
    z.preprocess(
      blankToUndefined,
      z
        .enum(values, {
          error: (issue) => `${field} ${show(issue.input)}: expected one of ${values.join(', ')}`,
        })
        .optional(),
    ),
    optional(oneOfSet(values)),
  );
}

export function integer(field: string, min: number, max: number) {
  return withQuickCheck(
    z.preprocess(
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
    ),
    // Coerced as zod coerces (Number(...)), absent included: Number(undefined) is NaN, refused.
    (value) => {
      const number = Number(blankToUndefined(value));
      return Number.isSafeInteger(number) && number >= min && number <= max ? number : REFUSED;
    },
  );
}

/** Y/N, yes/no, true/false, 1/0 (any case) as a boolean; anything else as it was, for the schema to refuse. */
function yesOrNo(value: unknown) {
  const blank = blankToUndefined(value);
  if (typeof blank !== 'string') return blank;
  const lowered = blank.toLowerCase();
  return ['y', 'yes', 'true', '1'].includes(lowered)
    ? true
    : ['n', 'no', 'false', '0'].includes(lowered)
      ? false
      : blank;
}

export function optionalBoolean(field: string) {
  return withQuickCheck(
    z.preprocess(
      yesOrNo,
      z.boolean({ error: (issue) => `${field} ${show(issue.input)}: expected Y or N` }).optional(),
    ),
    (value) => {
      const read = yesOrNo(value);
      return read === undefined || typeof read === 'boolean' ? read : REFUSED;
    },
  );
}

const ZIP = /^\d{5}(-?\d{4})?$/;

export function optionalZip(field: string) {
  return withQuickCheck(
    z.preprocess(
      blankToUndefined,
      z
        .string({
          error: (issue) => `${field} ${show(issue.input)}: expected a ZIP code (12345 or 12345-6789)`,
        })
        .regex(ZIP, {
          error: (issue) => `${field} ${show(issue.input)}: expected a ZIP code (12345 or 12345-6789)`,
        })
        .optional(),
    ),
    optional((value) => (typeof value === 'string' && ZIP.test(value) ? value : REFUSED)),
  );
}

import fs from 'node:fs';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { parseTerm } from './blocking';
import { COMPARATOR_TYPES, type ComparatorType } from './comparators';

/** A field's type is the comparator it is compared with. */
export const FIELD_TYPES = COMPARATOR_TYPES;
export type FieldType = ComparatorType;

const DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'MM/DD/YYYY', 'DD/MM/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** A linkage configuration (link.json): which columns to compare, how, and where to draw the lines. */
export const LinkConfigSchema = z
  .object({
    id: z.string().min(1).describe('the column holding each record’s id'),
    fields: z
      .array(
        z
          .object({
            column: z.string().min(1),
            type: z.enum(FIELD_TYPES),
            format: z
              .enum(DATE_FORMATS)
              .optional()
              .describe('how a date column is written; YYYY-MM-DD if absent'),
            unique: z
              .boolean()
              .optional()
              .describe('an identifier no entity has two different values of: clusters never join two'),
          })
          .strict(),
      )
      .min(1),
    blocking: z
      .array(z.array(z.string().min(1)).min(1))
      .optional()
      .describe('rules, each a list of columns that must agree for a pair to be compared; chosen if absent'),
    thresholds: z
      .object({ link: z.number().gt(0).lt(1), review: z.number().gt(0).lt(1) })
      .strict()
      .refine((t) => t.review <= t.link, { message: 'review must not be above link' })
      .optional(),
    maxBlockSize: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('records sharing one blocking key beyond which the block is skipped and reported'),
  })
  .strict();
export type LinkConfig = z.infer<typeof LinkConfigSchema>;

export const DEFAULT_THRESHOLDS = { link: 0.95, review: 0.5 };

/** Reads link.json; a mistake is reported with its place ("fields.2.type: …"), never as a stack trace. */
export function loadLinkConfig(file: string): LinkConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('input_invalid', `${file}: ${(error as Error).message}`);
  }
  const parsed = LinkConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError(
      'input_invalid',
      `${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    );
  }
  const config = parsed.data;
  const columns = new Set(config.fields.map((field) => field.column));
  for (const [i, rule] of (config.blocking ?? []).entries()) {
    for (const term of rule) {
      const { column, problem } = parseTerm(term);
      if (problem || !columns.has(column)) {
        throw new AppError(
          'input_invalid',
          `${file}: blocking.${i}: ${problem ?? `${column} is not one of the fields`}`,
        );
      }
    }
  }
  return config;
}

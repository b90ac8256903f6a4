import type { z } from 'zod';
import { type QuickCheck, quickCheckOf, REFUSED } from './fields';

/** The agencies (and channels) that deliver feeds. */
export const FEED_SOURCES = ['ice', 'orr', 'eoir', 'mail', 'tips'] as const;
export type FeedSource = (typeof FEED_SOURCES)[number];

/**
 * The contract for one feed format (one kind of file from one source, one version). The generator writes
 * files in these formats, ingest recognizes and validates them with the same object, and docs/feeds.md
 * documents each one.
 */
export interface FeedFormat<Row extends Record<string, unknown> = Record<string, unknown>> {
  /** Who sends it. */
  readonly source: FeedSource;
  /** What it holds, e.g. `orr_releases`; unique across sources. */
  readonly kind: string;
  /** Format version, e.g. `1`; a new version is a new FeedFormat object, the old one stays readable. */
  readonly version: string;
  readonly encoding: 'csv' | 'jsonl';
  /** CSV: the exact header columns, in order. JSON Lines: the field names, for documentation. */
  readonly columns: readonly string[];
  /** How a delivered file of this format is named, e.g. /^orr_releases_v1(_.*)?\.csv$/. */
  readonly fileNamePattern: RegExp;
  /** One row, parsed from the raw CSV strings or JSON object: validation errors name the field. */
  readonly schema: z.ZodType<Row>;
  /**
   * The row as `schema` would clean it, by the fields' quick checks, or undefined when a field refuses (or a
   * field has no quick check): then `schema.safeParse` gives the row's problems.
   */
  readonly quickParse: (row: Record<string, unknown>) => Row | undefined;
  /** The agency's own identifier for the row (stable across re-sends of the same fact). */
  sourceKey(row: Row): string;
}

/**
 * A feed format from its schema: the columns are the schema's fields in order, and files are named
 * `<kind>_v<version>[_<anything>].<csv|jsonl>` (docs/feeds.md).
 */
export function defineFeedFormat<Shape extends z.ZodRawShape>(spec: {
  source: FeedSource;
  kind: string;
  version: string;
  encoding: 'csv' | 'jsonl';
  schema: z.ZodObject<Shape>;
  sourceKey(row: z.infer<z.ZodObject<Shape>>): string;
}): FeedFormat<z.infer<z.ZodObject<Shape>>> {
  return {
    ...spec,
    quickParse: compileQuickParse(spec.schema) as (
      row: Record<string, unknown>,
    ) => z.infer<z.ZodObject<Shape>>,
    columns: Object.keys(spec.schema.shape),
    fileNamePattern: new RegExp(`^${spec.kind}_v${spec.version}(_[\\w.-]+)?\\.${spec.encoding}$`),
  };
}

/**
 * An object schema's fields' quick checks, compiled once into one function: the cleaned row (the schema's
 * fields in order, an absent optional field left out, as zod leaves it), or undefined.
 */
export function compileQuickParse(
  schema: z.ZodObject,
): (row: Record<string, unknown>) => Record<string, unknown> | undefined {
  const fields = Object.entries(schema.shape).map(([key, field]) => ({
    key,
    check: quickCheckOf(field as z.ZodType),
  }));
  if (fields.some((field) => field.check === undefined)) return () => undefined;
  const checks = fields as { key: string; check: QuickCheck }[];
  return (row) => {
    const cleaned: Record<string, unknown> = {};
    for (const { key, check } of checks) {
      const value = check(row[key]);
      if (value === REFUSED) return undefined;
      if (value !== undefined || key in row) cleaned[key] = value;
    }
    return cleaned;
  };
}

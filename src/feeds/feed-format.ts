import type { z } from 'zod';

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
    columns: Object.keys(spec.schema.shape),
    fileNamePattern: new RegExp(`^${spec.kind}_v${spec.version}(_[\\w.-]+)?\\.${spec.encoding}$`),
  };
}

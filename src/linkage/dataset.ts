import fs from 'node:fs';
import { parse } from 'csv-parse';
import { AppError } from '../shared/errors';
import type { DateFormat, FieldType, LinkConfig } from './config';
import { foldName, foldText } from './names';

/**
 * Records to link, held by column: ids, which input each came from, and every configured field normalized
 * once for its type (names folded, dates in ISO form, identifiers as digits), so comparing a pair does no
 * parsing. A value that cannot be read (a date that is not one) is null: missing, not different.
 */
export interface Dataset {
  ids: string[];
  /** 0 for the first (or only) input, 1 for the right input when linking two. */
  side: Uint8Array;
  values: Map<string, (string | null)[]>;
}

const CONTROL_CHARACTERS = /\p{Cc}/gu;

export function normalize(value: string | undefined, type: FieldType, format?: DateFormat): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  switch (type) {
    case 'name':
    case 'surname':
      return foldName(trimmed) || null;
    case 'text':
      return foldText(trimmed) || null;
    case 'date':
      return isoDate(trimmed, format ?? 'YYYY-MM-DD');
    case 'identifier': {
      const digits = trimmed.replace(/\D/g, '');
      return digits === '' ? null : digits;
    }
    case 'postcode': {
      const digits = trimmed.replace(/\D/g, '');
      return digits.length >= 3 ? digits.slice(0, 5) : null;
    }
    case 'number':
      return Number.isFinite(Number(trimmed)) ? String(Number(trimmed)) : null;
    case 'exact': {
      // Control characters carry nothing a person wrote, and a unit separator in a value would make two different
      // identities' signatures (src/identity/identities.ts) the same.
      const kept = trimmed.replace(CONTROL_CHARACTERS, '').trim().toUpperCase();
      return kept === '' ? null : kept;
    }
  }
}

const DATE_PATTERNS: Record<DateFormat, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'DD/MM/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
};

function isoDate(text: string, format: DateFormat): string | null {
  const parts = DATE_PATTERNS[format].exec(text)?.groups;
  if (!parts) return null;
  const month = Number(parts.m);
  const day = Number(parts.d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${parts.y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Reads one or two CSV files into a dataset; a missing column or a duplicate id stops with its place. */
export async function loadDataset(config: LinkConfig, files: string[]): Promise<Dataset> {
  const ids: string[] = [];
  const sides: number[] = [];
  const values = new Map(config.fields.map((field) => [field.column, [] as (string | null)[]]));
  const seen = new Set<string>();
  for (const [side, file] of files.entries()) {
    if (!fs.existsSync(file)) throw new AppError('input_invalid', `${file}: no such file`);
    const parser = fs
      .createReadStream(file)
      .pipe(parse({ bom: true, columns: true, relax_column_count: true, info: true }));
    let first = true;
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (first) {
        first = false;
        for (const column of [config.id, ...config.fields.map((field) => field.column)]) {
          if (!(column in record)) {
            throw new AppError('input_invalid', `${file}: no column ${JSON.stringify(column)} in the header`);
          }
        }
      }
      const id = record[config.id]?.trim() ?? '';
      const key = `${side}:${id}`;
      if (id === '' || seen.has(key)) {
        throw new AppError(
          'input_invalid',
          `${file}:${info.lines}: ${id === '' ? 'no id' : `id ${id} appears twice`}`,
        );
      }
      seen.add(key);
      ids.push(id);
      sides.push(side);
      for (const field of config.fields)
        values.get(field.column)!.push(normalize(record[field.column], field.type, field.format));
    }
  }
  return { ids, side: Uint8Array.from(sides), values };
}

/**
 * The positions of `ids` grouped by id, a counting sort: the positions holding id `g` are
 * `members[start[g] .. start[g + 1])`, in ascending order; a negative id (missing) is in no group.
 */
export function groupByNumber(
  ids: ArrayLike<number>,
  size: number,
): { start: Int32Array; members: Int32Array } {
  const start = new Int32Array(size + 1);
  for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) start[ids[i]! + 1]!++;
  for (let g = 0; g < size; g++) start[g + 1]! += start[g]!;
  const members = new Int32Array(start[size]!);
  const fill = start.slice(0, size);
  for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) members[fill[ids[i]!]!++] = i;
  return { start, members };
}

/** One column's values as ids into its distinct values (-1: missing). */
export function internColumn(values: readonly (string | null | undefined)[]): {
  ids: Int32Array;
  distinct: string[];
} {
  const idOf = new Map<string, number>();
  const ids = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const value = values[r];
    if (value === null || value === undefined) {
      ids[r] = -1;
      continue;
    }
    let id = idOf.get(value);
    if (id === undefined) {
      id = idOf.size;
      idOf.set(value, id);
    }
    ids[r] = id;
  }
  return { ids, distinct: [...idOf.keys()] };
}

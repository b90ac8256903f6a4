import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/**
 * CSV for people who open it in a spreadsheet. A cell that begins with = + - @, a tab or a carriage return
 * could be read as a formula (CSV injection, OWASP); it is written with a leading apostrophe, which
 * spreadsheets show as text. Numbers stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvCell = string | number | boolean | null | undefined;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return neutralizeFormula(value);
}

/** A CSV stream (header first) of rows that may arrive in pages, so a long list is never held whole. */
export function csvStream(header: string[], rows: AsyncIterable<CsvCell[]> | Iterable<CsvCell[]>): Readable {
  const stringifier = stringify({ bom: true, record_delimiter: 'windows' });
  const source = Readable.from(
    (async function* () {
      yield header.map(cell);
      for await (const row of rows) yield row.map(cell);
    })(),
  );
  return source.pipe(stringifier);
}

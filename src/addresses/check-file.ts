import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { AppError } from '../shared/errors';
import { judgeAddress, newRecordEvidence, noteRecord, withEvidence } from './judge';
import { ADDRESS_ELEMENTS } from './parse';

export interface CheckFileOptions {
  input: string;
  column: string;
  output: string;
  /** Records at one delivery point that make it "shared by many". */
  sharedThreshold?: number;
}

export interface CheckFileSummary {
  rows: number;
  verdicts: Record<string, number>;
  /** Rows written with `address_error` set instead of a verdict: line and why. */
  problems: { line: number; reason: string }[];
}

const ADDED_COLUMNS = [
  ...ADDRESS_ELEMENTS.map((element) => `address_${element}`),
  'address_delivery_line',
  'address_last_line',
  'address_verdict',
  'address_reasons',
  'address_error',
];

type CsvRow = { record: string[]; info: { lines: number } };

async function* readRows(file: string): AsyncGenerator<CsvRow | { line: number; error: string }> {
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  let lastLine = 1;
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) {
      lastLine = row.info.lines;
      yield row;
    }
  } catch (error) {
    yield {
      line: lastLine + 1,
      error: `the file cannot be read past this point: ${(error as Error).message}`,
    };
  }
}

/**
 * Adds each row's address elements, standard lines and verdict to a copy of a CSV file. Two passes, so memory
 * stays flat however long the file: the first learns which buildings have units and how many rows share each
 * delivery point, the second writes. A row that cannot be read is written with `address_error` saying why.
 */
export async function checkAddressFile(options: CheckFileOptions): Promise<CheckFileSummary> {
  if (!fs.existsSync(options.input)) throw new AppError('input_invalid', `${options.input}: no such file`);
  const threshold = options.sharedThreshold ?? 4;
  let columnIndex = -1;
  let header: string[] = [];
  const evidence = newRecordEvidence();

  for await (const row of readRows(options.input)) {
    if ('error' in row) break;
    if (columnIndex < 0) {
      header = row.record;
      columnIndex = header.indexOf(options.column);
      if (columnIndex < 0) {
        throw new AppError(
          'input_invalid',
          `${options.input}: no column named ${JSON.stringify(options.column)}; the header has ${header.map((h) => JSON.stringify(h)).join(', ')}`,
        );
      }
      continue;
    }
    noteRecord(evidence, judgeAddress(row.record[columnIndex] ?? ''));
  }
  if (columnIndex < 0)
    throw new AppError('input_invalid', `${options.input}: the file is empty (no header line)`);

  const summary: CheckFileSummary = { rows: 0, verdicts: {}, problems: [] };
  const out = stringify({ header: true, columns: [...header, ...ADDED_COLUMNS] });
  const file = fs.createWriteStream(options.output);
  out.pipe(file);
  let first = true;
  for await (const row of readRows(options.input)) {
    if ('error' in row) {
      summary.problems.push({ line: row.line, reason: row.error });
      const blanks = [...header, ...ADDED_COLUMNS.slice(1)].map(() => '');
      out.write([...blanks, `line ${row.line}: ${row.error}`]);
      break;
    }
    if (first) {
      first = false;
      continue;
    }
    summary.rows++;
    const record = header.map((_, i) => row.record[i] ?? '');
    const problem =
      row.record.length !== header.length
        ? `line ${row.info.lines}: expected ${header.length} fields as in the header, found ${row.record.length}`
        : '';
    if (problem) summary.problems.push({ line: row.info.lines, reason: problem });
    const judgement = withEvidence(judgeAddress(record[columnIndex]!), evidence, threshold);
    summary.verdicts[judgement.verdict] = (summary.verdicts[judgement.verdict] ?? 0) + 1;
    const c = judgement.components;
    out.write([
      ...record,
      ...ADDRESS_ELEMENTS.map((element) => c[element] ?? ''),
      judgement.standardized.delivery_line,
      judgement.standardized.last_line,
      judgement.verdict,
      judgement.reasons.map((reason) => reason.code).join(';'),
      problem,
    ]);
  }
  out.end();
  await finished(file);
  return summary;
}

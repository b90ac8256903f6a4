import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import { LineWriter } from './writers';

/**
 * The columns that say when an agency could first have sent a row: the day of the event it reports, or the
 * latest step it records (an NTA row with a filing date exists only once the NTA is filed). Not the hearing
 * date a row announces, nor the day a letter was sent.
 */
const DELIVERY_COLUMNS = new Set([
  'event_date',
  'APPREHENSION_DATE',
  'TRANSFER_TO_ORR_DATE',
  'ISSUED_DATE',
  'SERVED_DATE',
  'FILED_DATE',
  'release_date',
  'returned_date',
  'received_date',
]);

/** ISO from YYYY-MM-DD or ICE's MM/DD/YYYY; '' when blank or unreadable (such a row is history). */
function isoDay(value: unknown): string {
  if (typeof value !== 'string') return '';
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (us) return `${us[3]}-${us[1]}-${us[2]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
}

const deliveredOn = (row: Record<string, unknown>) => {
  let latest = '';
  for (const [column, value] of Object.entries(row))
    if (DELIVERY_COLUMNS.has(column)) {
      const day = isoDay(value);
      if (day > latest) latest = day;
    }
  return latest;
};

export interface DeliveryPart {
  dir: string;
  /** The last day (YYYY-MM-DD) of deliveries this part takes; absent: every later row. */
  through?: string;
}

/**
 * Splits a generated caseload's feed files by delivery day, keeping each file's name and header: each row goes
 * to the first part whose last day is on or after the day an agency could have sent it — a store's history,
 * then the next days' deliveries, for the daily-increment benchmark. Rows are copied byte for byte; a part
 * with no rows of a file gets no file.
 * Returns the rows each part received.
 */
export async function splitDeliveries(feedsDir: string, parts: DeliveryPart[]): Promise<number[]> {
  const counts = parts.map(() => 0);
  const partOf = (day: string) => {
    const index = parts.findIndex((part) => part.through === undefined || day <= part.through);
    if (index < 0) throw new Error(`no part takes rows delivered on ${day}`);
    return index;
  };
  const files = fs
    .readdirSync(feedsDir, { recursive: true })
    .map(String)
    .filter((file) => fs.statSync(path.join(feedsDir, file)).isFile());
  for (const file of files) {
    const writers = parts.map(({ dir }) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      return new LineWriter(path.join(dir, file));
    });
    const write = (line: string, row: Record<string, unknown>) => {
      const part = partOf(deliveredOn(row));
      writers[part]!.line(line);
      counts[part]!++;
    };
    const input = fs.createReadStream(path.join(feedsDir, file));
    if (file.endsWith('.jsonl')) {
      for await (const line of readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }))
        if (line.trim() !== '') write(line, JSON.parse(line));
    } else {
      let columns: string[] | undefined;
      for await (const { record, raw } of input.pipe(parse({ raw: true, bom: true }))) {
        const line = (raw as string).replace(/\r?\n$/, '');
        if (!columns) {
          for (const writer of writers) writer.line(line);
          columns = record as string[];
          continue;
        }
        write(line, Object.fromEntries(columns.map((column, i) => [column, (record as string[])[i]])));
      }
    }
    for (const writer of writers) {
      writer.close();
      // A JSON Lines feed is recognized by its first row: a day without one sends no file.
      if (writer.rows === 0) fs.rmSync(writer.file);
    }
  }
  return counts;
}

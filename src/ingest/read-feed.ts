import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { type FeedFormat, recognizeFeed } from '../feeds';
import { AppError } from '../shared/errors';
import { csvRecords } from './csv-records';

/** One row read from a feed file: either the parsed values or why it cannot be used. */
export type FeedRow =
  | { line: number; raw: string; values: Record<string, unknown> }
  | { line: number; raw: string; problem: { field?: string; reason: string } };

const MAX_RAW = 2000; // characters of a bad row kept for the person who fixes it

/** NUL cannot be stored in PostgreSQL text; a line holding one is rejected and shown with ␀ in its place. */
const visible = (text: string) => text.replaceAll('\u0000', '␀').slice(0, MAX_RAW);

function unreadable(text: string): string | undefined {
  if (text.includes('\uFFFD')) return 'the line contains bytes that are not UTF-8';
  if (text.includes('\u0000')) return 'the line contains a NUL character, which no field may hold';
  return undefined;
}

/** The feed files (.csv, .jsonl) among the given files and folders, folders read recursively, in name order. */
export function listFeedFiles(paths: string[]): string[] {
  return paths.flatMap((given) => {
    if (!fs.existsSync(given)) throw new AppError('input_invalid', `${given}: no such file or folder`);
    if (!fs.statSync(given).isDirectory()) return [given];
    return fs
      .readdirSync(given, { recursive: true })
      .map((file) => path.join(given, String(file)))
      .filter((file) => fs.statSync(file).isFile() && /\.(csv|jsonl)$/.test(file))
      .sort();
  });
}

/** Recognizes a file's format from its name and first line; refuses the whole file if none matches. */
export async function recognizeFile(file: string, formats?: readonly FeedFormat[]): Promise<FeedFormat> {
  const firstLine = await readFirstLine(file);
  const format = recognizeFeed(file, firstLine);
  if (!format || (formats && !formats.includes(format))) {
    throw new AppError(
      'input_invalid',
      `${file}: not a known feed format. Expected a file named like orr_releases_v1.csv (see docs/feeds.md) whose ` +
        `first line is that format's header; the first line is ${JSON.stringify(firstLine.slice(0, 120))}. Nothing was stored.`,
    );
  }
  return format;
}

async function readFirstLine(file: string): Promise<string> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', end: 64 * 1024 });
  const lines = readline.createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lines.close();
    stream.destroy();
    return line;
  }
  return '';
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Streams a feed file's data rows (after the header), in order, with their line numbers. Memory stays flat
 * whatever the file's size. A row that cannot be read as the format's columns comes out as a problem, never
 * as an exception.
 */
export async function* readFeedRows(file: string, format: FeedFormat): AsyncGenerator<FeedRow> {
  if (format.encoding === 'jsonl') yield* readJsonLines(file);
  else yield* readCsv(file, format);
}

async function* readJsonLines(file: string): AsyncGenerator<FeedRow> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line++;
    const raw = text.replace(/^\uFEFF/, '');
    if (raw.trim() === '') continue;
    const unusable = unreadable(raw);
    if (unusable) {
      yield { line, raw: visible(raw), problem: { reason: unusable } };
      continue;
    }
    try {
      const value = JSON.parse(raw) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield {
          line,
          raw: visible(raw),
          problem: { reason: 'expected one JSON object on the line' },
        };
      } else yield { line, raw, values: value as Record<string, unknown> };
    } catch (error) {
      yield {
        line,
        raw: visible(raw),
        problem: { reason: `not valid JSON: ${(error as Error).message}` },
      };
    }
  }
}

async function* readCsv(file: string, format: FeedFormat): AsyncGenerator<FeedRow> {
  const records = csvRecords(fs.createReadStream(file, { encoding: 'utf8' }));
  const columns = format.columns;
  let first = true;
  let lastLine = 1;
  try {
    for await (const { fields, line, raw } of records) {
      lastLine = line;
      if (first) {
        first = false; // the header, already checked by recognizeFile
        continue;
      }
      const unusable = unreadable(raw);
      if (unusable) {
        yield { line, raw: visible(raw), problem: { reason: unusable } };
      } else if (fields.length !== columns.length) {
        yield {
          line,
          raw: visible(raw),
          problem: {
            reason: `expected ${columns.length} columns (${path.basename(file)} header), found ${fields.length}`,
          },
        };
      } else {
        const values: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) values[columns[i]!] = fields[i];
        yield { line, raw, values };
      }
    }
  } catch (error) {
    // A quote never closed or an oversized record: what follows cannot be split into rows.
    yield {
      line: lastLine + 1,
      raw: '',
      problem: { reason: `the file cannot be read past this point: ${(error as Error).message}` },
    };
  }
}

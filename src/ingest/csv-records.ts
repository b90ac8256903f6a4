/** One CSV record: its fields, the line it ends on (counting from 1), and its text without the line end. */
export interface CsvRecord {
  fields: string[];
  line: number;
  raw: string;
}

/**
 * CSV records from a stream of text, read as csv-parse reads them with the options ingest used before
 * (`bom`, `relax_quotes`, `relax_column_count`, `skip_empty_lines`; a property test holds the two together):
 * the record delimiter is the first line end met (CRLF, LF or CR), a quote is literal inside an unquoted
 * field, a quoted field closed by something other than a comma or line end keeps its quotes, empty lines
 * are skipped. A record with no quote is split in one call, which is most of the speed: csv-parse read the
 * ORR releases at about 77,000 records/s, this at several times that. A quote left open at the end of the text,
 * or a record longer than `maxRecordSize`, throws: nothing after it can be split into records.
 */
export async function* csvRecords(
  chunks: AsyncIterable<string>,
  maxRecordSize = 1 << 20,
): AsyncGenerator<CsvRecord> {
  const reader = new CsvReader(maxRecordSize);
  for await (const chunk of chunks) {
    reader.push(chunk);
    for (let record = reader.next(false); record; record = reader.next(false)) yield record;
  }
  for (let record = reader.next(true); record; record = reader.next(true)) yield record;
}

const NEED_MORE = Symbol('need more text');

class CsvReader {
  private text = '';
  private pos = 0;
  /** The line `pos` is on. */
  private line = 1;
  private started = false;
  private delimiter: string | undefined;
  /** The first quote at or after the last record's start (Infinity: none in the text). */
  private quoteAt = -1;

  constructor(private readonly maxRecordSize: number) {}

  push(chunk: string): void {
    this.text = this.text.slice(this.pos) + chunk;
    this.pos = 0;
    if (!this.started && this.text.length > 0) {
      this.started = true;
      if (this.text.charCodeAt(0) === 0xfeff) this.text = this.text.slice(1);
    }
    this.quoteAt = -1;
  }

  /** The next whole record; undefined when the text read so far holds no more (or, at the end, none is left). */
  next(final: boolean): CsvRecord | undefined {
    for (;;) {
      if (this.pos >= this.text.length) return undefined;
      const result = this.record(final);
      if (result === NEED_MORE) {
        this.checkSize(this.text.length - this.pos); // a record still open past the limit
        return undefined;
      }
      if (result !== null) return result;
    }
  }

  private checkSize(length: number): void {
    if (length > this.maxRecordSize)
      throw new Error(`a record longer than ${this.maxRecordSize} characters at line ${this.line}`);
  }

  /** One record from `pos`; null for an empty line, skipped. */
  private record(final: boolean): CsvRecord | null | typeof NEED_MORE {
    const { text } = this;
    const start = this.pos;
    const delimiter = this.delimiter;
    if (delimiter !== undefined && text.charCodeAt(start) !== QUOTE) {
      // The common record: no quote before its line end, split at once.
      const end = text.indexOf(delimiter, start);
      if (end < 0 && !final) return NEED_MORE;
      const stop = end < 0 ? text.length : end;
      if (this.quoteAt < start) {
        const quote = text.indexOf('"', start);
        this.quoteAt = quote < 0 ? Number.POSITIVE_INFINITY : quote;
      }
      if (this.quoteAt >= stop) {
        this.checkSize(stop - start);
        this.pos = end < 0 ? stop : stop + delimiter.length;
        return this.finish(start, stop, stop === start ? null : text.slice(start, stop).split(','));
      }
    }
    const fields: string[] = [];
    let p = start;
    for (;;) {
      let value: string;
      if (text.charCodeAt(p) === QUOTE) {
        const quoted = this.quotedField(p, final);
        if (quoted === NEED_MORE) return NEED_MORE;
        [value, p] = quoted;
      } else {
        const end = this.fieldEnd(p, final);
        if (end === NEED_MORE) return NEED_MORE;
        value = text.slice(p, end);
        p = end;
      }
      fields.push(value);
      this.checkSize(p - start);
      if (p < text.length && text.charCodeAt(p) === COMMA) {
        p++;
        continue;
      }
      // A line end (the delimiter, found by fieldEnd or quotedField), or the end of the text.
      const stop = p;
      if (p < text.length) {
        this.delimiter ??= this.delimiterAt(p);
        p += this.delimiter.length;
      }
      this.pos = p;
      return this.finish(start, stop, stop === start ? null : fields);
    }
  }

  /** Counts the lines the record took and hands it out (or skips an empty line). */
  private finish(start: number, stop: number, fields: string[] | null): CsvRecord | null {
    const line = this.line + lineBreaks(this.text, start, stop);
    this.line = line + (this.pos > stop ? 1 : 0);
    return fields === null ? null : { fields, line, raw: this.text.slice(start, stop) };
  }

  /** Where the unquoted field at `p` ends: at a comma, at a line end, or at the end of the text. */
  private fieldEnd(p: number, final: boolean): number | typeof NEED_MORE {
    const { text } = this;
    let end = text.indexOf(',', p);
    if (end < 0) end = text.length;
    const lineEnd = this.lineEndFrom(p, end);
    if (lineEnd !== undefined) end = lineEnd;
    if (end === text.length && !final) return NEED_MORE;
    // A CR last in the text may be the first half of a CRLF.
    if (this.delimiter === undefined && text.charCodeAt(end) === CR && end + 1 === text.length && !final)
      return NEED_MORE;
    return end;
  }

  /** The first line end in [from, before): the delimiter once known, else any CR or LF. */
  private lineEndFrom(from: number, before: number): number | undefined {
    const { text } = this;
    if (this.delimiter !== undefined) {
      const at = text.indexOf(this.delimiter, from);
      return at >= 0 && at < before ? at : undefined;
    }
    for (let i = from; i < before; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) return i;
    }
    return undefined;
  }

  private delimiterAt(p: number): string {
    const { text } = this;
    if (text.charCodeAt(p) === LF) return '\n';
    return text.charCodeAt(p + 1) === LF ? '\r\n' : '\r';
  }

  /**
   * The quoted field at `p`: its value and where it ends. Closed by a quote before a comma, a line end or the
   * end of the text; closed otherwise, the field keeps its quotes and runs on to the next comma or line end.
   */
  private quotedField(p: number, final: boolean): [string, number] | typeof NEED_MORE {
    const { text } = this;
    let value = '';
    let from = p + 1;
    for (;;) {
      const quote = text.indexOf('"', from);
      if (quote < 0) {
        if (!final) return NEED_MORE;
        throw new Error(
          `a quote opened at line ${this.line + lineBreaks(text, this.pos, p)} is never closed`,
        );
      }
      if (quote + 1 === text.length && !final) return NEED_MORE;
      const after = text.charCodeAt(quote + 1);
      if (after === QUOTE) {
        value += text.slice(from, quote + 1);
        from = quote + 2;
        continue;
      }
      value += text.slice(from, quote);
      if (quote + 1 === text.length || after === COMMA) return [value, quote + 1];
      if (after === LF || after === CR) {
        if (this.delimiter === undefined) {
          if (after === CR && quote + 2 === text.length && !final) return NEED_MORE;
          return [value, quote + 1];
        }
        if (text.startsWith(this.delimiter, quote + 1)) return [value, quote + 1];
      }
      // Closed by something else: the field in its quotes (doubled ones read as one), then the rest as written.
      const end = this.fieldEnd(quote + 1, final);
      if (end === NEED_MORE) return NEED_MORE;
      return [`"${value}"${text.slice(quote + 1, end)}`, end];
    }
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Line breaks (CRLF, LF or a lone CR) in text[from, to). */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

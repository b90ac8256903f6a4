import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv-records';

/** What csv-parse made of the text with the options ingest read feeds with before. */
function csvParse(text: string) {
  try {
    const records = parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return { records: records.map(({ record, info }) => ({ fields: record, line: info.lines })) };
  } catch {
    return { error: true };
  }
}

async function read(text: string, cuts: number[], maxRecordSize?: number) {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const chunks = [...points, text.length].map((end, i) => text.slice(i === 0 ? 0 : points[i - 1], end));
  async function* stream() {
    yield* chunks;
  }
  const records = [];
  try {
    for await (const record of csvRecords(stream(), maxRecordSize)) records.push(record);
    return { records };
  } catch {
    return { error: true, records };
  }
}

const csvText = (units: string[]) =>
  fc.array(fc.constantFrom(...units), { maxLength: 40 }).map((parts) => parts.join(''));

describe('csvRecords', () => {
  it('reads what csv-parse reads, records and their lines, however the text is cut into chunks (LF)', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText(['a', 'b', ',', '"', '\n', ' ', 'ñ']),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (text, cuts) => {
          const expected = csvParse(text);
          const actual = await read(text, cuts);
          if (expected.error) expect(actual.error).toBe(true);
          else expect(actual.records.map(({ fields, line }) => ({ fields, line }))).toEqual(expected.records);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads the records csv-parse reads from CRLF and CR text, a BOM first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        csvText(['a', ',', '"', '\r\n', '\r', '\n', ' ']),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (bom, body, cuts) => {
          const text = (bom ? '\uFEFF' : '') + body;
          const expected = csvParse(text);
          const actual = await read(text, cuts);
          if (expected.error) expect(actual.error).toBe(true);
          else
            expect(actual.records.map(({ fields }) => fields)).toEqual(
              expected.records!.map((r) => r.fields),
            );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('gives each record its text without the line end, and the line it ends on', async () => {
    const { records } = await read('id,name\r\n1,"Ana\r\nMaría"\r\n\r\n2,Luz\r\n', [7, 15]);
    expect(records).toEqual([
      { fields: ['id', 'name'], line: 1, raw: 'id,name' },
      { fields: ['1', 'Ana\r\nMaría'], line: 3, raw: '1,"Ana\r\nMaría"' },
      { fields: ['2', 'Luz'], line: 5, raw: '2,Luz' },
    ]);
  });

  it('refuses a record longer than the limit, and a quote never closed, after the records before them', async () => {
    const long = await read(`a,b\n${'x'.repeat(50)}\nc\n`, [10, 30], 40);
    expect(long).toEqual({ error: true, records: [{ fields: ['a', 'b'], line: 1, raw: 'a,b' }] });
    const open = await read('a,b\n"c,d\ne\n', []);
    expect(open).toEqual({ error: true, records: [{ fields: ['a', 'b'], line: 1, raw: 'a,b' }] });
  });
});

import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvStream, neutralizeFormula } from './csv';

describe('CSV for spreadsheets', () => {
  it('writes every formula-starting cell as text, and leaves every other cell exactly as it was', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const written = neutralizeFormula(value);
        expect(/^[=+\-@\t\r]/.test(written)).toBe(false);
        if (/^[=+\-@\t\r]/.test(value)) expect(written).toBe(`'${value}`);
        else expect(written).toBe(value);
      }),
    );
  });

  it('neutralizes the classic payloads', () => {
    expect(neutralizeFormula('=HYPERLINK("http://x","click")')).toBe(`'=HYPERLINK("http://x","click")`);
    expect(neutralizeFormula('+1+1')).toBe(`'+1+1`);
    expect(neutralizeFormula('-2+3')).toBe(`'-2+3`);
    expect(neutralizeFormula('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralizeFormula('\t=1')).toBe(`'\t=1`);
    expect(neutralizeFormula('\r=1')).toBe(`'\r=1`);
    expect(neutralizeFormula('López')).toBe('López');
  });

  it('streams a header and rows that read back as the same cells, numbers unprefixed', async () => {
    const bytes = await buffer(
      csvStream(
        ['name', 'count'],
        (async function* () {
          yield ['=cmd|"/C calc"!A0', -3];
          yield ['Ana, "Ani" López', null];
        })(),
      ),
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM: spreadsheets read it as UTF-8
    expect(parse(bytes, { bom: true })).toEqual([
      ['name', 'count'],
      [`'=cmd|"/C calc"!A0`, '-3'],
      ['Ana, "Ani" López', ''],
    ]);
  });
});

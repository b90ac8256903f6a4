import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCaseload } from '../synth';
import { evaluateAddresses, fromGeneratorTruth } from './evaluate';

const BIN = path.resolve('bin/whereabouts.mjs');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-addresses-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });

describe('whereabouts address', () => {
  it('parses one address to the documented JSON', () => {
    const result = run('address', 'parse', '4500 Westheimer Rd Apt 12, Houston, TX 77027', '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      components: {
        AddressNumber: '4500',
        StreetName: 'Westheimer',
        StreetNamePostType: 'Rd',
        SubaddressType: 'Apt',
        SubaddressIdentifier: '12',
        PlaceName: 'Houston',
        StateName: 'TX',
        ZipCode: '77027',
      },
      standardized: { delivery_line: '4500 WESTHEIMER RD APT 12', last_line: 'HOUSTON TX 77027' },
      verdict: 'deliverable_likely',
      reasons: [],
    });
  });

  it('checks a file with bad rows: every row comes out, the unreadable ones say why', () => {
    const input = path.join(workDir, 'sponsors.csv');
    const output = path.join(workDir, 'checked.csv');
    fs.writeFileSync(
      input,
      [
        'case,address,note',
        'A1,"4500 Westheimer Rd Apt 12, Houston, TX 77027",ok',
        'A2,"4500 Westheimer Rd, Houston, TX 77027",no unit',
        'A3,,blank',
        'A4,"PO Box 9, Laredo, TX 78040",box,extra field',
        'A5,unknown',
        'A6,"12 Oak St, Houston, TX 77002",ok',
        'A7,"12 Oak St, Houston',
      ].join('\n'),
    );
    const result = run('address', 'check', '--in', input, '--column', 'address', '--out', output, '--json');
    expect(result.status).toBe(1); // some rows could not be read whole
    expect(result.stderr).toContain('sponsors.csv:5: line 5: expected 3 fields as in the header, found 4');
    expect(result.stderr).toContain('sponsors.csv:6:');
    expect(result.stderr).toMatch(/sponsors\.csv:8: the file cannot be read past this point/);
    const rows = parse(fs.readFileSync(output, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.case, row.address_verdict])).toEqual([
      ['A1', 'deliverable_likely'],
      ['A2', 'missing_unit'],
      ['A3', 'missing'],
      ['A4', 'po_box'],
      ['A5', 'missing'],
      ['A6', 'deliverable_likely'],
      ['', ''],
    ]);
    expect(rows[1]!.address_reasons).toBe('units_at_same_address');
    expect(rows[0]!.address_delivery_line).toBe('4500 WESTHEIMER RD APT 12');
    expect(rows[0]!.address_SubaddressIdentifier).toBe('12');
    expect(rows[6]!.address_error).toMatch(/^line 8: the file cannot be read past this point/);
    expect(JSON.parse(result.stdout).rows).toBe(6);
  });

  it('names the column it cannot find, with the ones it can', () => {
    const input = path.join(workDir, 'other.csv');
    fs.writeFileSync(input, 'case,street\nA1,"12 Oak St"\n');
    const result = run(
      'address',
      'check',
      '--in',
      input,
      '--column',
      'address',
      '--out',
      path.join(workDir, 'x.csv'),
    );
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      `whereabouts: ${input}: no column named "address"; the header has "case", "street"`,
    );
  });
});

describe('the address library against the generator’s ground truth', () => {
  it('gets at least 99% of addresses fully right and agrees with 97% of the defects', () => {
    generateCaseload({ children: 3000, seed: 5, out: workDir });
    const rows = parse(fs.readFileSync(path.join(workDir, 'truth', 'addresses.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const result = evaluateAddresses(fromGeneratorTruth(rows));
    expect(result.addresses).toBeGreaterThan(2000);
    expect(result.componentAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(result.verdictAgreement).toBeGreaterThanOrEqual(0.97);
  });
});

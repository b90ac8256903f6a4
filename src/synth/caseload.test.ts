import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_FORMATS, recognizeFeed } from '../feeds';
import { generateCaseload, type Manifest } from '.';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-synth-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map((file) => path.join(dir, String(file)))
    .filter((file) => fs.statSync(file).isFile())
    .sort();
}

function readRows(file: string): Record<string, unknown>[] {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.jsonl')
    ? text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    : (parse(text, { columns: true }) as Record<string, unknown>[]);
}

describe('the synthetic caseload generator', () => {
  const small = path.join(workDir, 'small');
  let manifest: Manifest;
  beforeAll(() => {
    manifest = generateCaseload({ children: 3000, seed: 11, out: small });
  });

  it('writes byte-identical files for the same size and seed', () => {
    const again = path.join(workDir, 'again');
    generateCaseload({ children: 3000, seed: 11, out: again });
    const digest = (dir: string) =>
      filesUnder(dir).map(
        (file) =>
          `${path.relative(dir, file)} ${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`,
      );
    expect(digest(again)).toEqual(digest(small));
    const other = path.join(workDir, 'other-seed');
    generateCaseload({ children: 3000, seed: 12, out: other });
    expect(digest(other)).not.toEqual(digest(small));
  });

  it('writes every feed in a format the system recognizes, and every row parses with its schema', () => {
    const feedFiles = filesUnder(path.join(small, 'feeds'));
    expect(feedFiles.length).toBeGreaterThanOrEqual(FEED_FORMATS.length);
    const kinds = new Set<string>();
    for (const file of feedFiles) {
      const firstLine = fs.readFileSync(file, 'utf8').split('\n')[0]!;
      const format = recognizeFeed(file, firstLine);
      expect(format, `${file} is not recognized`).toBeDefined();
      kinds.add(format!.kind);
      const problems = readRows(file)
        .map((row, i) => ({ line: i + 2, result: format!.schema.safeParse(row) }))
        .filter(({ result }) => !result.success)
        .map(({ line, result }) => `${path.basename(file)}:${line} ${result.error!.issues[0]!.message}`);
      expect(problems).toEqual([]);
    }
    expect([...kinds].sort()).toEqual(FEED_FORMATS.map((format) => format.kind).sort());
  });

  it('keeps truth and feeds in agreement: every record names a child that exists, every row a known record', () => {
    const children = new Set(readRows(path.join(small, 'truth', 'children.csv')).map((row) => row.child_id));
    expect(children.size).toBe(3000);
    const records = readRows(path.join(small, 'truth', 'records.csv'));
    const keys = new Set(records.map((row) => `${row.source}|${row.source_key}`));
    expect(records.every((row) => children.has(row.child_id))).toBe(true);
    expect(keys.size).toBe(records.length);
    for (const file of filesUnder(path.join(small, 'feeds'))) {
      const format = recognizeFeed(file, fs.readFileSync(file, 'utf8').split('\n')[0]!)!;
      const unknown = readRows(file).filter(
        (row) => !keys.has(`${format.source}|${format.sourceKey(format.schema.parse(row))}`),
      );
      expect(unknown, path.basename(file)).toEqual([]);
    }
    const feedRows = filesUnder(path.join(small, 'feeds')).reduce(
      (sum, file) => sum + readRows(file).length,
      0,
    );
    const manifestFeedRows = Object.entries(manifest.files)
      .filter(([name]) => !['children', 'records', 'addresses'].includes(name))
      .reduce((sum, [, rows]) => sum + rows, 0);
    expect(manifestFeedRows).toBe(feedRows);
  });

  it('makes the agencies disagree as documented: names, A-numbers and re-sent rows', () => {
    const truth = new Map(
      readRows(path.join(small, 'truth', 'children.csv')).map((row) => [row.a_number, row]),
    );
    const releases = readRows(path.join(small, 'feeds', 'orr', 'orr_releases_v1.csv'));
    const missingANumber = releases.filter((row) => row.a_number === '').length / releases.length;
    expect(missingANumber).toBeGreaterThan(0.07);
    expect(missingANumber).toBeLessThan(0.13);
    const court = readRows(path.join(small, 'feeds', 'eoir', 'eoir_case_events_v1.csv'));
    const fold = (text: string) =>
      text
        .normalize('NFD')
        .replace(/\p{Diacritic}/gu, '')
        .toUpperCase();
    const differs = court.filter((row) => {
      const child = truth.get(row.alien_number);
      return child && fold(String(child.surnames)) !== fold(String(row.respondent_last_name));
    });
    expect(differs.length / court.length).toBeGreaterThan(0.3);
    const keys = releases.map((row) => row.orr_case_id);
    expect(new Set(keys).size).toBeLessThan(keys.length); // some rows re-sent
    const sponsorOf = new Map([...truth.values()].map((child) => [child.orr_id, child.sponsor_id]));
    const spellings = new Map<unknown, Set<unknown>>();
    for (const row of releases) {
      const sponsor = sponsorOf.get(row.orr_case_id);
      spellings.set(sponsor, (spellings.get(sponsor) ?? new Set()).add(row.sponsor_name));
    }
    expect([...spellings.values()].filter((names) => names.size > 1).length).toBeGreaterThan(10); // one sponsor, several spellings
  });

  it('records each release address with its components and its defect', () => {
    const addresses = readRows(path.join(small, 'truth', 'addresses.csv'));
    const defects = new Set(addresses.map((row) => row.defect));
    expect([...defects].sort()).toEqual(['missing', 'missing_unit', 'none', 'undeliverable', 'zip_mismatch']);
    const sound = addresses.filter((row) => row.defect === 'none');
    expect(
      sound.every((row) => String(row.raw_text).includes(String(row.StreetName)) && row.ZipCode !== ''),
    ).toBe(true);
  });
});

describe('calibration at 100,000 children', () => {
  it('reaches every calibrated rate within one percentage point of its target', () => {
    const manifest = generateCaseload({ children: 100_000, seed: 2026, out: path.join(workDir, 'large') });
    const misses = manifest.calibration
      .filter((rate) => Math.abs(rate.achieved - rate.target) > 0.01)
      .map((rate) => `${rate.id}: target ${rate.target}, achieved ${rate.achieved}`);
    expect(misses).toEqual([]);
    expect(manifest.calibration.length).toBeGreaterThanOrEqual(15);
  });
});

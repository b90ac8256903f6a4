import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCaseload } from '.';
import { splitDeliveries } from './split-deliveries';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-split-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const linesOf = (file: string) =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('splitting a caseload’s feeds by delivery day', () => {
  const feeds = path.join(workDir, 'caseload', 'feeds');
  const parts = [
    { dir: path.join(workDir, 'history'), through: '2023-12-29' },
    { dir: path.join(workDir, 'day'), through: '2023-12-30' },
    { dir: path.join(workDir, 'rest') },
  ];
  let counts: number[];
  let files: string[];
  beforeAll(async () => {
    generateCaseload({ children: 1500, seed: 3, out: path.join(workDir, 'caseload') });
    files = fs
      .readdirSync(feeds, { recursive: true })
      .map(String)
      .filter((file) => fs.statSync(path.join(feeds, file)).isFile());
    counts = await splitDeliveries(feeds, parts);
  });

  it('puts every row in exactly one part, byte for byte, each file keeping its header', () => {
    let rows = 0;
    for (const file of files) {
      const [header, ...original] = linesOf(path.join(feeds, file));
      const split = parts.map(({ dir }) => linesOf(path.join(dir, file)));
      if (!file.endsWith('.jsonl')) for (const lines of split) expect(lines.shift()).toBe(header);
      else original.unshift(header!);
      expect(split.flat().sort()).toEqual([...original].sort());
      rows += original.length;
    }
    expect(counts.reduce((a, b) => a + b)).toBe(rows);
  });

  it('sends a day’s deliveries to that day’s part: a small share, none dated before it', () => {
    const [history, day, rest] = counts as [number, number, number];
    expect(day).toBeGreaterThan(0);
    expect(rest).toBeGreaterThan(0);
    expect(day).toBeLessThan(history / 100);
    const events = linesOf(path.join(parts[1]!.dir, 'eoir', 'eoir_case_events_v1.csv')).slice(1);
    for (const line of events) expect(line).toContain(',2023-12-30,');
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCaseload } from '../synth';

const BIN = path.resolve('bin/whereabouts.mjs');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-linkage-cli-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });

describe('whereabouts linkage', () => {
  it('links generated person records and scores the links against the truth', () => {
    generateCaseload({ children: 1500, seed: 8, out: path.join(workDir, 'caseload') });
    const people = path.join(workDir, 'people');
    expect(
      run('linkage', 'people', '--caseload', path.join(workDir, 'caseload'), '--out', people).status,
    ).toBe(0);
    const pairs = path.join(workDir, 'pairs.csv');
    const linked = run(
      'linkage',
      'run',
      '--config',
      path.join(people, 'link.json'),
      '--input',
      path.join(people, 'records.csv'),
      '--out',
      pairs,
      '--json',
    );
    expect(linked.status, linked.stderr).toBe(0);
    const summary = JSON.parse(linked.stdout);
    expect(summary.pairsCompared).toBeGreaterThan(summary.links);
    expect(summary.parameters.map((p: { field: string }) => p.field)).toContain('dob');
    const rows = parse(fs.readFileSync(pairs, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'left_id',
      'right_id',
      'match_probability',
      'match_weight',
      'decision',
    ]);
    expect(new Set(rows.map((row) => row.decision))).toEqual(new Set(['link', 'review']));
    const scored = run(
      'linkage',
      'evaluate',
      '--pairs',
      pairs,
      '--truth',
      path.join(people, 'truth.csv'),
      '--json',
    );
    expect(scored.status, scored.stderr).toBe(0);
    const scores = JSON.parse(scored.stdout);
    expect(scores.precision).toBeGreaterThan(0.99);
    expect(scores.recall).toBeGreaterThan(0.98);
  });

  it('writes each pair’s evidence when asked: every field’s level and weight', () => {
    const people = path.join(workDir, 'people');
    const pairs = path.join(workDir, 'pairs-evidence.csv');
    const config = path.join(people, 'link.json');
    const result = run(
      'linkage',
      'run',
      '--config',
      config,
      '--input',
      path.join(people, 'records.csv'),
      '--out',
      pairs,
      '--evidence',
    );
    expect(result.status, result.stderr).toBe(0);
    const rows = parse(fs.readFileSync(pairs, 'utf8'), { columns: true }) as Record<string, string>[];
    const evidence = JSON.parse(rows[0]!.evidence!) as {
      field: string;
      level: string | null;
      weight: number;
    }[];
    expect(evidence.map((e) => e.field)).toEqual([
      'given',
      'surnames',
      'dob',
      'sex',
      'country',
      'a_number',
      'orr_id',
      '(prior)',
    ]);
    // The fields' weights and the prior make up the pair's weight.
    for (const row of rows.slice(0, 50)) {
      const sum = (JSON.parse(row.evidence!) as { weight: number }[]).reduce(
        (total, e) => total + e.weight,
        0,
      );
      expect(Math.abs(sum - Number(row.match_weight))).toBeLessThan(0.02);
    }
  });

  it('says how to call it when the inputs are given wrong', () => {
    const result = run(
      'linkage',
      'run',
      '--config',
      'x.json',
      '--input',
      'a.csv',
      '--left',
      'b.csv',
      '--out',
      'p.csv',
    );
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'whereabouts: give either --input FILE, or both --left FILE and --right FILE',
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCaseload } from '../synth';
import { PERSON_LINK_CONFIG, writePersonRecords } from '../synth/person-records';
import { blockPairs } from './blocking';
import { clusterLinks } from './cluster';
import { LinkConfigSchema, loadLinkConfig } from './config';
import { type Dataset, loadDataset, normalize } from './dataset';
import { linkedPairs, runLinkage } from './engine';
import { pairsSharingValue, pairwiseScores, readTruth } from './evaluate';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-linkage-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const dataset = (columns: Record<string, (string | null)[]>, side?: number[]): Dataset => {
  const n = Object.values(columns)[0]!.length;
  return {
    ids: Array.from({ length: n }, (_, i) => `r${i}`),
    side: Uint8Array.from(side ?? new Array(n).fill(0)),
    values: new Map(Object.entries(columns)),
  };
};

describe('blocking', () => {
  it('unions rules without repeating a pair, and reports pairs per rule', () => {
    const data = dataset({
      dob: ['2008-01-01', '2008-01-01', '2008-01-01', '2009-02-02'],
      a: ['1', '1', '2', '2'],
    });
    const pairs = blockPairs(data, [['dob'], ['a']], { crossOnly: false, maxBlockSize: 100 });
    const found = Array.from({ length: pairs.count }, (_, p) => `${pairs.left[p]}-${pairs.right[p]}`);
    expect(found.sort()).toEqual(['0-1', '0-2', '1-2', '2-3']);
    expect(pairs.rules.map((rule) => [rule.rule, rule.pairs])).toEqual([
      ['dob', 3],
      ['a', 1], // 0-1 agrees on dob too: found once
    ]);
  });

  it('pairs only across the inputs when linking two, and skips blocks that are too big', () => {
    const data = dataset({ k: ['x', 'x', 'x', 'y', 'y'] }, [0, 0, 1, 0, 1]);
    const cross = blockPairs(data, [['k']], { crossOnly: true, maxBlockSize: 100 });
    expect(cross.count).toBe(3); // 0-2, 1-2, 3-4
    const capped = blockPairs(data, [['k']], { crossOnly: false, maxBlockSize: 2 });
    expect(capped.rules[0]).toMatchObject({ pairs: 1, skippedBlocks: 1, skippedRecords: 3 });
  });
});

describe('clustering', () => {
  it('never puts two different unique identifiers in one entity: the weakest link is refused', () => {
    // 0 (id A) — 1 (no id) — 2 (id B): the chain would join A and B; the weaker link (1-2) gives way.
    const clusters = clusterLinks(
      3,
      Int32Array.from([0, 1]),
      Int32Array.from([1, 2]),
      Float64Array.from([12, 9]),
      () => true,
      [{ values: ['A', null, 'B'] }],
    );
    expect(clusters.refused).toBe(1);
    expect(clusters.entity[0]).toBe(clusters.entity[1]);
    expect(clusters.entity[2]).not.toBe(clusters.entity[1]);
  });
});

describe('configuration and normalization', () => {
  it('names the place of a mistake in link.json', () => {
    const file = path.join(workDir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ id: 'id', fields: [{ column: 'dob', type: 'birthday' }] }));
    expect(() => loadLinkConfig(file)).toThrow(/bad\.json: fields\.0\.type: /);
    fs.writeFileSync(
      file,
      JSON.stringify({ id: 'id', fields: [{ column: 'dob', type: 'date' }], blocking: [['name']] }),
    );
    expect(() => loadLinkConfig(file)).toThrow('bad.json: blocking.0: name is not one of the fields');
  });

  it('reads dates in the declared format and treats what it cannot read as missing', () => {
    expect(normalize('03/04/2008', 'date', 'MM/DD/YYYY')).toBe('2008-03-04');
    expect(normalize('20080304', 'date', 'YYYYMMDD')).toBe('2008-03-04');
    expect(normalize('2008-13-04', 'date')).toBeNull();
    expect(normalize('A 200-000-252', 'identifier')).toBe('200000252');
    expect(normalize('  María de la Cruz ', 'surname')).toBe('MARIA CRUZ');
  });
});

describe('linkage on a generated caseload, against the ground truth', () => {
  it('finds the children across ICE, ORR and court records far better than the A-number alone', async () => {
    const caseload = path.join(workDir, 'caseload');
    generateCaseload({ children: 2500, seed: 77, out: caseload });
    const people = path.join(workDir, 'people');
    writePersonRecords(caseload, people);
    const config = LinkConfigSchema.parse(PERSON_LINK_CONFIG);
    const data = await loadDataset(config, [path.join(people, 'records.csv')]);
    const run = runLinkage(config, data, { crossOnly: false });
    const truth = readTruth(path.join(people, 'truth.csv'));
    const model = pairwiseScores(linkedPairs(run, data.ids), truth);
    // The baseline: records sharing an exact A-number are one child.
    const baseline = pairwiseScores(pairsSharingValue(data.ids, data.values.get('a_number')!), truth);
    expect(model.precision).toBeGreaterThanOrEqual(0.995);
    expect(model.recall).toBeGreaterThanOrEqual(0.99);
    expect(baseline.recall).toBeLessThan(model.recall - 0.03);
  });
});

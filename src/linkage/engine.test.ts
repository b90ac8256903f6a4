import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PERSON_BLOCKING, PERSON_PRIOR_BLOCKING } from '../identity/person-config';
import { generateCaseload } from '../synth';
import { PERSON_LINK_CONFIG, writePersonRecords } from '../synth/person-records';
import { blockPairs } from './blocking';
import { clusterLinks } from './cluster';
import { FIELD_TYPES, LinkConfigSchema, loadLinkConfig } from './config';
import { type Dataset, loadDataset, normalize } from './dataset';
import { DECISION, decide, linkedPairs, runLinkage, runLinkageInWorkers, uniqueGuards } from './engine';
import { clusterScores, pairsSharingValue, pairwiseScores, readTruth } from './evaluate';
import { PairComparer } from './pair-comparer';

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

describe('decisions', () => {
  it('a unique identifier decides: the same value links, different values are two people and go to no one', () => {
    // PERSON_LINK_CONFIG's fields: given, surnames, dob, sex, country, a_number (unique), orr_id (unique).
    const config = { ...PERSON_LINK_CONFIG, thresholds: { link: 0.99, review: 0.5 } };
    const k = config.fields.length;
    const pair = (aNumber: number, orrId: number) => [4, 5, 4, 1, 1, aNumber, orrId]; // names and birth agree
    const rows = [pair(2, -1), pair(0, -1), pair(-1, 0), pair(1, -1), pair(-1, -1), pair(-1, -1), pair(0, 1)];
    const vectors = {
      fields: config.fields.map((field) => ({ name: field.column, levels: [] as string[] })),
      pairs: rows.length,
      levels: Int8Array.from(rows.flat()),
    };
    vectors.fields[5]!.levels = ['different', 'one_edit', 'exact'];
    vectors.fields[6]!.levels = ['different', 'exact'];
    expect(vectors.levels.length).toBe(rows.length * k);
    const probability = Float64Array.from([0.2, 0.999, 0.97, 0.7, 0.999, 0.7, 0.3]);
    expect([...decide(config, vectors, probability)]).toEqual([
      DECISION.link, // the same A-number, whatever the model says
      DECISION.none, // different A-numbers: namesakes, not a question for a person
      DECISION.none, // different ORR ids
      DECISION.review, // one keyed digit apart: the model decides
      DECISION.link, // no identifiers to compare: the model decides
      DECISION.review,
      DECISION.link, // the same ORR id and different A-numbers: linked here, refused by the clustering, reviewed
    ]);
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

  it('leaves no control character in a value of any type (signatures join values with a unit separator)', () => {
    expect(normalize('uc\u001f123', 'exact')).toBe('UC123');
    expect(normalize('\u0000 ', 'exact')).toBeNull();
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('\u0000', '\u001f', '\u007f', ' ', '-', '9'),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
          ),
        }),
        fc.constantFrom(...FIELD_TYPES),
        (value, type) => {
          const normalized = normalize(value, type);
          return normalized === null || (!/\p{Cc}/u.test(normalized) && normalized === normalized.trim());
        },
      ),
    );
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
    const children = clusterScores(run.clusters.entity, data.ids, truth);
    // The baseline: records sharing an exact A-number are one child.
    const baseline = pairwiseScores(pairsSharingValue(data.ids, data.values.get('a_number')!), truth);
    // Links are direct evidence; a child's records that no link joins directly join through the others.
    expect(model.precision).toBeGreaterThanOrEqual(0.995);
    expect(children.precision).toBeGreaterThanOrEqual(0.995);
    expect(children.recall).toBeGreaterThanOrEqual(0.99);
    expect(baseline.recall).toBeLessThan(model.recall - 0.03);
    // The prior is the share of all pairs that match, as the truth has it (the matches blocking misses count as
    // non-matches, so a little under).
    const sizes = new Map<string, number>();
    for (const id of data.ids) sizes.set(truth.get(id)!, (sizes.get(truth.get(id)!) ?? 0) + 1);
    const matches = [...sizes.values()].reduce((sum, size) => sum + (size * (size - 1)) / 2, 0);
    const share = matches / ((data.ids.length * (data.ids.length - 1)) / 2);
    expect(run.params.lambda / share).toBeGreaterThan(0.95);
    expect(run.params.lambda / share).toBeLessThan(1.02);
    // Its links clustered again — those the guards refused are reviews now — give the same entities: what a caller
    // with no decisions of a person to add (the whole-store relink) relies on instead of clustering twice.
    expect(run.clusters.refused).toBeGreaterThan(0);
    const again = clusterLinks(
      data.ids.length,
      run.pairs.left.subarray(0, run.pairs.count),
      run.pairs.right.subarray(0, run.pairs.count),
      run.weight,
      (p) => run.decision[p] === DECISION.link,
      uniqueGuards(config, data),
    );
    expect(again.entity).toEqual(run.clusters.entity);
    expect(again.refused).toBe(0);
  });
});

describe('comparisons in worker threads', () => {
  it('give the same pairs, levels, weights and entities as one thread', async () => {
    const caseload = path.join(workDir, 'caseload-workers');
    generateCaseload({ children: 600, seed: 78, out: caseload });
    const people = path.join(workDir, 'people-workers');
    writePersonRecords(caseload, people);
    const config = LinkConfigSchema.parse({ ...PERSON_LINK_CONFIG, blocking: PERSON_BLOCKING });
    const data = await loadDataset(config, [path.join(people, 'records.csv')]);
    const options = { crossOnly: false, priorRules: PERSON_PRIOR_BLOCKING };
    const single = runLinkage(config, data, options);
    const threaded = await runLinkageInWorkers(config, data, {
      ...options,
      workers: 2,
      minPairsForWorkers: 0,
    });
    expect(single.pairs.count).toBeGreaterThan(500);
    expect(threaded.pairs.left).toEqual(single.pairs.left);
    expect(threaded.pairs.right).toEqual(single.pairs.right);
    expect(
      Buffer.from(
        threaded.vectors.levels.buffer,
        threaded.vectors.levels.byteOffset,
        threaded.vectors.levels.length,
      ),
    ).toEqual(
      Buffer.from(
        single.vectors.levels.buffer,
        single.vectors.levels.byteOffset,
        single.vectors.levels.length,
      ),
    );
    expect(threaded.weight).toEqual(single.weight);
    expect(threaded.clusters.entity).toEqual(single.clusters.entity);
    // And the levels are those of comparing each pair on its own.
    const k = config.fields.length;
    const own = PairComparer.of(data, config.fields);
    for (let p = 0; p < single.pairs.count; p += 97) {
      const one = own.compare(Int32Array.of(single.pairs.left[p]!), Int32Array.of(single.pairs.right[p]!));
      expect([...one.levels]).toEqual([...single.vectors.levels.subarray(p * k, p * k + k)]);
    }
  });

  it('the narrowed system rules keep the children together, with the model of the broad rules', async () => {
    const caseload = path.join(workDir, 'caseload-narrow');
    generateCaseload({ children: 2500, seed: 77, out: caseload });
    const people = path.join(workDir, 'people-narrow');
    writePersonRecords(caseload, people);
    const config = LinkConfigSchema.parse({ ...PERSON_LINK_CONFIG, blocking: PERSON_BLOCKING });
    const data = await loadDataset(config, [path.join(people, 'records.csv')]);
    const truth = readTruth(path.join(people, 'truth.csv'));
    const narrow = runLinkage(config, data, { crossOnly: false, priorRules: PERSON_PRIOR_BLOCKING });
    const broad = runLinkage({ ...config, blocking: PERSON_PRIOR_BLOCKING }, data, { crossOnly: false });
    // Fewer pairs already at this size; the gap grows with the square of the common names' blocks.
    expect(narrow.pairs.count).toBeLessThan(broad.pairs.count);
    const children = clusterScores(narrow.clusters.entity, data.ids, truth);
    expect(children.precision).toBeGreaterThanOrEqual(0.995);
    expect(children.recall).toBeGreaterThanOrEqual(0.99);
    // The sessions of the broad name rule ran on a sample of its pairs: the same model, within sampling.
    const dob = (run: typeof narrow) => run.params.fields.find((f) => f.name === 'dob')!.m.at(-1)!;
    expect(Math.abs(dob(narrow) - dob(broad))).toBeLessThan(0.02);
    const reviews = (run: typeof narrow) => run.decision.filter((d) => d === 1).length;
    expect(reviews(narrow)).toBeLessThanOrEqual(reviews(broad));
  });
});

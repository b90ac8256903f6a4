import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { ingestFile, listFeedFiles, recognizeFiles } from '../ingest';
import { blockPairs, ruleKeys, seekersOf } from '../linkage/blocking';
import { generateCaseload } from '../synth';
import {
  blockKeysOf,
  datasetOf,
  identityFromFields,
  STORED_IDENTITY_COLUMNS,
  type StoredIdentity,
  storeIdentities,
  valuesOf,
} from './identities';
import { IdentityIndex } from './identity-index';
import { linkIdentities } from './link-records';
import { PERSON_BLOCKING } from './person-config';

/**
 * The identity index (docs/decisions/0026): a batch's candidates are the stored identities that share a blocking
 * key with it, found in memory by hashed keys. Held here to the keys as strings (`ruleKeys`): it must find exactly
 * those, and follow the store as identities are added, rolled back or emptied.
 */
describe(`the identity index on ${testEngine}`, () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-identity-index-'));
  let db: Database;
  beforeAll(async () => {
    generateCaseload({ children: 400, seed: 35, out: workDir });
    db = await createTestDatabase();
    for (const { file, format } of await recognizeFiles(listFeedFiles([path.join(workDir, 'feeds')])))
      await ingestFile(db, file, format, { link: 'identifiers', settle: false });
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const storedRows = () =>
    db.query<StoredIdentity>(`select ${STORED_IDENTITY_COLUMNS} from person_identities order by id`);
  /** The ids of the stored identities the index finds for one person's values, by its probe keys. */
  const found = (index: IdentityIndex, values: (string | null)[]) =>
    Array.from(
      index.pairsOf(blockKeysOf(datasetOf([{ id: 0, values, side: 1 }])), 1, Number.POSITIVE_INFINITY)
        .positions,
      (at) => index.idAt(at),
    );
  const person = (given: string, aNumber: string) =>
    identityFromFields({ given, surnames: 'Quispe Mamani', dob: '2010-03-04', a_number: aNumber })!;

  it('finds exactly the stored identities that share a blocking key with each person', async () => {
    const rows = await storedRows();
    const index = new IdentityIndex();
    await index.sync(db);
    expect(index.size).toBe(rows.length);
    // Every fifth identity as it is, and as a record lacking a birth date and an A-number (the fallback rule).
    const people = rows
      .filter((_, i) => i % 5 === 0)
      .flatMap((row) => {
        const values = valuesOf(row);
        return [values, values.map((value, f) => (f === 2 || f === 5 || f === 6 ? null : value))];
      });
    const data = datasetOf([
      ...rows.map((row) => ({ id: row.id, values: valuesOf(row), side: 0 })),
      ...people.map((values, i) => ({ id: -(i + 1), values, side: 1 })),
    ]);
    const expected = people.map(() => new Set<number>());
    for (const rule of PERSON_BLOCKING) {
      const keys = ruleKeys(data, rule);
      const seekers = seekersOf(data, rule);
      const holders = new Map<string, number[]>();
      rows.forEach((_, j) => {
        if (keys[j] !== null) holders.set(keys[j]!, [...(holders.get(keys[j]!) ?? []), j]);
      });
      people.forEach((_, p) => {
        const at = rows.length + p;
        for (const j of holders.get(keys[at] ?? '') ?? [])
          if (!seekers || seekers[at] === 1 || seekers[j] === 1) expected[p]!.add(rows[j]!.id);
      });
    }
    expect(expected.filter((ids) => ids.size > 1).length).toBeGreaterThan(people.length / 4);
    people.forEach((values, p) => {
      expect(found(index, values)).toEqual([...expected[p]!].sort((a, b) => a - b));
    });
  });

  it('catches up with identities stored since, and forgets one whose transaction rolled back', async () => {
    const index = new IdentityIndex();
    await index.sync(db);
    const before = index.size;
    // Two records of one person, an A-number digit apart: each finds the other by name and birth date.
    const phantom = person('Rosalinda', 'A999000111');
    let phantomId = 0;
    await expect(
      db.transaction(async (tx) => {
        phantomId = (
          await storeIdentities(tx, [{ identity: phantom, childId: 1, recordId: 90_000_001 }])
        ).get(phantom.signature)!;
        await index.sync(tx);
        expect(index.size).toBe(before + 1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(found(index, phantom.values)).toContain(phantomId); // read before the rollback

    const kept = person('Rosalinda', 'A999000112');
    const ids = await db.transaction((tx) =>
      storeIdentities(tx, [{ identity: kept, childId: 1, recordId: 90_000_002 }]),
    );
    await index.sync(db);
    expect(index.size).toBe(before + 1);
    expect(found(index, phantom.values)).not.toContain(phantomId);
    expect(found(index, phantom.values)).toContain(ids.get(kept.signature));
  });

  it('pairs a batch as blocking the batch with its candidates does, and skips a block over the limit', async () => {
    const rows = await storedRows();
    const index = new IdentityIndex();
    await index.sync(db);
    // A batch as a delivery brings it: people again with a changed birth day, without a birth date and an
    // A-number (the fallback rule), and twice over (pairs among the batch's own).
    const batch = rows
      .filter((_, i) => i % 9 === 0)
      .flatMap((row) => {
        const values = valuesOf(row);
        const dob = values[2] ? `${values[2].slice(0, 8)}${values[2].slice(8) === '01' ? '02' : '01'}` : null;
        return [
          values.map((value, f) => (f === 2 ? dob : value)),
          values.map((value, f) => (f === 2 || f === 5 || f === 6 ? null : value)),
        ];
      })
      .flatMap((values, i) =>
        i % 5 === 0 ? [values, values.map((v, f) => (f === 4 ? null : v))] : [values],
      );
    const keys = blockKeysOf(datasetOf(batch.map((values, i) => ({ id: i, values, side: 1 }))));
    const paired = index.pairsOf(keys, batch.length, 5_000);
    const data = index.datasetOf(paired.positions, batch);
    const expected = blockPairs(data, PERSON_BLOCKING, {
      crossOnly: false,
      maxBlockSize: 5_000,
      touching: 1,
    });
    const named = (pairs: { left: Int32Array; right: Int32Array; count: number }) =>
      Array.from({ length: pairs.count }, (_, p) =>
        [data.ids[pairs.left[p]!]!, data.ids[pairs.right[p]!]!].sort().join(' '),
      ).sort();
    expect(paired.count).toBeGreaterThan(batch.length);
    expect(named(paired).some((pair) => pair.split(' ').every((id) => id.startsWith('-')))).toBe(true);
    expect(named(paired)).toEqual(named(expected));
    // Every block of one person and another holds at least two: none is paired under a limit of one.
    expect(index.pairsOf(keys, batch.length, 1).count).toBe(0);
  });

  it('links a batch again after the same batch rolled back', async () => {
    const index = IdentityIndex.of(db);
    const rows = await storedRows();
    const people = rows.slice(0, 40).map((row, i) => ({
      record: { id: 91_000_000 + i },
      identity: identityFromFields({
        given: `${row.given ?? 'Ana'} Rolled`,
        surnames: row.surnames,
        dob: row.dob,
        a_number: row.a_number,
      })!,
    }));
    await expect(
      db.transaction(async (tx) => {
        await linkIdentities(tx, people, index);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // The index appended the batch's identities before the rollback; linking again must not take them as known.
    const children = await db.transaction((tx) => linkIdentities(tx, people, index));
    expect(children.length).toBeGreaterThan(0);
    const [{ missing }] = (await db.query<{ missing: number }>(
      `select count(*)::int as missing from identity_links l
       where l.source_record_id >= 91000000 and not exists (select 1 from person_identities p where p.id = l.identity_id)`,
    )) as [{ missing: number }];
    expect(missing).toBe(0);
  });

  it('follows identities moved to other children, and forgets a move whose transaction rolled back', async () => {
    const index = new IdentityIndex();
    await index.sync(db);
    const [first, second] = await storedRows();
    const [a, b] = [first!, second!].map((row) => index.positionOf(valuesOf(row)));
    expect(index.childAt(a!)).toBe(Number(first!.child_id));
    // Moved by another handle (a relink in another process): the trigger logs the move.
    await db.query('update person_identities set child_id = $2 where id = $1', [first!.id, 777_001]);
    await index.sync(db);
    expect(index.childAt(a!)).toBe(777_001);
    expect(index.childAt(b!)).toBe(Number(second!.child_id));
    expect(index.firstRecordAt(a!)).toBe(Number(first!.first_record_id));
    await expect(
      db.transaction(async (tx) => {
        await tx.query('update person_identities set child_id = $2 where id = $1', [second!.id, 777_002]);
        await index.sync(tx);
        expect(index.childAt(b!)).toBe(777_002);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await index.sync(db);
    expect(index.childAt(b!)).toBe(Number(second!.child_id));
    expect(index.childAt(a!)).toBe(777_001);
    await db.query('update person_identities set child_id = $2 where id = $1', [first!.id, first!.child_id]);
  });

  it('fills a child’s missing A-number from a record linked to it, also after a batch that filled it rolled back', async () => {
    const index = IdentityIndex.of(db);
    const written = {
      given: 'Wendolyne',
      surnames: 'Tzul Ixcoy',
      dob: '2009-11-21',
      sex: 'F',
      country: 'GT',
    };
    const [child] = await db.transaction((tx) =>
      linkIdentities(tx, [{ record: { id: 92_000_000 }, identity: identityFromFields(written)! }], index),
    );
    const withNumber = identityFromFields({ ...written, a_number: 'A208111222' })!;
    const aNumberOf = async () =>
      (
        await db.query<{ a_number: string | null }>('select a_number from children where id = $1', [child])
      )[0]!.a_number;
    expect(await aNumberOf()).toBeNull();
    await expect(
      db.transaction(async (tx) => {
        expect(
          await linkIdentities(tx, [{ record: { id: 92_000_001 }, identity: withNumber }], index),
        ).toEqual([child]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await aNumberOf()).toBeNull();
    // The index noted the child’s A-number in the batch that rolled back; it must not skip the fill now.
    await db.transaction((tx) =>
      linkIdentities(tx, [{ record: { id: 92_000_002 }, identity: withNumber }], index),
    );
    expect(await aNumberOf()).toBe(withNumber.values[5]);
  });

  it('links a batch a slice at a time: a later slice joins the children an earlier one made, and fills their identifiers', async () => {
    const index = IdentityIndex.of(db);
    const person = (given: string, surnames: string, dob: string, aNumber?: string) =>
      identityFromFields({ given, surnames, dob, sex: 'F', country: 'HN', a_number: aNumber })!;
    const identities = [
      person('Xochiquetzal', 'Ajpop Cumes', '2010-02-14'), // slice 0, a new child …
      person('Xochiquetzal', 'Ajpop Cumes', '2010-02-14', 'A207333444'), // … and its A-number, in the same slice
      person('Yaretzi', 'Chiyal Batz', '2011-07-30'), // slice 1, a new child …
      person('Zoila', 'Sipac Ordoñez', '2008-12-01'),
      person('Yaretzi', 'Chiyal Batz', '2011-07-30', 'A207555666'), // … joined and filled by slice 2
    ];
    const people = identities.map((identity, i) => ({ record: { id: 93_000_000 + i }, identity }));
    await db.transaction((tx) => linkIdentities(tx, people, index, 'model', 2));
    const links = await db.query<{ child_id: number; a_number: string | null }>(
      `select l.child_id, c.a_number from identity_links l join children c on c.id = l.child_id
       where l.source_record_id between 93000000 and 93000004 order by l.source_record_id`,
    );
    expect(links).toHaveLength(5);
    const [x1, x2, y1, z, y2] = links.map((link) => ({
      child: Number(link.child_id),
      aNumber: link.a_number,
    }));
    expect(x2!.child).toBe(x1!.child);
    expect(x1!.aNumber).toBe(identities[1]!.values[5]);
    expect(y2!.child).toBe(y1!.child);
    expect(y1!.aNumber).toBe(identities[4]!.values[5]);
    expect(new Set([x1!.child, y1!.child, z!.child]).size).toBe(3);
  });

  it('reads the whole store again after it was emptied', async () => {
    const index = new IdentityIndex();
    await index.sync(db);
    expect(index.size).toBeGreaterThan(1);
    await db.exec('truncate person_identities restart identity');
    const again = person('Again', 'A999000333');
    await db.transaction((tx) =>
      storeIdentities(tx, [{ identity: again, childId: 1, recordId: 90_000_003 }]),
    );
    await index.sync(db);
    expect(index.size).toBe(1);
    expect(found(index, again.values)).toEqual([1]);
  });
});

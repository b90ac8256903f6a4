import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshChildState } from '../cases/projection';
import type { Database } from '../db';
import { createTestDatabase, testEngine } from '../db/testing';
import { orrReleasesV1 } from '../feeds';
import { generateCaseload } from '../synth';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '.';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-ingest-'));
const caseload = path.join(workDir, 'caseload');
generateCaseload({ children: 400, seed: 4, out: caseload });

const releaseFile = path.join(caseload, 'feeds', 'orr', 'orr_releases_v1.csv');
const [header, ...releaseLines] = fs.readFileSync(releaseFile, 'utf8').trim().split('\n');

function writeFeed(name: string, lines: string[]): string {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

async function ingestAll(db: Database, paths: string[]) {
  const files = await recognizeFiles(paths);
  const summaries = [];
  for (const { file, format } of files) summaries.push(await ingestFile(db, file, format));
  return summaries;
}

const count = async (db: Database, table: string) =>
  (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

describe(`ingest on ${testEngine}`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await db.exec(
      `truncate sponsors, events, identity_links, person_identities, review_pairs, child_state, children, rejections, source_records, ingest_batches restart identity cascade`,
    );
  });

  const allFeeds = () => listFeedFiles([path.join(caseload, 'feeds')]);

  it('accounts for every row of every file: accepted + rejected + duplicates = rows read', async () => {
    const summaries = await ingestAll(db, allFeeds());
    for (const summary of summaries) {
      const dataRows = summary.file.endsWith('.jsonl')
        ? fs.readFileSync(summary.file, 'utf8').trim().split('\n').length
        : fs.readFileSync(summary.file, 'utf8').trim().split('\n').length - 1;
      expect(summary.rowsRead, summary.file).toBe(dataRows);
      expect(summary.accepted + summary.rejected + summary.duplicates, summary.file).toBe(summary.rowsRead);
    }
    expect(summaries.reduce((sum, s) => sum + s.rejected, 0)).toBe(0); // the generator writes valid rows
    expect(await count(db, 'source_records')).toBe(summaries.reduce((sum, s) => sum + s.accepted, 0));
  });

  it('adds nothing when the same files arrive again: every row is a duplicate', async () => {
    await ingestAll(db, allFeeds());
    const before = {
      records: await count(db, 'source_records'),
      events: await count(db, 'events'),
      children: await count(db, 'children'),
    };
    const again = await ingestAll(db, allFeeds());
    expect(again.every((summary) => summary.accepted === 0 && summary.duplicates === summary.rowsRead)).toBe(
      true,
    );
    expect({
      records: await count(db, 'source_records'),
      events: await count(db, 'events'),
      children: await count(db, 'children'),
    }).toEqual(before);
  });

  it('stores a changed row with a known key as the next version, keeping the old one, and replaces its events', async () => {
    const first = writeFeed('orr_releases_v1.csv', [header!, releaseLines[0]!]);
    await ingestAll(db, [first]);
    const key = releaseLines[0]!.split(',')[0]!;
    const changed = releaseLines[0]!.replace(/,(\d{4}-\d{2}-\d{2}),(\d{4}-\d{2}-\d{2}),/, ',$1,2023-12-30,');
    expect(changed).not.toBe(releaseLines[0]);
    const second = writeFeed('orr_releases_v1_correction.csv', [header!, changed]);
    const [summary] = await ingestAll(db, [second]);
    expect(summary).toMatchObject({ accepted: 1, duplicates: 0 });
    const versions = await db.query<{ version: number; release: string }>(
      `select version, payload->>'release_date' as release from source_records where source_key = $1 order by version`,
      [key],
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]!.release).toBe('2023-12-30');
    const releases = await db.query<{ at: Date }>(
      `select occurred_at as at from events where type = 'released_to_sponsor'`,
    );
    expect(releases.map((row) => new Date(row.at).toISOString().slice(0, 10))).toEqual(['2023-12-30']);
  });

  it('keeps only the correction’s facts when an original and its correction arrive in the same file', async () => {
    const changed = releaseLines[2]!.replace(/,(\d{4}-\d{2}-\d{2}),(\d{4}-\d{2}-\d{2}),/, ',$1,2023-12-29,');
    expect(changed).not.toBe(releaseLines[2]);
    await ingestAll(db, [writeFeed('orr_releases_v1_both.csv', [header!, releaseLines[2]!, changed])]);
    const releases = await db.query<{ at: Date }>(
      `select occurred_at as at from events where type = 'released_to_sponsor'`,
    );
    expect(releases.map((row) => new Date(row.at).toISOString().slice(0, 10))).toEqual(['2023-12-29']);
  });

  it('rejects each bad row with its line, field and a reason a person can act on, and stores the good ones', async () => {
    const good = releaseLines[1]!;
    const cells = good.split(',');
    const badDate = good.replace(/,(\d{4})-(\d{2})-(\d{2}),(Male|Female)/, ',2031-02-30,$4');
    const file = writeFeed('orr_releases_v1_bad.csv', [
      `\uFEFF${header}`,
      good,
      badDate,
      cells.slice(0, 5).join(','),
      `${good},extra`,
      `${good.replace(/^[^,]+/, "UC1' OR '1'='1")}`,
      [`${cells[0]}x`, 'A'.repeat(5000), ...cells.slice(2)].join(','), // a huge field
    ]);
    const [summary] = await ingestAll(db, [file]);
    expect(summary).toMatchObject({ rowsRead: 6, accepted: 2, rejected: 4, duplicates: 0 });
    const rejections = await db.query<{ line: number; field: string | null; reason: string }>(
      'select line, field, reason from rejections order by line',
    );
    expect(rejections).toEqual([
      { line: 3, field: 'child_dob', reason: 'child_dob 2031-02-30: not a date' },
      {
        line: 4,
        field: null,
        reason: `expected ${orrReleasesV1.columns.length} columns (orr_releases_v1_bad.csv header), found 5`,
      },
      {
        line: 5,
        field: null,
        reason: `expected ${orrReleasesV1.columns.length} columns (orr_releases_v1_bad.csv header), found ${orrReleasesV1.columns.length + 1}`,
      },
      { line: 7, field: 'a_number', reason: expect.stringMatching(/^a_number A{40}…: expected an A-number/) },
    ]);
    expect(await count(db, 'children')).toBeGreaterThan(0); // the injection string was only data
  });

  it.each([
    ['links and events', 'identity_links'],
    ['events', 'events'],
  ])(
    'writes the %s an interruption between a chunk’s parts left out when the file comes again',
    async (_, table) => {
      // What ingest derives from the records, without the generated ids.
      const derived = async () => ({
        events: await db.query(
          `select s.kind, s.source_key, e.type, e.occurred_at, e.data from events e
         join source_records s on s.id = e.source_record_id order by 1, 2, 3, 4, e.data::text`,
        ),
        states: await db.query(
          `select c.a_number, c.orr_id, s.status, s.address_verdict, s.release_address_verdict, s.field_office_code
         from child_state s join children c on c.id = s.child_id order by 1 nulls last, 2, 3`,
        ),
        addresses: await db.query('select raw_text, verdict from addresses order by raw_text'),
        batches: await db.query(
          'select kind, status, rows_read, accepted, duplicates from ingest_batches order by kind, file_name',
        ),
        pending: await count(db, 'ingest_pending_children'),
      });
      await ingestAll(db, allFeeds());
      const uninterrupted = await derived();
      expect(uninterrupted.events.length).toBeGreaterThan(1000);

      await db.exec(`truncate sponsors, events, identity_links, person_identities, review_pairs, child_state,
      children, rejections, source_records, ingest_batches, addresses, ingest_pending_children, ingest_pending_addresses
      restart identity cascade`);
      await db.exec(`create function interrupt() returns trigger language plpgsql as $$
      begin raise exception 'interrupted'; end $$;
      create trigger interrupt before insert on ${table} execute function interrupt()`);
      const [first] = await recognizeFiles(allFeeds());
      await expect(ingestFile(db, first!.file, first!.format)).rejects.toThrow(/interrupted/);
      await db.exec(`drop trigger interrupt on ${table}; drop function interrupt()`);
      // The records committed with their checkpoint; not one link (or event) is written.
      const [batch] = await db.query<{ status: string; checkpoint_line: number; rows_read: number }>(
        'select status, checkpoint_line, rows_read from ingest_batches',
      );
      expect(batch).toMatchObject({ status: 'running', checkpoint_line: batch!.rows_read });
      expect(await count(db, 'source_records')).toBeGreaterThan(0);
      expect(await count(db, table)).toBe(0);
      expect(await count(db, 'events')).toBe(0);
      // Another run settles in between: its children's state is computed without the missing events.
      await settleIngest(db);

      await ingestAll(db, allFeeds());
      expect(await derived()).toEqual(uninterrupted);
    },
  );

  it('settles every child after a settle was interrupted and a vacuum left its tables counted empty', async () => {
    const states = () =>
      db.query(
        `select c.a_number, c.orr_id, s.status, s.address_verdict, s.field_office_code, s.sponsor_id is not null as sponsor
         from child_state s join children c on c.id = s.child_id order by 1 nulls last, 2, 3`,
      );
    await ingestAll(db, allFeeds());
    const uninterrupted = await states();
    expect(uninterrupted.length).toBeGreaterThan(300);

    await db.exec(`truncate sponsors, events, identity_links, person_identities, review_pairs, child_state,
      children, rejections, source_records, ingest_batches, addresses, ingest_pending_children, ingest_pending_addresses
      restart identity cascade`);
    for (const { file, format } of await recognizeFiles(allFeeds()))
      await ingestFile(db, file, format, { settle: false });
    // The settle fails once the children's state is written, and its transaction rolls back.
    await db.exec(`create function interrupt_settle() returns trigger language plpgsql as $$
      begin raise exception 'interrupted'; end $$;
      create trigger interrupt_settle after insert on child_state execute function interrupt_settle()`);
    await expect(settleIngest(db)).rejects.toThrow(/interrupted/);
    await db.exec('drop trigger interrupt_settle on child_state; drop function interrupt_settle()');
    // A vacuum then finds no live row in the pages the settle filled: the planner takes the tables for empty.
    await db.exec('vacuum (truncate false) child_state, sponsors, report_child_figures, report_child_places');
    const [stats] = await db.query<{ pages: number; rows: number }>(
      "select relpages as pages, reltuples as rows from pg_class where relname = 'child_state'",
    );
    expect(stats!.pages).toBeGreaterThan(0);
    expect(stats!.rows).toBe(0);

    expect(await settleIngest(db)).toBe(uninterrupted.length);
    expect(await states()).toEqual(uninterrupted);
    expect(await count(db, 'ingest_pending_children')).toBe(0);
  });

  it('refuses a file that matches no format whole, naming it, and writes nothing', async () => {
    const file = writeFeed('orr_releases_v1_wrong.csv', ['case,name,dob', 'UC1,Ana,2010-01-01']);
    await expect(recognizeFiles([file])).rejects.toThrow(
      /orr_releases_v1_wrong\.csv: not a known feed format/,
    );
    expect(await count(db, 'ingest_batches')).toBe(0);
  });

  it('stores a file up to a quote never closed, and rejects the rest as one row naming the line', async () => {
    // A CRLF file with a quoted field across two lines, so the lines counted are the file's, not the records'.
    const quoted = releaseLines[3]!.replace(/,([^,]*),([^,]*)$/, ',"$1\r\n(two lines)",$2');
    const file = path.join(workDir, 'orr_releases_v1_open_quote.csv');
    const lines = [
      header,
      releaseLines[2],
      quoted,
      releaseLines[4],
      '"never closed, A-1',
      'and on, to the end',
    ];
    fs.writeFileSync(file, lines.join('\r\n'));
    const [summary] = await ingestAll(db, [file]);
    expect(summary).toMatchObject({ rowsRead: 4, accepted: 3, rejected: 1, duplicates: 0 });
    const rejections = await db.query<{ line: number; reason: string }>(
      'select line, reason from rejections where batch_id = $1',
      [summary!.batchId],
    );
    expect(rejections).toEqual([
      {
        line: 6,
        reason: 'the file cannot be read past this point: a quote opened at line 6 is never closed',
      },
    ]);
  });

  it('never fails on mangled rows: each is stored, a duplicate or rejected, and the counts add up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constantFrom(...releaseLines.slice(0, 20)),
            fc
              .constantFrom(...releaseLines.slice(0, 20))
              .map((line) => line.slice(0, Math.floor(line.length / 2))),
            fc.constantFrom(...releaseLines.slice(0, 20)).map((line) => `${line}\r`),
            fc.string({ maxLength: 200 }).filter((text) => !text.includes('\n') && text.trim() !== ''),
            fc.constantFrom(
              '"unclosed, quote',
              'a,"b""c",d',
              "Robert'); DROP TABLE source_records;--",
              '\u0000\u0001,\u00ff',
            ),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        async (lines) => {
          const file = writeFeed('orr_releases_v1_fuzz.csv', [header!, ...lines]);
          const [summary] = await ingestAll(db, [file]);
          expect(summary!.accepted + summary!.rejected + summary!.duplicates).toBe(summary!.rowsRead);
          expect(summary!.rowsRead).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('knows a sponsor by the phone number, however the forms spell the name: one sponsor per true sponsor', async () => {
    await ingestAll(db, allFeeds());
    const truth = parse(fs.readFileSync(path.join(caseload, 'truth', 'children.csv'), 'utf8'), {
      columns: true,
    }) as { orr_id: string; sponsor_id: string }[];
    const trueSponsorOf = new Map(truth.filter((c) => c.sponsor_id).map((c) => [c.orr_id, c.sponsor_id]));
    const rows = await db.query<{ orr_id: string; sponsor_id: number | null }>(
      `select c.orr_id, s.sponsor_id from child_state s join children c on c.id = s.child_id where s.released_at is not null`,
    );
    const ours = new Map<string, Set<string>>(); // our sponsor → the true sponsors of its children
    const theirs = new Map<string, Set<number>>(); // true sponsor → our sponsors of its children
    for (const row of rows) {
      const trueSponsor = trueSponsorOf.get(row.orr_id);
      if (!trueSponsor || row.sponsor_id === null) continue;
      ours.set(String(row.sponsor_id), (ours.get(String(row.sponsor_id)) ?? new Set()).add(trueSponsor));
      theirs.set(trueSponsor, (theirs.get(trueSponsor) ?? new Set()).add(Number(row.sponsor_id)));
    }
    expect(theirs.size).toBeGreaterThan(300);
    expect([...ours.values()].every((set) => set.size === 1)).toBe(true); // never two true sponsors in one
    expect([...theirs.values()].filter((set) => set.size > 1).length).toBeLessThanOrEqual(3); // a corrected phone
    expect([...theirs.values()].some((set) => set.size === 1)).toBe(true);
    const [{ shared }] = (await db.query<{ shared: number }>(
      `select count(*)::int as shared from (select sponsor_id from child_state where sponsor_id is not null
                                           group by 1 having count(*) > 1) s`,
    )) as [{ shared: number }];
    expect(shared).toBeGreaterThan(0); // siblings and hubs: one sponsor row for several children
  });

  it('judges whereabouts and turning 18 as of the day a replay of history names, not as of today', async () => {
    for (const { file, format } of await recognizeFiles(allFeeds()))
      await ingestFile(db, file, format, { settle: false });
    const { end } = JSON.parse(fs.readFileSync(path.join(caseload, 'manifest.json'), 'utf8'));
    const asOf = new Date(`${end}T12:00:00Z`);
    await settleIngest(db, { asOf });
    // As the sweep judges them (refreshWhereabouts, under the default policy's windows of 90 and 180 days).
    const judged = (at: string) => `
      select count(*) filter (where whereabouts <> case when runaway then 'unknown'
               when last_verified_contact_at >= ${at} - interval '90 days' then 'verified'
               when last_verified_contact_at >= ${at} - interval '180 days' then 'unverified' else 'unknown' end
             or aged_out <> coalesce(dob + interval '18 years' <= ${at}, false))::int as differ,
             count(*) filter (where whereabouts = 'verified')::int as verified,
             count(*)::int as children
      from child_state`;
    const [asOfDay] = await db.query<{ differ: number; verified: number; children: number }>(
      judged('$1::timestamptz'),
      [asOf.toISOString()],
    );
    expect(asOfDay).toMatchObject({ differ: 0, children: await count(db, 'children') });
    expect(asOfDay!.verified).toBeGreaterThan(0);
    // Judged as of today, these children would read otherwise.
    const [today] = await db.query<{ differ: number }>(judged('now()'));
    expect(today!.differ).toBeGreaterThan(0);
  });

  it('projects the same child state incrementally as a full rebuild from the events', async () => {
    await ingestAll(db, allFeeds());
    const snapshot = () =>
      db
        .query(`select * from child_state order by child_id`)
        .then((rows) => rows.map(({ updated_at, ...row }) => row));
    const incremental = await snapshot();
    expect(incremental.length).toBeGreaterThan(300);
    await db.transaction((tx) => refreshChildState(tx, null));
    expect(await snapshot()).toEqual(incremental);
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFieldOffices } from '../../monitoring';
import {
  accessibilityViolations,
  createTestAccounts,
  launchBrowser,
  primaryNavigation,
  signedInPage,
  startTestSite,
  type TestSite,
} from '../testing/browser';

interface Person {
  given: string;
  surnames: string;
  dob: string;
  aNumber: string | null;
  orrId: string | null;
}

describe('identity review in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  const pairs: number[] = [];
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await loadFieldOffices(site.db);
    await createTestAccounts(site.db, [
      ['review-supervisor', 'field_office_supervisor', 'HOU'],
      ['review-coordinator', 'ice_juvenile_coordinator', 'HOU'],
    ]);
    const [batch] = await site.db.query<{ id: number }>(
      `insert into ingest_batches (source, kind, format_version, file_name, sha256) values ('orr', 'release', '1', 'r.csv', 'sha') returning id`,
    );
    let line = 1;
    // One source record, its identity and its child (in Houston), as linking would have left them.
    const identity = async (source: string, key: string, person: Person) => {
      line += 1;
      const [child] = await site.db.query<{ id: number }>(
        `insert into children (given_names, surnames, a_number, orr_id, dob) values ($1, $2, $3, $4, $5) returning id`,
        [person.given, person.surnames, person.aNumber, person.orrId, person.dob],
      );
      await site.db.query(
        `insert into child_state (child_id, status, field_office_code, released_at) values ($1, 'released', 'HOU', '2023-03-01')`,
        [child!.id],
      );
      const [record] = await site.db.query<{ id: number }>(
        `insert into source_records (batch_id, source, kind, source_key, version, content_hash, line, payload)
         values ($1, $2, 'release', $3, 1, $4, $5, '{}') returning id`,
        [batch!.id, source, key, `hash-${key}`, line],
      );
      const [row] = await site.db.query<{ id: number }>(
        `insert into person_identities (signature, child_id, first_record_id, given, surnames, dob, sex, country, a_number, orr_id)
         values ($1, $2, $3, $4, $5, $6, 'F', 'GT', $7, $8) returning id`,
        [
          `sig-${key}`,
          child!.id,
          record!.id,
          person.given,
          person.surnames,
          person.dob,
          person.aNumber,
          person.orrId,
        ],
      );
      return { identity: row!.id, record: record!.id };
    };
    const pair = async (
      left: Awaited<ReturnType<typeof identity>>,
      right: Awaited<ReturnType<typeof identity>>,
    ) => {
      const evidence = {
        fields: [
          { field: 'given', level: 'jaro_winkler_0.92', weight: 4.1 },
          { field: 'dob', level: 'day_month_swapped', weight: 2.3 },
          { field: 'a_number', level: 'missing', weight: 0 },
        ],
      };
      const [row] = await site.db.query<{ id: number }>(
        `insert into review_pairs (left_identity_id, right_identity_id, left_record_id, right_record_id, match_weight, match_probability, evidence)
         values ($1, $2, $3, $4, 1.5, 0.74, $5) returning id`,
        [left.identity, right.identity, left.record, right.record, JSON.stringify(evidence)],
      );
      pairs.push(row!.id);
    };
    await pair(
      await identity('orr', 'UC-REV-1', {
        given: 'Yesenia',
        surnames: 'Coc Pop',
        dob: '2009-04-03',
        aNumber: null,
        orrId: 'UC00000901',
      }),
      await identity('ice', 'ICE-REV-1', {
        given: 'Yessenia',
        surnames: 'Coc',
        dob: '2009-03-04',
        aNumber: '200000901',
        orrId: null,
      }),
    );
    await pair(
      await identity('orr', 'UC-REV-2', {
        given: 'Brayan',
        surnames: 'Xol Caal',
        dob: '2010-01-09',
        aNumber: null,
        orrId: 'UC00000902',
      }),
      await identity('eoir', 'EOIR-REV-2', {
        given: 'Bryan',
        surnames: 'Xol',
        dob: '2010-09-01',
        aNumber: '200000902',
        orrId: null,
      }),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('shows a pair side by side with its evidence, records the decision with its note, and moves to the next pair', async () => {
    const page = await signedInPage(browser, site, 'review-supervisor');
    expect(await primaryNavigation(page)).toContain('Identity review');
    await page.getByRole('link', { name: 'Identity review' }).click();
    await page.getByRole('heading', { name: `Pair ${pairs[0]}` }).waitFor();
    expect(await page.getByRole('row', { name: 'Given names Yesenia Yessenia' }).count()).toBe(1);
    expect(await page.getByRole('row', { name: 'A-number — A-200-000-901' }).count()).toBe(1);
    expect(await page.getByRole('row', { name: 'dob day month swapped +2.3' }).count()).toBe(1);
    expect(await page.getByText('74% chance').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Note').fill('different birth dates on the passports');
    await page.getByRole('button', { name: 'Not the same child' }).click();
    await page.getByText(`Pair ${pairs[0]} decided: not the same child.`).waitFor();
    await page.getByRole('heading', { name: `Pair ${pairs[1]}` }).waitFor();
    expect(await page.getByLabel('Note').inputValue()).toBe('');
    const [decided] = await site.db.query<{ status: string; decided_by: string }>(
      'select status, decided_by from review_pairs where id = $1',
      [pairs[0]],
    );
    expect(decided).toEqual({ status: 'different', decided_by: 'review-supervisor' });
    const [audit] = await site.db.query<{ detail: unknown }>(
      `select detail from audit_log where action = 'review.decide' order by seq desc limit 1`,
    );
    expect(audit!.detail).toEqual({ decision: 'different', note: 'different birth dates on the passports' });
    await page.getByRole('button', { name: 'Same child', exact: true }).click();
    await page.getByText('No pairs are waiting for review.').waitFor();
    const [same] = await site.db.query<{ status: string }>('select status from review_pairs where id = $1', [
      pairs[1],
    ]);
    expect(same).toEqual({ status: 'same' });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('opens from a deep link, and is not offered to a role that does not decide identities', async () => {
    const page = await signedInPage(browser, site, 'review-coordinator');
    expect(await primaryNavigation(page)).not.toContain('Identity review');
    await page.goto(`${site.url}/review`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not available to your role',
    );
  });
});

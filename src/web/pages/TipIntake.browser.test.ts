import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childFromEvents, releasedEvents } from '../../monitoring/testing';
import {
  accessibilityViolations,
  createTestAccounts,
  launchBrowser,
  primaryNavigation,
  signedInPage,
  startTestSite,
  type TestSite,
} from '../testing/browser';

describe('recording a tip in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  let marisol: number;
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await createTestAccounts(site.db, [
      ['tips-coordinator', 'ice_juvenile_coordinator', 'HOU'],
      ['tips-analyst', 'hq_analyst', null],
    ]);
    marisol = await childFromEvents(site.db, releasedEvents(90), {
      givenNames: 'Marisol',
      surnames: 'Pérez',
      dob: '2012-03-04',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('records a tip from the keyboard, shows the candidate child and the triage task it opened', async () => {
    const page = await signedInPage(browser, site, 'tips-coordinator');
    await page.getByRole('link', { name: 'Record a tip' }).click();
    await page.getByRole('heading', { name: 'Record a tip' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Who reported it').fill('Neighbour, anonymous');
    await page.getByLabel('What was said').fill('A girl named Marisol works nights at a restaurant.');
    await page.getByLabel('Child’s name').fill('Marisol');
    await page.getByLabel('Age in years').fill('14');
    await page.getByLabel('Where the child was seen or lives').fill('Houston');
    await page.getByLabel('Where the child was seen or lives').press('Enter');
    await page.getByRole('heading', { name: /^Tip WEB-\d{8}-[0-9a-f]{8} recorded$/ }).waitFor();
    const row = page.getByRole('row').nth(1);
    expect(await row.textContent()).toContain('first name, age, town');
    expect(await row.textContent()).toMatch(/Task \d+, Open, due/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await row.getByRole('link', { name: 'Marisol Pérez' }).click();
    expect(page.url()).toBe(`${site.url}/children/${marisol}`);
    const [record] = await site.db.query<{ n: number }>(
      `select count(*)::int as n from source_records where source = 'tips' and payload->>'name_mentioned' = 'Marisol'`,
    );
    expect(record).toEqual({ n: 1 });
  });

  it('names what is wrong when the tip is refused, and is not offered to an aggregate-only role', async () => {
    const page = await signedInPage(browser, site, 'tips-coordinator');
    await page.goto(`${site.url}/tips/new`);
    await page.getByLabel('What was said').fill('   ');
    await page.getByRole('button', { name: 'Record the tip' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('said: what was said: write down what the person reported').waitFor();
    expect(await alert.textContent()).toContain('The tip was not recorded');
    expect(await accessibilityViolations(page)).toEqual([]);
    const analyst = await signedInPage(browser, site, 'tips-analyst');
    expect(await primaryNavigation(analyst)).not.toContain('Record a tip');
  });
});

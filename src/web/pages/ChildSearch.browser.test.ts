import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReleasedChild } from '../../cases/testing';
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

describe('finding a child in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  let ana: number;
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await loadFieldOffices(site.db);
    await createTestAccounts(site.db, [
      ['search-coordinator', 'ice_juvenile_coordinator', 'HOU'],
      ['search-analyst', 'hq_analyst', null],
    ]);
    ana = await addReleasedChild(site.db, {
      givenNames: 'Ana María',
      surnames: 'López Tzul',
      aNumber: '012345678',
      orrId: 'UC00000101',
      sponsorName: 'Rosa Tzul Pérez',
      address: '4010 Walnut Ave Apt 609, Houston, TX 77085',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('finds a child by an A-number written any way, and opens the case from the results', async () => {
    const page = await signedInPage(browser, site, 'search-coordinator');
    expect(await primaryNavigation(page)).toContain('Find a child');
    await page.getByRole('link', { name: 'Find a child' }).click();
    await page.getByRole('heading', { name: 'Find a child' }).waitFor();
    await page.getByRole('searchbox').fill('A 012-345-678');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByRole('row', { name: /Ana María López Tzul/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('A-012-345-678');
    expect(await row.textContent()).toContain('UC00000101');
    expect(await row.textContent()).toContain('HOU');
    expect(page.url()).toContain('/search?q=A+012-345-678');
    expect(await accessibilityViolations(page)).toEqual([]);
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Open case ${ana}` }).waitFor();
  });

  it('finds by a sponsor’s name from a deep link, and says plainly when nothing is found', async () => {
    const page = await signedInPage(browser, site, 'search-coordinator');
    await page.goto(`${site.url}/search?q=${encodeURIComponent('rosa perez')}`);
    await page.getByRole('row', { name: /Ana María López Tzul .* Sponsor’s name/ }).waitFor();
    await page.getByRole('searchbox').fill('Zyxwv');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: 'No child found' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('is not offered to a role without case search', async () => {
    const page = await signedInPage(browser, site, 'search-analyst');
    expect(await primaryNavigation(page)).not.toContain('Find a child');
    await page.goto(`${site.url}/search?q=Tzul`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not available to your role',
    );
  });
});

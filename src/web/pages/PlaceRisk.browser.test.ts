import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy, runSweep } from '../../monitoring';
import { childFromEvents } from '../../monitoring/testing';
import {
  accessibilityViolations,
  createTestAccounts,
  launchBrowser,
  primaryNavigation,
  signedInPage,
  startTestSite,
  type TestSite,
} from '../testing/browser';

describe('sponsors and addresses shared by many children in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await createTestAccounts(site.db, [
      ['places-supervisor', 'field_office_supervisor', 'HOU'],
      ['places-atlanta', 'field_office_supervisor', 'ATL'],
      ['places-analyst', 'hq_analyst', null],
    ]);
    for (const [index, written] of [
      '2200 Bissonnet St Apt 4, Houston, TX 77005',
      '2200 Bissonnet St Apt 4, Houston, TX 77005',
      '2200 Bissonnet Street #4, Houston TX 77005',
      '2200 BISSONNET ST APT 4 HOUSTON TX 77005',
    ].entries()) {
      await childFromEvents(
        site.db,
        [
          {
            type: 'released_to_sponsor',
            daysAgo: 40,
            data: { address: written, phone: `71355501${index}0`, sponsor_name: `Sponsor ${index}` },
          },
        ],
        { givenNames: `Niña${index}`, surnames: 'Puerta' },
      );
    }
    await runSweep(site.db, loadPolicy());
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('shows the door with its four children, why each is there, and the open alert and task', async () => {
    const page = await signedInPage(browser, site, 'places-supervisor');
    await page.getByRole('link', { name: 'Shared places' }).click();
    await page.getByRole('heading', { name: 'Sponsors and addresses shared by many children' }).waitFor();
    const door = page.getByRole('region', { name: 'Address: 2200 BISSONNET ST APT 4, HOUSTON TX 77005' });
    await door.waitFor();
    expect(await door.getByRole('row').count()).toBe(5);
    expect(await door.textContent()).toContain('4 children linked.');
    expect(await door.textContent()).toContain(
      'current address, written “2200 Bissonnet Street #4, Houston TX 77005”',
    );
    expect(await door.getByRole('row').nth(1).textContent()).toMatch(
      /Alert opened .*Task \d+: Open in HOU, unassigned/,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await door.getByRole('link', { name: 'Niña0 Puerta' }).click();
    await page.getByRole('heading', { name: /^Open case/ }).waitFor();
  });

  it('tells another office there is nothing it may see, and keeps the page from an aggregate-only role', async () => {
    const atlanta = await signedInPage(browser, site, 'places-atlanta');
    await atlanta.goto(`${site.url}/risk/places`);
    await atlanta.getByText('No sponsor or address you may see is linked to 4 or more children.').waitFor();
    expect(await accessibilityViolations(atlanta)).toEqual([]);
    const analyst = await signedInPage(browser, site, 'places-analyst');
    expect(await primaryNavigation(analyst)).not.toContain('Shared places');
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childFromEvents, daysFromNow } from '../../monitoring/testing';
import {
  accessibilityViolations,
  createTestAccounts,
  launchBrowser,
  primaryNavigation,
  signedInPage,
  startTestSite,
  type TestSite,
} from '../testing/browser';

describe('the addresses needing action in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  let soon: number;
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await createTestAccounts(site.db, [
      ['addresses-supervisor', 'field_office_supervisor', 'HOU'],
      ['addresses-analyst', 'hq_analyst', null],
    ]);
    const release = (address: string, hearingInDays?: number) => [
      { type: 'released_to_sponsor', daysAgo: 80, data: { address, sponsor_name: 'Rosa Ejemplo' } },
      ...(hearingInDays === undefined
        ? []
        : [
            {
              type: 'hearing_scheduled',
              daysAgo: 10,
              data: { hearing_date: daysFromNow(hearingInDays).toISOString().slice(0, 10), court: 'HOU' },
            },
          ]),
    ];
    await childFromEvents(site.db, release('PO Box 77, Houston, TX 77085', 60), {
      givenNames: 'Lucía',
      surnames: 'Apartado',
    });
    soon = await childFromEvents(site.db, release('General Delivery, Houston, TX 77085', 6), {
      givenNames: 'Mateo',
      surnames: 'Pronto',
    });
    await childFromEvents(site.db, release('4010 Walnut Ave Apt 609, Houston, TX 77085', 3), {
      givenNames: 'Bien',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('lists the defective addresses, hearing soonest first, with what is wrong in words', async () => {
    const page = await signedInPage(browser, site, 'addresses-supervisor');
    await page.getByRole('link', { name: 'Addresses to fix' }).click();
    await page.getByRole('heading', { name: 'Addresses needing action' }).waitFor();
    await page.getByText('2 children, the hearing soonest first').waitFor();
    const first = page.getByRole('row').nth(1);
    expect(await first.getByRole('link').textContent()).toBe('Mateo Pronto');
    expect(await first.textContent()).toContain('General delivery, not a residence');
    const second = page.getByRole('row').nth(2);
    expect(await second.textContent()).toContain('Post-office box, not a residence');
    expect(await second.textContent()).toContain('A post-office box');
    expect(await page.getByText('Bien').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('filters by what is wrong, keeps the filter in the address, and says when nothing matches', async () => {
    const page = await signedInPage(browser, site, 'addresses-supervisor');
    await page.goto(`${site.url}/addresses`);
    await page.getByLabel('What is wrong').selectOption('po_box');
    await page.getByRole('button', { name: 'Show addresses' }).press('Enter');
    await page.getByText('1 child, the hearing soonest first').waitFor();
    expect(page.url()).toContain('verdict=po_box');
    await page.goto(`${site.url}/addresses?verdict=returned_mail`);
    await page.getByText('No addresses need action with these filters.').waitFor();
  });

  it('opens the child’s case, which offers the notices to print in English and Spanish', async () => {
    const page = await signedInPage(browser, site, 'addresses-supervisor');
    await page.goto(`${site.url}/addresses`);
    await page.getByRole('link', { name: 'Mateo Pronto' }).click();
    await page.getByText('Verify the address', { exact: true }).click(); // USWDS hides the input
    await page.getByRole('button', { name: 'Open the case' }).click();
    const notices = page.getByRole('region', { name: 'Notices to print' });
    await notices.waitFor();
    const spanish = notices.getByRole('link', { name: 'Español' }).last();
    const href = await spanish.getAttribute('href');
    expect(href).toBe(`/api/v1/children/${soon}/notices/address_confirmation?lang=es`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto(`${site.url}${href}`);
    await page.getByRole('heading', { name: 'Por favor, confirme dónde vive Mateo Pronto' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.textContent('body')).toContain('entrega general');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('is not offered to an aggregate-only role', async () => {
    const page = await signedInPage(browser, site, 'addresses-analyst');
    expect(await primaryNavigation(page)).not.toContain('Addresses to fix');
    await page.goto(`${site.url}/addresses`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not available to your role',
    );
  });
});

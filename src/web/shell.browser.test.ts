import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, startTestSite, type TestSite } from './testing/browser';

describe('the page shell in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('shows the project name in a USWDS header, a main region and a footer', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Whereabouts');
    expect(await page.getByRole('banner').locator('.usa-logo').textContent()).toContain('Whereabouts');
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('contentinfo').count()).toBe(1);
    await page.close();
  });

  it('lets a keyboard user skip straight to the main content', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(page.url()).toMatch(/#main-content$/);
    await page.close();
  });

  it('has no WCAG 2.1 AA violation that axe-core can find', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(site.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});

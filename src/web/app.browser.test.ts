import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../auth/accounts.repository';
import { hashPassword } from '../auth/passwords';
import { accessibilityViolations, launchBrowser, startTestSite, type TestSite } from './testing/browser';

const PASSWORD = 'analyst password for tests';

describe('the web app in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await createAccount(site.db, {
      username: 'demo-hq_analyst',
      displayName: 'Demo analyst',
      passwordHash: await hashPassword(PASSWORD),
      roles: ['hq_analyst'],
    });
    const [child] = await site.db.query<{ id: number }>(
      `insert into children (given_names, surnames) values ('Ana', 'López') returning id`,
    );
    await site.db.query(
      `insert into child_state (child_id, status, field_office_code, transferred_at, released_at) values ($1, 'released', 'HOU', '2023-01-01', '2023-02-01')`,
      [child!.id],
    );
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const freshPage = async () => (await browser.newContext()).newPage();
  const signIn = async (page: Page, password = PASSWORD) => {
    await page.goto(site.url);
    await page.getByLabel('Username').fill('demo-hq_analyst');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('asks a visitor to sign in, in a USWDS page with a header, a main region and a footer', async () => {
    const page = await freshPage();
    await page.goto(site.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    expect(await page.getByRole('banner').locator('.usa-logo').textContent()).toContain('Whereabouts');
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('contentinfo').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('lets a keyboard user skip straight to the main content', async () => {
    const page = await freshPage();
    await page.goto(site.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(page.url()).toMatch(/#main-content$/);
  });

  it('says plainly when the password is wrong', async () => {
    const page = await freshPage();
    await signIn(page, 'not the right password');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong username or password.');
  });

  it('shows an analyst the national figures by field office — and no names — then signs out', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.getByRole('heading', { name: 'National figures' }).waitFor();
    expect(await page.getByRole('row', { name: /HOU/ }).count()).toBe(1);
    expect(await page.content()).not.toContain('López');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('keeps a deep link working on reload', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.getByRole('heading', { name: 'National figures' }).waitFor();
    await page.goto(`${site.url}/no/such/page`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
  });
});

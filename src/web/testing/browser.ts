// Real-browser test support: Debian's Chromium driven by Playwright, the app served on 127.0.0.1, axe-core for
// WCAG 2.1 AA. Playwright never downloads a browser here; CI installs `chromium` with apt.
import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { createAccount } from '../../auth/accounts.repository';
import { hashPassword } from '../../auth/passwords';
import type { Role } from '../../auth/permissions';
import type { Database } from '../../db';
import { createTestDatabase } from '../../db/testing';
import { buildApp } from '../../http/app';

export { launchBrowser } from './chromium';

export interface TestSite {
  url: string;
  app: FastifyInstance;
  db: Database;
  close(): Promise<void>;
}

/** The whole app (API and built web app) on a fresh database, listening on a free loopback port. */
export async function startTestSite(): Promise<TestSite> {
  const db = await createTestDatabase();
  const app = await buildApp({ db, logLevel: 'silent' });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    app,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** Every WCAG 2.1 A and AA rule axe-core knows; returns the violations so a failure names them. */
export async function accessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

export const TEST_PASSWORD = 'page password for tests';

/** Accounts for a page's tests, each with one role and (for office roles) a field office; one shared password. */
export async function createTestAccounts(
  db: Database,
  accounts: [username: string, Role, office: string | null][],
) {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  for (const [username, role, office] of accounts) {
    await createAccount(db, {
      username,
      displayName: `Demo ${role.replaceAll('_', ' ')}`,
      passwordHash,
      roles: [role],
      fieldOfficeCode: office,
    });
  }
}

/** A fresh browser context signed in as the person, on the start page. */
export async function signedInPage(browser: Browser, site: TestSite, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(site.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

export const primaryNavigation = (page: Page) =>
  page.getByRole('navigation', { name: 'Primary' }).getByRole('link').allTextContents();

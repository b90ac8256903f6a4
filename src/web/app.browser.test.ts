import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAddresses } from '../addresses/addresses.repository';
import { appendAudit } from '../audit';
import { createAccount } from '../auth/accounts.repository';
import { hashPassword } from '../auth/passwords';
import type { Role } from '../auth/permissions';
import { loadFieldOffices } from '../monitoring';
import { accessibilityViolations, launchBrowser, startTestSite, type TestSite } from './testing/browser';

const PASSWORD = 'analyst password for tests';

describe('the web app in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  let ana: number;
  let shielded: number;
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await loadFieldOffices(site.db);
    const passwordHash = await hashPassword(PASSWORD);
    const accounts: [string, Role, string | null][] = [
      ['demo-hq_analyst', 'hq_analyst', null],
      ['demo-field_office_supervisor', 'field_office_supervisor', 'HOU'],
      ['demo-ice_juvenile_coordinator', 'ice_juvenile_coordinator', 'HOU'],
      ['demo-oversight_auditor', 'oversight_auditor', null],
    ];
    for (const [username, role, office] of accounts) {
      await createAccount(site.db, {
        username,
        displayName: `Demo ${role.replaceAll('_', ' ')}`,
        passwordHash,
        roles: [role],
        fieldOfficeCode: office,
      });
    }
    const address = '4010 Walnut Ave, Houston, TX 77085';
    await storeAddresses(site.db, [address], []);
    const [child] = await site.db.query<{ id: number }>(
      `insert into children (given_names, surnames, a_number) values ('Ana', 'López', '200000001') returning id`,
    );
    ana = child!.id;
    const [sponsor] = await site.db.query<{ id: number }>(
      `insert into sponsors (name, relationship, category) values ('Rosa López', 'aunt', 2) returning id`,
    );
    await site.db.query(
      `insert into child_state (child_id, status, field_office_code, transferred_at, released_at, address_id, release_address_id, sponsor_id, failed_to_appear_count, next_hearing_at)
       select $1, 'hearing_scheduled', 'HOU', '2023-01-01', '2023-02-01', id, id, $2, 1, '2030-01-15' from addresses where raw_text = $3`,
      [ana, sponsor!.id, address],
    );
    await site.db.query(
      `insert into events (child_id, type, occurred_at, data) values
         ($1, 'released_to_sponsor', '2023-02-01', '{"sponsor_name": "Rosa López"}'),
         ($1, 'hearing_scheduled', '2023-06-01', '{"court": "HOU", "hearing_date": "2023-09-01"}'),
         ($1, 'failed_to_appear', '2023-09-01', '{"court": "HOU"}')`,
      [ana],
    );
    await site.db.query(
      `insert into alerts (rule, child_id, severity) values ('missed_hearing', $1, 'high')`,
      [ana],
    );
    const [hidden] = await site.db.query<{ id: number }>(
      `insert into children (given_names, surnames, a_number) values ('Luz', 'Protegida', '200000002') returning id`,
    );
    shielded = hidden!.id;
    await site.db.query(
      `insert into child_state (child_id, status, field_office_code, released_at, protected_1367) values ($1, 'released', 'HOU', '2023-03-01', true)`,
      [shielded],
    );
    await appendAudit(site.db, {
      actor: 'demo-ice_juvenile_coordinator',
      action: 'case.read',
      childId: ana,
      purpose: 'safety_check',
      result: 'allowed',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const freshPage = async () => (await browser.newContext()).newPage();
  const signIn = async (page: Page, username = 'demo-hq_analyst', password = PASSWORD) => {
    await page.goto(site.url);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };
  const navigation = (page: Page) =>
    page.getByRole('navigation', { name: 'Primary' }).getByRole('link').allTextContents();

  it('asks a visitor to sign in, in a USWDS page with a header, a main region and a footer — and no government banner', async () => {
    const page = await freshPage();
    await page.goto(site.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    expect(await page.getByRole('banner').locator('.usa-logo').textContent()).toContain('Whereabouts');
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('contentinfo').count()).toBe(1);
    expect(await page.content()).not.toContain('official website of the United States government');
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
    await page.goto(site.url);
    await page.getByLabel('Username').fill('demo-hq_analyst');
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong username or password.');
  });

  it('shows an analyst the dashboard — figures, trends, a map by state or field office area with its table, offices compared — without names or lists', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.getByRole('heading', { name: 'National dashboard' }).waitFor();
    expect(await navigation(page)).toEqual(['National dashboard', 'Oversight report']);
    await page.getByRole('img', { name: 'Map: whereabouts unknown, by state' }).waitFor();
    const map = page.getByRole('img', { name: 'Map: whereabouts unknown, by state' });
    expect(await map.locator('path').count()).toBe(51);
    await page.getByText('The numbers by state').click();
    expect(await page.getByRole('row', { name: 'Texas 1' }).count()).toBe(1);
    await page.getByRole('row', { name: /Houston \(HOU\)/ }).waitFor();
    await page.getByText('By field office area', { exact: true }).click(); // USWDS hides the input
    const officeMap = page.getByRole('img', { name: 'Map: whereabouts unknown, by field office area' });
    await officeMap.waitFor();
    expect(await officeMap.locator('path').count()).toBe(51);
    const texas = (await officeMap.locator('path > title').allTextContents()).filter((title) =>
      title.startsWith('Texas:'),
    );
    expect(texas).toHaveLength(1);
    expect(texas[0]).toMatch(/Houston field office 2(;|$)/);
    await page.getByText('The numbers by field office').click();
    expect(await page.getByRole('row', { name: /^Houston \(HOU\) TX \(part\) 2$/ }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByText('By state', { exact: true }).click();
    await map.waitFor();
    await page.getByRole('heading', { name: 'Trends by month' }).waitFor();
    expect(await page.getByRole('link', { name: 'Whereabouts unknown' }).count()).toBe(0);
    expect(await page.content()).not.toContain('López');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('lets a supervisor follow a figure to the children behind it, and on to a case', async () => {
    const page = await freshPage();
    await signIn(page, 'demo-field_office_supervisor');
    await page.getByRole('link', { name: 'Failed to appear at a hearing', exact: true }).click();
    await page.getByRole('heading', { name: 'Failed to appear at a hearing' }).waitFor();
    expect(page.url()).toMatch(/\/reports\/figures\/failed_to_appear\?office=HOU$/);
    expect(await page.getByRole('row', { name: /Ana López/ }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: String(ana), exact: true }).click();
    await page.getByRole('heading', { name: `Open case ${ana}` }).waitFor();
  });

  it('opens a child’s case only after a reason is given, and shows what the agencies recorded', async () => {
    const page = await freshPage();
    await signIn(page, 'demo-ice_juvenile_coordinator');
    await page.goto(`${site.url}/children/${ana}`);
    await page.getByRole('heading', { name: `Open case ${ana}` }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Open the case' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Choose a reason.');
    await page.getByText('Follow up a failure to appear', { exact: true }).click(); // USWDS hides the input
    expect(await page.getByLabel('Follow up a failure to appear').isChecked()).toBe(true);
    await page.getByRole('textbox', { name: /^Note/ }).fill('task 42');
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ana López' }).waitFor();
    expect(await page.getByText('A-200-000-001').count()).toBeGreaterThan(0);
    const sections = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(sections).toEqual([
      'Status and whereabouts',
      'Open alerts and tasks',
      'Record an outcome',
      'Sponsor and address',
      'Notices to print',
      'Hearings',
      'Timeline',
      'Identity: linked source records',
      'What was withheld',
    ]);
    expect(await page.getByRole('row', { name: /Failed to appear at a hearing/ }).count()).toBe(2);
    expect(await page.getByText('Rosa López').count()).toBeGreaterThan(0);
    expect(await page.getByRole('cell', { name: 'missed hearing' }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    const [read] = await site.db.query<{ purpose: string; detail: unknown }>(
      `select purpose, detail from audit_log where action = 'case.read' and actor = 'demo-ice_juvenile_coordinator' order by seq desc limit 1`,
    );
    expect(read).toMatchObject({ purpose: 'fta_follow_up', detail: { note: 'task 42', view: 'full' } });
    expect((read!.detail as { sharingRules?: string }).sharingRules).toEqual(expect.any(String));
  });

  it('shows an enforcement role only the minimum facts of a § 1367 child, and says what was withheld', async () => {
    const page = await freshPage();
    await signIn(page, 'demo-ice_juvenile_coordinator');
    await page.goto(`${site.url}/children/${shielded}`);
    await page.getByText('Check on the child’s safety', { exact: true }).click();
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.getByRole('heading', { name: 'Protected under 8 U.S.C. § 1367' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Timeline' }).count()).toBe(0);
    // One line per withheld part of the record (policy/sharing-rules.yaml), each naming § 1367.
    const withheld = page.getByRole('listitem').filter({ hasText: 'protected under 8 U.S.C. § 1367' });
    expect(await withheld.count()).toBeGreaterThanOrEqual(3);
    expect(await withheld.filter({ hasText: 'addresses' }).count()).toBe(1);
    expect(await withheld.filter({ hasText: 'timeline' }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('prints the oversight report without the navigation', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Oversight report' }).first().click();
    await page.getByRole('heading', { name: /^Oversight report/ }).waitFor();
    await page.getByRole('heading', { name: 'Data quality by field office' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('banner').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print this report' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'National figures' }).isVisible()).toBe(true);
  });

  it('downloads the figures as CSV and records the export', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.getByRole('heading', { name: 'National dashboard' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the figures (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^whereabouts-national-\d{4}-\d{2}-\d{2}\.csv$/);
    const [entry] = await site.db.query<{ actor: string }>(
      `select actor from audit_log where action = 'report.export' order by seq desc limit 1`,
    );
    expect(entry).toEqual({ actor: 'demo-hq_analyst' });
  });

  it('lets an auditor filter the audit log by person and child, with the filters in the address', async () => {
    const page = await freshPage();
    await signIn(page, 'demo-oversight_auditor');
    expect(await navigation(page)).toEqual(['National dashboard', 'Oversight report', 'Audit log']);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Person (username)').fill('demo-ice_juvenile_coordinator');
    await page.getByLabel('Child id').fill(String(ana));
    await page.getByRole('button', { name: 'Show entries' }).click();
    // The unfiltered log is on the page until the filtered one replaces it; it names other children.
    const shown = async () => ({
      children: new Set(await page.getByRole('cell', { name: /^child \d+$/ }).allTextContents()),
      safetyChecks: await page.getByRole('cell', { name: 'Check on the child’s safety' }).count(),
    });
    const filtered = { children: new Set([`child ${ana}`]), safetyChecks: 1 };
    await expect.poll(shown).toEqual(filtered);
    expect(page.url()).toContain(`actor=demo-ice_juvenile_coordinator&childId=${ana}`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.reload();
    await expect.poll(shown).toEqual(filtered);
  });

  it('keeps a deep link working on reload, and says when a page is not for the role', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.goto(`${site.url}/no/such/page`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
    await page.goto(`${site.url}/audit`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not available to your role',
    );
  });
});

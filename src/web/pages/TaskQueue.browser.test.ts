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

describe('the field-office queue in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  let urgent: { id: number; child_id: number };
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await loadFieldOffices(site.db);
    await createTestAccounts(site.db, [
      ['queue-supervisor', 'field_office_supervisor', 'HOU'],
      ['queue-coordinator', 'ice_juvenile_coordinator', 'HOU'],
      ['queue-analyst', 'hq_analyst', null],
    ]);
    // 55 routine tasks (more than one page of 50), and one critical, overdue runaway task that must rank first.
    await site.db.query(
      `with kids as (
         insert into children (given_names, surnames) select 'Niño', 'Rutina ' || n from generate_series(1, 55) n returning id)
       insert into tasks (child_id, office_code, kind, severity, due_at, state)
       select id, 'HOU', 'call_sponsor', 'low', now() + interval '20 days', 'open' from kids`,
    );
    const [child] = await site.db.query<{ id: number }>(
      `insert into children (given_names, surnames) values ('Marta', 'Urgente') returning id`,
    );
    await site.db.query(
      `insert into child_state (child_id, status, field_office_code, released_at) values ($1, 'released', 'HOU', '2023-03-01')`,
      [child!.id],
    );
    const [alert] = await site.db.query<{ id: number }>(
      `insert into alerts (rule, child_id, severity, dedupe_key) values ('runaway', $1, 'critical', $2) returning id`,
      [child!.id, `runaway:${child!.id}`],
    );
    [urgent] = (await site.db.query<{ id: number; child_id: number }>(
      `insert into tasks (alert_id, child_id, office_code, kind, severity, due_at, state)
       values ($1, $2, 'HOU', 'locate', 'critical', now() - interval '2 days', 'open') returning id, child_id`,
      [alert!.id, child!.id],
    )) as [{ id: number; child_id: number }];
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('ranks the most urgent task first with its reasons in words, and pages with "Load more"', async () => {
    const page = await signedInPage(browser, site, 'queue-supervisor');
    expect(await primaryNavigation(page)).toContain('Queue');
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await page.getByRole('heading', { name: 'Field-office queue' }).waitFor();
    const first = page.getByRole('row').nth(1);
    await first.getByRole('link', { name: 'Marta Urgente' }).waitFor();
    expect(await first.textContent()).toContain('(overdue)');
    expect(await first.textContent()).toContain('Reported as a runaway');
    expect(await first.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await page.locator('caption').textContent()).toBe('50 tasks so far, most at risk first');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('56 tasks, most at risk first').waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await first.getByRole('link', { name: 'Marta Urgente' }).click();
    expect(page.url()).toBe(`${site.url}/children/${urgent.child_id}`);
  });

  it('keeps the filters in the address, so a deep link reloads the same view', async () => {
    const page = await signedInPage(browser, site, 'queue-supervisor');
    await page.goto(`${site.url}/queue`);
    await page.getByLabel('Rule').selectOption('runaway');
    await page.getByText('Overdue only').click();
    await page.getByRole('button', { name: 'Show tasks' }).click();
    await page.getByText('1 task, most at risk first').waitFor();
    expect(page.url()).toContain('rule=runaway&overdue=true');
    await page.reload();
    await page.getByText('1 task, most at risk first').waitFor();
    expect(await page.getByLabel('Rule').inputValue()).toBe('runaway');
    expect(await page.getByLabel('Overdue only').isChecked()).toBe(true);
    await page.goto(`${site.url}/queue?assignee=nobody-here`);
    await page.getByText('No tasks match these filters.').waitFor();
  });

  it('lets a supervisor select tasks with the keyboard and assign them to a person', async () => {
    const page = await signedInPage(browser, site, 'queue-supervisor');
    await page.goto(`${site.url}/queue?rule=runaway`);
    const box = page.getByLabel(`Select task ${urgent.id} (Marta Urgente)`);
    await box.focus();
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(true);
    await page.getByLabel('Assign to').fill('queue-coordinator');
    await page.getByRole('button', { name: 'Assign 1 selected task' }).press('Enter');
    await page.getByText('1 task assigned to queue-coordinator.').waitFor();
    await page.getByRole('cell', { name: 'queue-coordinator' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const [row] = await site.db.query<{ username: string }>(
      `select u.username from tasks t join users u on u.id = t.assignee_id where t.id = $1`,
      [urgent.id],
    );
    expect(row).toEqual({ username: 'queue-coordinator' });
    await page.goto(`${site.url}/queue?assignee=queue-coordinator`);
    await page.getByText('1 task, most at risk first').waitFor();
  });

  it('shows a coordinator the queue without the assigning controls, and hides it from an analyst', async () => {
    const page = await signedInPage(browser, site, 'queue-coordinator');
    await page.goto(`${site.url}/queue`);
    await page.getByRole('link', { name: 'Marta Urgente' }).waitFor();
    expect(await page.getByLabel('Assign to').count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: /^Select task/ }).count()).toBe(0);
    const analyst = await signedInPage(browser, site, 'queue-analyst');
    expect(await primaryNavigation(analyst)).not.toContain('Queue');
    await analyst.goto(`${site.url}/queue`);
    await expect(analyst.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not available to your role',
    );
  });
});

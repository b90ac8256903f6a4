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
      `insert into alerts (rule, child_id, severity) values ('runaway', $1, 'critical') returning id`,
      [child!.id],
    );
    [urgent] = (await site.db.query<{ id: number; child_id: number }>(
      `insert into tasks (alert_id, child_id, office_code, kind, severity, due_at, state)
       values ($1, $2, 'HOU', 'locate', 'critical', now() - interval '2 days', 'open') returning id, child_id`,
      [alert!.id, child!.id],
    )) as [{ id: number; child_id: number }];
  });
  /** A fresh high-severity task, due tomorrow, for one test's actions (it ranks right after the urgent one). */
  const newTask = async (surname: string) => {
    const [row] = await site.db.query<{ id: number }>(
      `with kid as (insert into children (given_names, surnames) values ('Pedro', $1) returning id)
       insert into tasks (child_id, office_code, kind, severity, due_at, state)
       select id, 'HOU', 'verify_address', 'high', now() + interval '1 day', 'open' from kid returning id`,
      [surname],
    );
    return Number(row!.id);
  };
  const stateOf = async (id: number) =>
    (
      await site.db.query<{ state: string; outcome: string | null; assignee: string | null }>(
        `select t.state, t.outcome, u.username as assignee from tasks t left join users u on u.id = t.assignee_id where t.id = $1`,
        [id],
      )
    )[0];

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
    expect(page.url()).toBe(`${site.url}/children/${urgent.child_id}?task=${urgent.id}`);
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

  it('lets a coordinator start a task and mark it done with an outcome, from the keyboard', async () => {
    const id = await newTask('Trabajo');
    const page = await signedInPage(browser, site, 'queue-coordinator');
    await page.goto(`${site.url}/queue`);
    const toggle = page.getByRole('button', { name: `Work on task ${id}` });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('heading', { name: `Task ${id} for Pedro Trabajo` }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      `Task ${id} for Pedro Trabajo`,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: `Start task ${id}` }).press('Enter');
    await page.getByText(`Task ${id} started.`).waitFor();
    expect(await stateOf(id)).toEqual({ state: 'in_progress', outcome: null, assignee: 'queue-coordinator' });
    const row = page.getByRole('row').filter({ has: toggle });
    await row.getByRole('cell', { name: 'In progress' }).waitFor();

    await toggle.press('Enter');
    expect(await page.getByRole('button', { name: `Start task ${id}` }).count()).toBe(0);
    await page.getByRole('button', { name: `Mark task ${id} done` }).press('Enter');
    await page.getByText('Choose how the task ended.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`task-${id}-outcome`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Outcome', { exact: true }).selectOption('no_action_needed');
    await page.getByRole('button', { name: `Mark task ${id} done` }).press('Enter');
    await page.getByText(`Task ${id} is done: No action needed.`).waitFor();
    await toggle.waitFor({ state: 'detached' });
    expect(await stateOf(id)).toEqual({
      state: 'done',
      outcome: 'no_action_needed',
      assignee: 'queue-coordinator',
    });
  }, 120_000);

  it('lets a coordinator escalate a task to the supervisor', async () => {
    const id = await newTask('Escalado');
    const page = await signedInPage(browser, site, 'queue-coordinator');
    await page.goto(`${site.url}/queue`);
    await page.getByRole('button', { name: `Work on task ${id}` }).click();
    await page.getByRole('button', { name: `Escalate task ${id}` }).click();
    await page.getByText(`Task ${id} escalated to the supervisor.`).waitFor();
    expect((await stateOf(id))?.state).toBe('escalated');
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: `Work on task ${id}` }) });
    await row.getByRole('cell', { name: 'Escalated' }).waitFor();
  });

  it('lets a supervisor assign one task from its row, and says what is missing', async () => {
    const id = await newTask('Asignado');
    const page = await signedInPage(browser, site, 'queue-supervisor');
    await page.goto(`${site.url}/queue`);
    await page.getByRole('button', { name: `Work on task ${id}` }).click();
    await page.getByRole('button', { name: `Assign task ${id}`, exact: true }).click();
    await page.getByText('Enter the username of the person to assign.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`task-${id}-assignee`);
    await page.getByLabel(`Assign task ${id} to`).fill('queue-coordinator');
    await page.getByRole('button', { name: `Assign task ${id}`, exact: true }).click();
    await page.getByText(`Task ${id} assigned to queue-coordinator.`).waitFor();
    expect(await stateOf(id)).toEqual({ state: 'open', outcome: null, assignee: 'queue-coordinator' });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('filters by agency, kept in the address like the other filters', async () => {
    const page = await signedInPage(browser, site, 'queue-supervisor');
    await page.goto(`${site.url}/queue`);
    await page.getByLabel('Agency').selectOption('orr');
    await page.getByRole('button', { name: 'Show tasks' }).click();
    await page.getByText('No tasks match these filters.').waitFor();
    expect(page.url()).toContain('agency=orr');
    await page.getByLabel('Agency').selectOption('ice');
    await page.getByRole('button', { name: 'Show tasks' }).click();
    await page.getByRole('link', { name: 'Marta Urgente' }).waitFor();
  });
});

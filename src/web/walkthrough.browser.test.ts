// Issue #9's "Done when", walked in a real Chromium against the real server on the embedded database, with a
// synthetic caseload ingested like agency feeds: a coordinator works an overdue failure-to-appear task from the
// queue to the case and back; an analyst sees every figure and no child's name anywhere. axe on every page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoCaseload } from '../demo';
import { loadFieldOffices } from '../monitoring';
import {
  accessibilityViolations,
  createTestAccounts,
  launchBrowser,
  signedInPage,
  startTestSite,
  TEST_PASSWORD,
  type TestSite,
} from './testing/browser';

const CHILDREN = 300;

describe('the whole walk, on a synthetic caseload, in Chromium', () => {
  let browser: Browser;
  let site: TestSite;
  let dataDir: string;
  let fta: { task: number; child: number; office: string; name: string };
  beforeAll(async () => {
    site = await startTestSite();
    browser = await launchBrowser();
    await loadFieldOffices(site.db);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-walk-'));
    await ensureDemoCaseload(site.db, dataDir, () => {}, TEST_PASSWORD, CHILDREN);
    // A child who failed to appear and whose whereabouts are unknown: the failure-to-appear protocol's locate
    // task is open, and so is the no-recent-contact alert a found child answers.
    const [row] = await site.db.query<{ task: number; child: number; office: string; name: string }>(
      `select t.id as task, t.child_id as child, t.office_code as office, c.given_names || ' ' || c.surnames as name
         from tasks t join alerts a on a.id = t.alert_id join children c on c.id = t.child_id
        where a.rule = 'failed_to_appear' and t.kind = 'locate_attempt' and t.state <> 'done'
          and exists (select 1 from alerts n where n.child_id = t.child_id and n.rule = 'no_recent_contact'
                        and n.closed_at is null)
        order by t.id limit 1`,
    );
    if (!row) throw new Error(`no open failure-to-appear locate task among ${CHILDREN} synthetic children`);
    fta = { ...row, task: Number(row.task), child: Number(row.child) };
    await site.db.query(`update tasks set due_at = now() - interval '3 days' where id = $1`, [fta.task]);
    await createTestAccounts(site.db, [['walk-coordinator', 'ice_juvenile_coordinator', fta.office]]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const noViolations = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

  it('a coordinator opens an overdue FTA task from the queue, reads the case, records a locate attempt and sees the alert clear', async () => {
    const page = await signedInPage(browser, site, 'walk-coordinator');
    await noViolations(page);
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await page.getByRole('heading', { name: 'Field-office queue' }).waitFor();
    await noViolations(page);
    await page.getByLabel('Rule').selectOption('failed_to_appear');
    await page.getByText('Overdue only').click();
    await page.getByRole('button', { name: 'Show tasks' }).click();
    await page.waitForURL(/rule=failed_to_appear&overdue=true/);
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: `Work on task ${fta.task}` }) });
    expect(await row.textContent()).toContain('(overdue)');
    await noViolations(page);

    // Start it from the queue, keyboard only: the actions open, take the focus, and Start answers in words.
    await row.getByRole('button', { name: `Work on task ${fta.task}` }).press('Enter');
    await page.getByRole('heading', { name: `Task ${fta.task} for ${fta.name}` }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      `Task ${fta.task} for ${fta.name}`,
    );
    await noViolations(page);
    await page.getByRole('button', { name: `Start task ${fta.task}` }).press('Enter');
    await page.getByText(`Task ${fta.task} started.`).waitFor();

    await row.getByRole('link', { name: fta.name }).click();
    await page.getByRole('heading', { name: `Open case ${fta.child}` }).waitFor();
    await noViolations(page);
    await page.getByText('Follow up a failure to appear', { exact: true }).click();
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.getByRole('heading', { level: 1, name: fta.name }).waitFor();
    const alerts = page.getByRole('table', { name: /^Open alerts/ });
    await alerts.getByRole('cell', { name: 'failed to appear' }).waitFor();
    expect(await alerts.getByRole('cell', { name: 'no recent contact' }).count()).toBe(1);
    await noViolations(page);

    // Sent empty, the form names the problem next to the question and puts the focus there.
    const form = page.getByRole('region', { name: 'Record an outcome' });
    await form.getByRole('button', { name: 'Record outcome' }).click();
    await form.getByText('Choose what happened.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('outcome-kind-contact_made');
    await noViolations(page);
    await form.getByText('Locate attempt', { exact: true }).click();
    await form.getByRole('button', { name: 'Record outcome' }).click();
    await form.getByText('Answer: Was the child found?').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('outcome-locate_attempt-located');
    await page.keyboard.press('Space');
    expect(await form.getByLabel('Found', { exact: true }).isChecked()).toBe(true);
    // Opened from the queue, the task is already chosen.
    expect(await form.getByLabel('For task').inputValue()).toBe(String(fta.task));
    await form.getByRole('textbox', { name: /^Note/ }).fill('found at the sponsor’s home');
    await form.getByRole('button', { name: 'Record outcome' }).click();

    const saved = form.getByText(/is on the timeline/);
    await saved.waitFor();
    expect(await saved.textContent()).toContain('Alerts cleared: No recent contact');
    expect(await saved.textContent()).toContain(`Task ${fta.task} is done.`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Outcome recorded');
    await alerts.getByRole('cell', { name: 'no recent contact' }).waitFor({ state: 'detached' });
    expect(await alerts.getByRole('cell', { name: 'failed to appear' }).count()).toBe(1);
    const tasks = page.getByRole('table', { name: 'Open tasks' });
    expect(await tasks.getByRole('row', { name: /locate attempt/ }).count()).toBe(0);
    const timeline = page.getByRole('table', { name: /^Everything recorded/ });
    await timeline
      .getByRole('row', { name: /Locate attempt.*result: located.*recorded by: walk-coordinator/ })
      .waitFor();
    await noViolations(page);

    const [task] = await site.db.query(`select state, outcome, done_by from tasks where id = $1`, [fta.task]);
    expect(task).toEqual({ state: 'done', outcome: 'child_located', done_by: 'walk-coordinator' });

    await page.goto(`${site.url}/queue?rule=failed_to_appear`);
    await page.getByRole('heading', { name: 'Field-office queue' }).waitFor();
    await page.getByRole('table').or(page.getByText('No tasks match these filters.')).first().waitFor();
    expect(await page.getByRole('button', { name: `Work on task ${fta.task}` }).count()).toBe(0);
  }, 240_000);

  it('an analyst sees the figures but no child’s name anywhere: dashboard, figure lists, report, CSV', async () => {
    const names = (
      await site.db.query<{ name: string }>(
        `select given_names || ' ' || surnames as name from children where given_names is not null and surnames is not null`,
      )
    ).map((row) => row.name);
    expect(names.length).toBeGreaterThan(CHILDREN / 2);
    const namesIn = (text: string) => names.filter((name) => text.includes(name));
    const page = await signedInPage(browser, site, 'demo-hq_analyst');
    await page.getByRole('heading', { name: 'National dashboard' }).waitFor();
    await page.getByRole('heading', { name: 'Trends by month' }).waitFor();
    const figures = await page.getByRole('table').first().textContent();
    expect(figures).toMatch(/\d/);
    expect(namesIn(await page.content())).toEqual([]);
    expect(await page.content()).not.toMatch(/A-\d{3}-\d{3}-\d{3}/);
    await noViolations(page);

    await page.goto(`${site.url}/reports/figures/failed_to_appear`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not available to your role',
    );
    expect(namesIn(await page.content())).toEqual([]);
    await noViolations(page);
    const list = await page.request.get(`${site.url}/api/v1/reports/figures/failed_to_appear/children.csv`);
    expect(list.status()).toBe(403);
    expect(namesIn(await list.text())).toEqual([]);

    await page.goto(`${site.url}/reports/oversight`);
    await page.getByRole('heading', { name: 'Data quality by field office' }).waitFor();
    expect(namesIn(await page.content())).toEqual([]);
    await noViolations(page);

    await page.goto(site.url);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the figures (CSV)' }).click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n').length).toBeGreaterThan(5);
    expect(namesIn(csv)).toEqual([]);
  }, 240_000);
});

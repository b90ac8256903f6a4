// `npm run screenshots`: serves the app on a fresh demonstration caseload (synthetic children, as `npm start`
// does), signs in as the demo roles in Debian's Chromium and writes a PNG of each page to docs/screenshots/.
// 1280 px wide, at most 1800 px tall, so the images stay small enough to keep in the repository.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../src/web/testing/chromium';

const OUT = path.resolve('docs/screenshots');
const WIDTH = 1280;
const MAX_HEIGHT = 1800;
const PASSWORD = randomBytes(12).toString('base64url');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `whereabouts serve --demo` on a throwaway data directory; resolves once it says it is serving. */
async function serveDemo(dataDir: string): Promise<{ url: string; server: ChildProcess }> {
  const port = await freePort();
  // The embedded database always: a DATABASE_URL in the environment is not the place for demo data.
  const { DATABASE_URL: _, ...environment } = process.env;
  const server = spawn(process.execPath, ['bin/whereabouts.mjs', 'serve', '--demo'], {
    env: {
      ...environment,
      PORT: String(port),
      HOST: '127.0.0.1',
      WHEREABOUTS_DATA_DIR: dataDir,
      WHEREABOUTS_DEMO_PASSWORD: PASSWORD,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    server.once('exit', (code) => reject(new Error(`the server stopped (exit ${code}) before serving`)));
    server.stdout!.on('data', (data: Buffer) => {
      buffered += data.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const message = (() => {
          try {
            return String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
          } catch {
            return line;
          }
        })();
        if (message.startsWith('Demo caseload:')) console.log(message);
        const serving = /^Whereabouts is serving on (\S+)/.exec(message);
        if (serving) resolve({ url: serving[1]!, server });
      }
    });
  });
}

async function shoot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({
    path: file,
    fullPage: true,
    clip: { x: 0, y: 0, width: WIDTH, height: Math.min(height, MAX_HEIGHT) },
  });
  console.log(`${path.relative(process.cwd(), file)}\t${Math.round(fs.statSync(file).size / 1000)} KB`);
}

async function signIn(browser: Browser, url: string, username: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: WIDTH, height: 900 } })).newPage();
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-screenshots-'));
  console.log('Loading the demonstration caseload (a minute or two)…');
  const { url, server } = await serveDemo(dataDir);
  const browser = await launchBrowser();
  try {
    const visitor = await (await browser.newContext({ viewport: { width: WIDTH, height: 900 } })).newPage();
    await visitor.goto(url);
    await visitor.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shoot(visitor, 'sign-in');

    const supervisor = await signIn(browser, url, 'demo-field_office_supervisor');
    await supervisor.getByRole('heading', { name: 'Trends by month' }).waitFor();
    await shoot(supervisor, 'dashboard');

    await supervisor.goto(`${url}/reports/figures/failed_to_appear`);
    await supervisor.getByRole('table').waitFor();
    await shoot(supervisor, 'figure-list');

    // A failure-to-appear task whose child the supervisor sees in full (not a § 1367 case's minimum view).
    const { tasks } = (await (
      await supervisor.request.get(`${url}/api/v1/tasks?rule=failed_to_appear`)
    ).json()) as {
      tasks: { id: number; childId: number; childName: string }[];
    };
    let chosen: (typeof tasks)[number] | undefined;
    for (const task of tasks) {
      const read = await supervisor.request.get(
        `${url}/api/v1/children/${task.childId}?purpose=fta_follow_up`,
      );
      if (((await read.json()) as { view?: string }).view === 'full') {
        chosen = task;
        break;
      }
    }
    if (!chosen) throw new Error('no failure-to-appear task with a fully visible case in the demo caseload');

    await supervisor.goto(`${url}/queue?rule=failed_to_appear`);
    await supervisor.getByRole('row').nth(1).waitFor();
    await shoot(supervisor, 'queue');
    await supervisor.getByRole('button', { name: `Work on task ${chosen.id}` }).click();
    await supervisor.getByRole('heading', { name: `Task ${chosen.id} for ${chosen.childName}` }).waitFor();
    await shoot(supervisor, 'queue-task-actions');

    const name = chosen.childName;
    await supervisor.getByRole('link', { name, exact: true }).first().click();
    await supervisor.getByText('Follow up a failure to appear', { exact: true }).click();
    await shoot(supervisor, 'open-case-purpose');
    await supervisor.getByRole('button', { name: 'Open the case' }).click();
    await supervisor.getByRole('heading', { level: 1, name }).waitFor();
    await shoot(supervisor, 'child-case');
    const form = supervisor.getByRole('region', { name: 'Record an outcome' });
    await form.getByText('Locate attempt', { exact: true }).click();
    await form.getByText('Not found (failed)', { exact: true }).click();
    await form.scrollIntoViewIfNeeded();
    await form.screenshot({ path: path.join(OUT, 'record-outcome.png') });
    console.log('docs/screenshots/record-outcome.png');

    const surname = name.split(' ').at(-1) ?? name;
    await supervisor.goto(`${url}/search?q=${encodeURIComponent(surname)}`);
    await supervisor.getByRole('table').waitFor();
    await shoot(supervisor, 'search');

    await supervisor.goto(`${url}/children`);
    await supervisor.getByRole('heading', { name: 'Open a child’s case' }).waitFor();
    await shoot(supervisor, 'open-case');

    await supervisor.goto(`${url}/review`);
    await supervisor.getByRole('heading', { level: 1 }).waitFor();
    await shoot(supervisor, 'review');

    const auditor = await signIn(browser, url, 'demo-oversight_auditor');
    await auditor.goto(`${url}/reports/oversight`);
    await auditor.getByRole('heading', { name: 'Data quality by field office' }).waitFor();
    await shoot(auditor, 'oversight-report');
    await auditor.goto(`${url}/audit`);
    await auditor.getByRole('table').waitFor();
    await shoot(auditor, 'audit');
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

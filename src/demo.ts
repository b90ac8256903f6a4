// The demonstration caseload `npm start` serves: synthetic children, ingested like agency feeds, on first start.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createAccount } from './auth/accounts.repository';
import { hashPassword } from './auth/passwords';
import { ROLE_GRANTS, ROLES } from './auth/permissions';
import type { Database } from './db';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from './ingest';
import { loadPolicy, runSweep } from './monitoring';
import { generateCaseload } from './synth';

export const DEMO_CHILDREN = 2000;

/**
 * On an empty store, writes a small synthetic caseload ending today (so its deadlines are current), ingests
 * every feed, runs the monitoring sweep and creates one demo account per role. Does nothing when anything has
 * been ingested already.
 */
export async function ensureDemoCaseload(
  db: Database,
  dataDir: string,
  log: (message: string) => void,
  demoPassword?: string,
  children = DEMO_CHILDREN,
): Promise<boolean> {
  const [batches] = await db.query<{ n: number }>('select count(*)::int as n from ingest_batches');
  if ((batches?.n ?? 0) > 0) return false;
  const out = path.join(dataDir, 'demo-caseload');
  fs.rmSync(out, { recursive: true, force: true });
  const end = new Date();
  const start = new Date(end.getTime() - 3 * 365 * 86_400_000);
  generateCaseload({ children, seed: 'demo', out, start: isoDate(start), end: isoDate(end) });
  const feeds = listFeedFiles([path.join(out, 'feeds')]);
  let rows = 0;
  for (const { file, format } of await recognizeFiles(feeds))
    rows += (await ingestFile(db, file, format, { settle: false })).rowsRead;
  await settleIngest(db);
  const sweep = await runSweep(db, loadPolicy());
  const open = Object.values(sweep.rules).reduce((sum, rule) => sum + rule.open, 0);
  log(`Demo caseload: ${children} synthetic children, ${rows} feed rows ingested, ${open} open alerts.`);
  const password = demoPassword ?? randomBytes(12).toString('base64url');
  await ensureDemoAccounts(db, password);
  log(
    `Demo accounts: ${ROLES.map((role) => `demo-${role}`).join(', ')} — password ${demoPassword ? 'from WHEREABOUTS_DEMO_PASSWORD' : `${password} (shown once; set WHEREABOUTS_DEMO_PASSWORD to choose it)`}.`,
  );
  return true;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** One account per role, named demo-<role>; office-scoped roles work in the Houston field office. */
export async function ensureDemoAccounts(db: Database, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  for (const role of ROLES) {
    const [existing] = await db.query('select 1 from users where username = $1', [`demo-${role}`]);
    if (existing) continue;
    await createAccount(db, {
      username: `demo-${role}`,
      displayName: `Demo ${role.replaceAll('_', ' ')}`,
      passwordHash,
      roles: [role],
      fieldOfficeCode: ROLE_GRANTS[role].scope === 'own_office' ? 'HOU' : null,
    });
  }
}

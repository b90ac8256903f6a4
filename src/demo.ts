// The demonstration caseload `npm start` serves: synthetic children, ingested like agency feeds, on first start.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './db';
import { ingestFile, recognizeFiles } from './ingest';
import { loadPolicy, runSweep } from './monitoring';
import { generateCaseload } from './synth';

export const DEMO_CHILDREN = 2000;

/**
 * On an empty store, writes a small synthetic caseload ending today (so its deadlines are current), ingests
 * every feed and runs the monitoring sweep. Does nothing when anything has been ingested already.
 */
export async function ensureDemoCaseload(
  db: Database,
  dataDir: string,
  log: (message: string) => void,
): Promise<boolean> {
  const [batches] = await db.query<{ n: number }>('select count(*)::int as n from ingest_batches');
  if ((batches?.n ?? 0) > 0) return false;
  const out = path.join(dataDir, 'demo-caseload');
  fs.rmSync(out, { recursive: true, force: true });
  const end = new Date();
  const start = new Date(end.getTime() - 3 * 365 * 86_400_000);
  generateCaseload({ children: DEMO_CHILDREN, seed: 'demo', out, start: isoDate(start), end: isoDate(end) });
  const feeds = fs
    .readdirSync(path.join(out, 'feeds'), { recursive: true })
    .map((file) => path.join(out, 'feeds', String(file)))
    .filter((file) => fs.statSync(file).isFile());
  let rows = 0;
  for (const { file, format } of await recognizeFiles(feeds))
    rows += (await ingestFile(db, file, format)).rowsRead;
  const sweep = await runSweep(db, loadPolicy());
  const open = Object.values(sweep.rules).reduce((sum, rule) => sum + rule.open, 0);
  log(`Demo caseload: ${DEMO_CHILDREN} synthetic children, ${rows} feed rows ingested, ${open} open alerts.`);
  return true;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db';
import { vacuumStore } from '../db/statistics';
import { IdentityIndex } from '../identity/identity-index';
import type { LinkMode } from '../identity/link-records';
import { linkAll } from '../identity/relink';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '../ingest';
import { loadPolicy, type Policy, runSweep } from '../monitoring';
import { type NationalReport, nationalReport } from '../reports';
import type { Manifest } from '../synth';
import { splitDeliveries } from '../synth/split-deliveries';

export interface StageResult {
  stage: string;
  /** What the stage worked through: feed rows, identities, children. */
  rows: number;
  unit: string;
  seconds: number;
  /** The process's peak resident memory so far (the database server's own memory is not included). */
  peakRssMb: number;
}

export interface PipelineResult {
  stages: StageResult[];
  report: NationalReport;
  asOf: Date;
}

const DAY_MS = 86_400_000;
const dayBefore = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
const noonOf = (day: string) => new Date(`${day}T12:00:00Z`);

/**
 * A generated caseload through the whole system, as an agency would run it: the feeds' history up to two days
 * before the caseload's end is ingested as a bulk load (addresses judged, records joined by identifiers per
 * chunk), linked as a whole with a model estimated from the store, settled, swept by the monitoring policy and
 * vacuumed; then each of the last two days' deliveries is ingested and the children it touched swept, as a nightly
 * run does; then the national report.
 * `onStage` hears each stage as it ends.
 */
export async function runCaseloadPipeline(
  db: Database,
  caseloadDir: string,
  options: { policy?: Policy; onStage?: (stage: StageResult) => void } = {},
): Promise<PipelineResult> {
  const policy = options.policy ?? loadPolicy();
  const manifest = JSON.parse(fs.readFileSync(path.join(caseloadDir, 'manifest.json'), 'utf8')) as Manifest;
  const historyEnd = dayBefore(manifest.end, 2);
  const days = [dayBefore(manifest.end, 1), manifest.end];
  const deliveries = path.join(caseloadDir, 'deliveries');
  fs.rmSync(deliveries, { recursive: true, force: true });
  const parts = [
    { dir: path.join(deliveries, `through-${historyEnd}`), through: historyEnd },
    { dir: path.join(deliveries, days[0]!), through: days[0] },
    // The last day takes the few rows dated later too (a letter returned after the caseload's end).
    { dir: path.join(deliveries, days[1]!) },
  ];
  await splitDeliveries(path.join(caseloadDir, 'feeds'), parts);

  const stages: StageResult[] = [];
  const stage = async (name: string, unit: string, work: () => Promise<number>) => {
    const started = process.hrtime.bigint();
    const rows = await work();
    const result: StageResult = {
      stage: name,
      rows,
      unit,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    stages.push(result);
    options.onStage?.(result);
  };
  /** Ingests a folder's files, leaving the children they touched to a settle. */
  const ingestFiles = async (dir: string, link: LinkMode) => {
    let rows = 0;
    const touched = new Set<number>();
    for (const { file, format } of await recognizeFiles(listFeedFiles([dir]))) {
      const batch = await ingestFile(db, file, format, { settle: false, link });
      rows += batch.rowsRead;
      for (const child of batch.children) touched.add(child);
    }
    return { rows, touched };
  };

  // The history is a bulk load: joined by identifiers as it comes, then linked as a whole, then settled, each child
  // once and as linked (`whereabouts ingest --bulk`; docs/decisions/0033). Its state is judged as of its last day,
  // not as of today: history replayed.
  const historyAsOf = noonOf(historyEnd);
  await stage(
    `ingest, through ${historyEnd}`,
    'feed rows',
    async () => (await ingestFiles(parts[0]!.dir, 'identifiers')).rows,
  );
  await stage('link the whole store, then settle', 'identities', async () => {
    const summary = await db.transaction((tx) =>
      linkAll(tx, IdentityIndex.of(db), { asOf: historyAsOf, settleLater: true }),
    );
    await settleIngest(db, { asOf: historyAsOf });
    return summary.identities;
  });
  await stage('monitor, full sweep', 'children', async () => {
    await runSweep(db, policy, { asOf: historyAsOf });
    const [{ children }] = (await db.query<{ children: number }>(
      'select count(*)::int as children from child_state',
    )) as [{ children: number }];
    return children;
  });
  // What an operator does after a first load (docs/operations.md, `whereabouts db vacuum`): the bulk stages leave
  // autovacuum a backlog (two million identities rewritten, a million alerts and tasks opened) that would otherwise
  // run during the first nightly increments — a day took 33 s so at 600,000 children, 9.7 s after the vacuum — and
  // the link's tables with the statistics of before it.
  await stage('vacuum after the first load', 'tables', async () => {
    await vacuumStore(db);
    const [{ tables }] = (await db.query<{ tables: number }>(
      "select count(*)::int as tables from pg_tables where schemaname = 'public'",
    )) as [{ tables: number }];
    return tables;
  });
  // Each day as that day's nightly run: its files, their children settled, then swept once.
  for (const [i, day] of days.entries())
    await stage(`a day's deliveries, ${day}: ingest, link, monitor`, 'feed rows', async () => {
      const { rows, touched } = await ingestFiles(parts[i + 1]!.dir, 'model');
      await settleIngest(db, { asOf: noonOf(day) });
      await runSweep(db, policy, { asOf: noonOf(day), childIds: [...touched] });
      return rows;
    });
  const asOf = noonOf(manifest.end);
  let report: NationalReport | undefined;
  await stage('national report', 'children', async () => {
    report = await nationalReport(db, asOf);
    return report.transferred;
  });
  return { stages, report: report!, asOf };
}

// Opens the configured database and brings it up to date: migrations, reference data, triggers, settings.

import { installSessionAnnouncements } from './auth/session-cache';
import type { Config } from './config';
import { type Database, openDatabase } from './db';
import { installFillfactors } from './db/fillfactors';
import { installStatisticsTargets } from './db/statistics';
import { installIdentityMoves } from './identity/identity-moves';
import { loadFieldOffices } from './monitoring/field-offices.repository';
import { installTipQueue } from './monitoring/tip-triage';
import { installReportSummaries } from './reports/summaries';

export function databaseTarget(config: Config, purpose: string) {
  return config.databaseUrl
    ? ({ engine: 'postgres', url: config.databaseUrl } as const)
    : ({ engine: 'pglite', dataDir: config.dataDir, purpose } as const);
}

export async function prepareDatabase(db: Database): Promise<void> {
  await db.migrate();
  await loadFieldOffices(db);
  await installReportSummaries(db);
  await installTipQueue(db);
  await installIdentityMoves(db);
  await installSessionAnnouncements(db);
  await installStatisticsTargets(db);
  await installFillfactors(db);
}

export async function openPreparedDatabase(config: Config, purpose: string): Promise<Database> {
  const db = await openDatabase(databaseTarget(config, purpose));
  try {
    await prepareDatabase(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

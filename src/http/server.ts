import type { FastifyInstance } from 'fastify';
import { openPreparedDatabase } from '../bootstrap';
import { type Config, ConfigError, oidcSettings } from '../config';
import { type Database, openDatabase } from '../db';
import { buildApp } from './app';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  url: string;
  stop(): Promise<void>;
}

/** Migrates, then listens. `stop` closes the server before the database, so no request writes to a closed store. */
export async function startServer(config: Config): Promise<RunningServer> {
  const oidc = oidcSettings(config); // refuses a half-configured identity provider before anything starts
  if (config.reportsDatabaseUrl && !config.databaseUrl)
    throw new ConfigError(
      'WHEREABOUTS_REPORTS_DATABASE_URL',
      'a read replica needs DATABASE_URL (PostgreSQL) too; the embedded database has no replicas',
      config.reportsDatabaseUrl,
    );
  const db = await openPreparedDatabase(config, 'whereabouts serve');
  let reportsDb: Database | undefined;
  let app: FastifyInstance;
  try {
    // The replica is never migrated: it follows the primary, which was just migrated.
    if (config.reportsDatabaseUrl)
      reportsDb = await openDatabase({ engine: 'postgres', url: config.reportsDatabaseUrl });
    app = await buildApp({
      db,
      ...(reportsDb ? { reportsDb } : {}),
      logLevel: config.logLevel,
      oidc,
      banner: config.banner,
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await reportsDb?.close();
    await db.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= app
      .close()
      .finally(() => reportsDb?.close())
      .finally(() => db.close());
    return stopping;
  };
  return { app, db, url: `http://${config.host}:${config.port}`, stop };
}

import type { FastifyInstance } from 'fastify';
import { openPreparedDatabase } from '../bootstrap';
import { type Config, oidcSettings } from '../config';
import type { Database } from '../db';
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
  const db = await openPreparedDatabase(config, 'whereabouts serve');
  let app: FastifyInstance;
  try {
    app = await buildApp({ db, logLevel: config.logLevel, oidc, banner: config.banner });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await db.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= app.close().finally(() => db.close());
    return stopping;
  };
  return { app, db, url: `http://${config.host}:${config.port}`, stop };
}

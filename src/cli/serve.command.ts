import type { Command } from 'commander';
import { loadConfig } from '../config';
import { ensureDemoCaseload } from '../demo';
import { startServer } from '../http/server';
import { startBackgroundWork } from '../jobs/background-work';
import { runAction } from './run-action';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('migrate the database, then serve the API and web app (PORT, HOST, DATABASE_URL)')
    .option('--demo', 'on an empty store, load a small synthetic demonstration caseload first')
    .action(
      runAction(async (flags: { demo?: boolean }) => {
        const config = loadConfig();
        const server = await startServer(config);
        if (flags.demo)
          await ensureDemoCaseload(
            server.db,
            config.dataDir,
            (message) => server.app.log.info(message),
            config.demoPassword,
          );
        // The scheduled sweep and relinking, unless a separate `whereabouts worker` runs them (WHEREABOUTS_JOBS=off).
        const work =
          config.jobs === 'on' ? await startBackgroundWork(server.db, config, server.app.log) : undefined;
        server.app.log.info(`Whereabouts is serving on ${server.url} (${server.db.engine})`);
        const shutDown = (signal: string) => {
          server.app.log.info(`${signal} received: closing the server, then the database`);
          Promise.resolve(work?.stop())
            .then(() => server.stop())
            .then(
              () => process.exit(0),
              (error: unknown) => {
                server.app.log.error({ err: error }, 'shutdown failed');
                process.exit(1);
              },
            );
        };
        process.once('SIGTERM', shutDown);
        process.once('SIGINT', shutDown);
      }),
    );
}

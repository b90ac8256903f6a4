import type { Command } from 'commander';
import { loadConfig } from '../config';
import { startServer } from '../http/server';
import { runAction } from './run-action';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('migrate the database, then serve the API and web app (PORT, HOST, DATABASE_URL)')
    .action(
      runAction(async () => {
        const config = loadConfig();
        const server = await startServer(config);
        server.app.log.info(`Whereabouts is serving on ${server.url} (${server.db.engine})`);
        const shutDown = (signal: string) => {
          server.app.log.info(`${signal} received: closing the server, then the database`);
          server.stop().then(
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

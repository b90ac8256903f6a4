import type { Command } from 'commander';
import pino from 'pino';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { startBackgroundWork } from '../jobs/background-work';
import { runAction } from './run-action';

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run the scheduled background work (monitoring sweep, relinking) on pg-boss, without serving HTTP; any number may run',
    )
    .action(
      runAction(async () => {
        const config = loadConfig();
        const log = pino({ level: config.logLevel });
        const db = await openPreparedDatabase(config, 'whereabouts worker');
        const work = await startBackgroundWork(db, config, log);
        log.info(
          { sweep: config.sweepSchedule, relink: config.relinkSchedule, timeZone: config.timeZone },
          `Whereabouts worker is running (${db.engine})`,
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            log.info(`${signal} received: letting the running job finish, then closing the database`);
            resolve();
          };
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        });
        await work.stop();
        await db.close();
      }),
    );
}

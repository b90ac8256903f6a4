import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { runAction } from './run-action';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations and reference data (safe to run again)')
    .action(
      runAction(async () => {
        const config = loadConfig();
        const db = await openPreparedDatabase(config, 'whereabouts migrate');
        await db.close();
        process.stdout.write(`Database is up to date (${db.engine}).\n`);
      }),
    );
}

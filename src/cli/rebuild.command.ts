import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { refreshChildState } from '../cases/projection';
import { loadConfig } from '../config';
import { runAction } from './run-action';

export function rebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description("recompute every child's current state from the events")
    .action(
      runAction(async () => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts rebuild');
        try {
          const started = performance.now();
          const children = await db.transaction((tx) => refreshChildState(tx, null));
          process.stdout.write(
            `Rebuilt the state of ${children} children in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
          );
        } finally {
          await db.close();
        }
      }),
    );
}

import type { Command } from 'commander';
import { applyRecordEvidence, rejudgeAllAddresses } from '../addresses/addresses.repository';
import { openPreparedDatabase } from '../bootstrap';
import { refreshChildState } from '../cases/projection';
import { loadConfig } from '../config';
import { runAction } from './run-action';

export function rebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description("judge every address again and recompute every child's current state from the events")
    .action(
      runAction(async () => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts rebuild');
        try {
          const started = performance.now();
          const { addresses, children } = await db.transaction(async (tx) => {
            // Addresses first, with the current library, so the children's state reads current verdicts.
            const addresses = await rejudgeAllAddresses(tx);
            const children = await refreshChildState(tx, null);
            await applyRecordEvidence(tx, null);
            return { addresses, children };
          });
          process.stdout.write(
            `Judged ${addresses} addresses again and rebuilt the state of ${children} children in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
          );
        } finally {
          await db.close();
        }
      }),
    );
}

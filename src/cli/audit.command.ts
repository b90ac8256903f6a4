import type { Command } from 'commander';
import { verifyAuditChain } from '../audit';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { runAction } from './run-action';

export function auditCommand(program: Command): void {
  program
    .command('audit')
    .description('the tamper-evident audit log')
    .command('verify')
    .description(
      'check the whole hash chain; names the first entry that was edited, deleted, inserted or moved',
    )
    .option(
      '--expect-head <hash>',
      'also require the chain to end at this head hash (recorded earlier, outside the database)',
    )
    .option('--json', 'print one JSON object')
    .action(
      runAction(async (flags: { expectHead?: string; json?: boolean }) => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts audit verify');
        try {
          const result = await verifyAuditChain(db);
          const headMatches = flags.expectHead === undefined || flags.expectHead === result.head;
          const ok = result.ok && headMatches;
          if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, ok, headMatches })}\n`);
          else if (!result.ok) process.stdout.write(`BROKEN: ${result.firstBreak!.message}\n`);
          else if (!headMatches)
            process.stdout.write(
              `BROKEN: the chain ends at ${result.head}, not at the expected ${flags.expectHead} (entries were removed or rewritten at the end).\n`,
            );
          else
            process.stdout.write(
              `OK: ${result.entries} entries, head ${result.head}. Record the head elsewhere to detect a rewritten tail later.\n`,
            );
          if (!ok) process.exitCode = 1;
        } finally {
          await db.close();
        }
      }),
    );
}

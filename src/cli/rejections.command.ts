import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { listRejections } from '../ingest';
import { runAction } from './run-action';

export function rejectionsCommand(program: Command): void {
  program
    .command('rejections')
    .description('list rows that were not stored, with file, line, field and the reason')
    .option('--batch <id>', 'only this batch')
    .option('--limit <n>', 'at most this many', '1000')
    .option('--json', 'print JSON')
    .action(
      runAction(async (flags: { batch?: string; limit: string; json?: boolean }) => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts rejections');
        try {
          const rows = await listRejections(
            db,
            flags.batch ? Number(flags.batch) : undefined,
            Number(flags.limit),
          );
          if (flags.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
          else
            for (const row of rows)
              process.stdout.write(
                `${row.fileName}:${row.line}${row.field ? ` ${row.field}` : ''}: ${row.reason}\n`,
              );
        } finally {
          await db.close();
        }
      }),
    );
}

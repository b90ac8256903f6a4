import type { Command } from 'commander';
import { createFeedToken, listFeedTokens, revokeFeedToken } from '../auth';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { FEED_SOURCES, type FeedSource } from '../feeds';
import { AppError } from '../shared/errors';
import { runAction } from './run-action';

export function tokenCommand(program: Command): void {
  const token = program
    .command('token')
    .description('API tokens for agency feed deliveries (POST /api/v1/feeds/{source})');
  token
    .command('create')
    .description('create a token for one source; it is printed once and stored only as a hash')
    .requiredOption('--source <source>', `the agency feed source (${FEED_SOURCES.join(', ')})`)
    .option('--label <text>', 'who or what uses it', 'feed delivery')
    .action(
      runAction(async (flags: { source: string; label: string }) => {
        if (!FEED_SOURCES.includes(flags.source as FeedSource)) {
          throw new AppError(
            'input_invalid',
            `--source ${flags.source}: expected one of ${FEED_SOURCES.join(', ')}`,
          );
        }
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts token create');
        try {
          const created = await createFeedToken(db, flags.source as FeedSource, flags.label);
          process.stderr.write(
            `Token ${created.id} for ${flags.source} (shown once; store it in the sender's secret store):\n`,
          );
          process.stdout.write(`${created.token}\n`);
        } finally {
          await db.close();
        }
      }),
    );
  token
    .command('list')
    .description('list tokens (never their values)')
    .action(
      runAction(async () => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts token list');
        try {
          console.table(await listFeedTokens(db));
        } finally {
          await db.close();
        }
      }),
    );
  token
    .command('revoke')
    .argument('<id>', 'token id')
    .description('revoke a token at once')
    .action(
      runAction(async (id: string) => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts token revoke');
        try {
          if (!(await revokeFeedToken(db, Number(id))))
            throw new AppError('not_found', `No active token ${id}.`);
          process.stdout.write(`Token ${id} revoked.\n`);
        } finally {
          await db.close();
        }
      }),
    );
}

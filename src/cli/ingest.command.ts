import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { FEED_SOURCES, type FeedSource } from '../feeds';
import { IdentityIndex } from '../identity/identity-index';
import { linkAll } from '../identity/relink';
import { type BatchSummary, ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '../ingest';
import { loadPolicy, runSweep } from '../monitoring';
import { AppError } from '../shared/errors';
import { runAction } from './run-action';

export function ingestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'store agency feed files (or folders of them): every row stored, counted as a duplicate, or rejected with a reason',
    )
    .argument('<paths...>', 'feed files or folders')
    .option('--source <source>', `only accept feeds from this source (${FEED_SOURCES.join(', ')})`)
    .option('--json', 'print one JSON summary')
    .option('--monitor', 'after each file, sweep the monitoring policy over the children it touched')
    .option(
      '--bulk',
      'a first load of history: join records by identifiers as they come, then link the whole store once (as `whereabouts link`)',
    )
    .action(
      runAction(
        async (
          paths: string[],
          flags: { source?: string; json?: boolean; monitor?: boolean; bulk?: boolean },
        ) => {
          if (flags.source && !FEED_SOURCES.includes(flags.source as FeedSource)) {
            throw new AppError(
              'input_invalid',
              `--source ${flags.source}: expected one of ${FEED_SOURCES.join(', ')}`,
            );
          }
          const files = await recognizeFiles(listFeedFiles(paths), flags.source as FeedSource | undefined); // refuses before writing
          const policy = flags.monitor ? loadPolicy() : undefined;
          const db = await openPreparedDatabase(loadConfig(), 'whereabouts ingest');
          const started = performance.now();
          const batches: (Omit<BatchSummary, 'children' | 'batchId' | 'rowsRead'> & {
            batch: number;
            rows: number;
          })[] = [];
          const touched = new Set<number>();
          try {
            for (const { file, format } of files) {
              const size = fs.statSync(file).size;
              const bar =
                process.stderr.isTTY && !flags.json
                  ? new SingleBar({ format: `${path.basename(file)} {bar} {value} rows` })
                  : undefined;
              bar?.start(Math.max(1, Math.round(size / 150)), 0);
              const summary = await ingestFile(db, file, format, {
                onRows: (rows) => bar?.update(rows),
                settle: false,
                link: flags.bulk ? 'identifiers' : 'model',
              });
              bar?.stop();
              const { children, batchId, rowsRead, resumedFromRow, ...counts } = summary;
              for (const child of children) touched.add(child);
              batches.push({ ...counts, batch: batchId, rows: rowsRead, resumedFromRow });
              if (!flags.json) {
                console.error(
                  JSON.stringify({
                    level: 'info',
                    msg: 'batch stored',
                    batch: batchId,
                    file,
                    kind: summary.kind,
                    rows: rowsRead,
                    accepted: summary.accepted,
                    rejected: summary.rejected,
                    duplicates: summary.duplicates,
                    resumedFromRow,
                    children: children.length,
                  }),
                );
              }
            }
            // A bulk load's children are final only after the whole store is linked: they are settled after it, and
            // then every child is swept.
            if (flags.bulk)
              await db.transaction((tx) => linkAll(tx, IdentityIndex.of(db), { settleLater: true }));
            // Each touched child's state once, after the last file, rather than once per file and chunk.
            await settleIngest(db);
            if (policy) await runSweep(db, policy, flags.bulk ? {} : { childIds: [...touched] });
          } finally {
            await db.close();
          }
          const total = (key: 'accepted' | 'rejected' | 'duplicates') =>
            batches.reduce((sum, batch) => sum + batch[key], 0);
          const result = {
            batches: batches.map(({ file, source, kind, accepted, rejected, duplicates }) => ({
              file,
              source,
              kind,
              accepted,
              rejected,
              duplicates,
            })),
            accepted: total('accepted'),
            rejected: total('rejected'),
            duplicates: total('duplicates'),
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          };
          if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
          else
            process.stdout.write(
              `${result.accepted} accepted, ${result.rejected} rejected, ${result.duplicates} duplicates in ${result.seconds} s (${batches.length} files).\n`,
            );
        },
      ),
    );
}

import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { explainRecord } from '../identity/explain';
import { IdentityIndex } from '../identity/identity-index';
import { linkAll } from '../identity/relink';
import { runAction } from './run-action';

export function linkCommand(program: Command): void {
  program
    .command('link')
    .description(
      'resolve every stored record into children again: estimate the model from the store, link, keep every review decision',
    )
    .option('--json', 'print the summary, with the estimated m and u per field, as one JSON object')
    .action(
      runAction(async (options: { json?: boolean }) => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts link');
        try {
          const summary = await db.transaction((tx) => linkAll(tx, IdentityIndex.of(db)));
          if (options.json) {
            process.stdout.write(`${JSON.stringify(summary)}\n`);
            return;
          }
          process.stdout.write(
            `${summary.identities} identities (${summary.records} records), ${summary.pairsCompared} pairs compared: ` +
              `${summary.links} links, ${summary.reviews} pairs for review, ${summary.decisionsKept} decisions kept.\n` +
              `Children: ${summary.childrenBefore} before, ${summary.childrenAfter} after; ` +
              `${summary.identitiesMoved} identities moved, in ${summary.seconds} s.\n`,
          );
        } finally {
          await db.close();
        }
      }),
    );
  program
    .command('explain')
    .description('why a record belongs to its child: the method, and each field’s comparison and weight')
    .argument('<record>', 'a source record id, or source:key (e.g. orr:UC00000013)')
    .option('--json', 'print the explanation as one JSON object')
    .action(
      runAction(async (reference: string, options: { json?: boolean }) => {
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts explain');
        try {
          const explanation = await explainRecord(db, reference);
          if (options.json) {
            process.stdout.write(`${JSON.stringify(explanation)}\n`);
            return;
          }
          const { record, evidence } = explanation;
          const lines = [
            `Record ${record.id}: ${record.source} ${record.kind} ${record.sourceKey} (version ${record.version}, ${record.file} line ${record.line})`,
            explanation.childId === null
              ? 'Not linked to a child (it names no one).'
              : `Child ${explanation.childId}, by ${explanation.method}${explanation.matchWeight === null ? '' : ` (match weight ${explanation.matchWeight.toFixed(1)})`}`,
          ];
          if (typeof evidence.sameAsRecord === 'number')
            lines.push(
              `Written exactly as record ${evidence.sameAsRecord}, which was decided by ${evidence.method}:`,
            );
          if (typeof evidence.probability === 'number')
            lines.push(
              `Match probability ${evidence.probability.toFixed(4)}, with ${JSON.stringify(evidence.with)}`,
            );
          const fields = (evidence.fields ?? []) as { field: string; level: string; weight: number }[];
          for (const f of fields)
            lines.push(
              `  ${f.field.padEnd(10)} ${f.level.padEnd(20)} ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(2)}`,
            );
          lines.push(
            `The child's records: ${explanation.childRecords.map((r) => `${r.count} ${r.kind}`).join(', ') || 'none'}; ${explanation.pendingReviews} pairs waiting for review.`,
          );
          process.stdout.write(`${lines.join('\n')}\n`);
        } finally {
          await db.close();
        }
      }),
    );
}

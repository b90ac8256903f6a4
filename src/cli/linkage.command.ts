import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { loadLinkConfig } from '../linkage/config';
import { loadDataset } from '../linkage/dataset';
import { DECISION, type LinkageRun, runLinkage } from '../linkage/engine';
import { pairwiseScores } from '../linkage/evaluate';
import { explainPair } from '../linkage/model';
import { AppError } from '../shared/errors';
import { PERSON_LINK_CONFIG, writePersonRecords } from '../synth/person-records';
import { runAction } from './run-action';

async function readCsv(file: string): Promise<Record<string, string>[]> {
  if (!fs.existsSync(file)) throw new AppError('input_invalid', `${file}: no such file`);
  const rows: Record<string, string>[] = [];
  for await (const row of fs.createReadStream(file).pipe(parse({ bom: true, columns: true }))) rows.push(row);
  return rows;
}

/** Each field's level and weight for one pair: what a reviewer reads to see why the pair scored as it did. */
function evidenceOf(run: LinkageRun, pair: number) {
  const fields = explainPair(run.vectors, pair, run.params, run.tf).map(({ field, level, weight }) => ({
    field,
    level,
    weight: Number(weight.toFixed(3)),
  }));
  // The prior log-odds completes the sum: the weights add up to the pair's match weight.
  const { lambda } = run.params;
  return [
    ...fields,
    { field: '(prior)', level: null, weight: Number(Math.log2(lambda / (1 - lambda)).toFixed(3)) },
  ];
}

export function linkageCommand(program: Command): void {
  const linkage = program
    .command('linkage')
    .description('probabilistic record linkage on any CSV data (docs/linkage.md)');

  linkage
    .command('run')
    .description('find the pairs of records that are the same entity: within one file, or across two')
    .requiredOption('--config <file>', 'link.json: id column, fields and their types, blocking, thresholds')
    .option('--input <file>', 'one CSV file to deduplicate')
    .option('--left <file>', 'the first of two CSV files to link')
    .option('--right <file>', 'the second of two CSV files to link')
    .requiredOption('--out <file>', 'pairs.csv: left_id,right_id,match_probability,match_weight,decision')
    .option('--json', 'print counts, pairs compared, seconds and the estimated m/u parameters as JSON')
    .option('--evidence', 'add an evidence column: each field’s comparison level and weight, as JSON')
    .action(
      runAction(
        async (flags: {
          config: string;
          input?: string;
          left?: string;
          right?: string;
          out: string;
          json?: boolean;
          evidence?: boolean;
        }) => {
          const two = flags.left !== undefined || flags.right !== undefined;
          if (two ? !(flags.left && flags.right) || flags.input : !flags.input) {
            throw new AppError(
              'input_invalid',
              'give either --input FILE, or both --left FILE and --right FILE',
            );
          }
          const started = performance.now();
          const config = loadLinkConfig(flags.config);
          const files = two ? [flags.left!, flags.right!] : [flags.input!];
          const data = await loadDataset(config, files);
          const run = runLinkage(config, data, { crossOnly: two });
          const out = stringify({
            header: true,
            columns: [
              'left_id',
              'right_id',
              'match_probability',
              'match_weight',
              'decision',
              ...(flags.evidence ? ['evidence'] : []),
            ],
          });
          const file = fs.createWriteStream(flags.out);
          out.pipe(file);
          let links = 0;
          let reviews = 0;
          for (let p = 0; p < run.pairs.count; p++) {
            const decision = run.decision[p]!;
            if (decision === DECISION.none) continue;
            if (decision === DECISION.link) links++;
            else reviews++;
            // Left is the --left side when linking two files.
            const [a, b] =
              data.side[run.pairs.left[p]!] === 0
                ? [run.pairs.left[p]!, run.pairs.right[p]!]
                : [run.pairs.right[p]!, run.pairs.left[p]!];
            const ok = out.write([
              data.ids[a],
              data.ids[b],
              run.probability[p]!.toFixed(6),
              run.weight[p]!.toFixed(3),
              decision === DECISION.link ? 'link' : 'review',
              ...(flags.evidence ? [JSON.stringify(evidenceOf(run, p))] : []),
            ]);
            if (!ok) await new Promise((resolve) => out.once('drain', resolve));
          }
          out.end();
          await finished(file);
          const summary = {
            records: data.ids.length,
            pairsCompared: run.pairs.count,
            blocking: run.pairs.rules.map(({ rule, pairs, skippedBlocks, skippedRecords }) => ({
              rule,
              pairs,
              skippedBlocks,
              skippedRecords,
            })),
            links,
            reviews,
            entities: run.clusters.entities,
            linksRefusedByUniqueFields: run.clusters.refused,
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
            stepSeconds: Object.fromEntries(
              Object.entries(run.seconds).map(([step, s]) => [step, Number(s.toFixed(2))]),
            ),
            lambda: run.params.lambda,
            parameters: run.params.fields.map((field) => ({
              field: field.name,
              levels: Object.fromEntries(
                field.levels.map((level, i) => [level, { m: field.m[i], u: field.u[i] }]),
              ),
            })),
            em: run.em.sessions,
          };
          if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
          else {
            process.stdout.write(
              `${summary.records} records, ${summary.pairsCompared} pairs compared: ${links} links, ${reviews} for review, ` +
                `${summary.entities} entities, in ${summary.seconds} s. Pairs written to ${flags.out}.\n`,
            );
            for (const rule of summary.blocking)
              process.stdout.write(`  blocking ${rule.rule}: ${rule.pairs} pairs\n`);
          }
        },
      ),
    );

  linkage
    .command('people')
    .description(
      'from a generated caseload, person records with their truth and a link.json to try linkage on',
    )
    .requiredOption('--caseload <dir>', 'a directory written by whereabouts generate')
    .requiredOption('--out <dir>', 'where to write records.csv, truth.csv and link.json')
    .action(
      runAction(async (flags: { caseload: string; out: string }) => {
        const { records } = writePersonRecords(flags.caseload, flags.out);
        fs.writeFileSync(
          path.join(flags.out, 'link.json'),
          `${JSON.stringify(PERSON_LINK_CONFIG, null, 2)}\n`,
        );
        process.stdout.write(
          `${records} person records written to ${flags.out} (records.csv, truth.csv, link.json)\n`,
        );
      }),
    );

  linkage
    .command('evaluate')
    .description('pairwise precision, recall and F1 of the link decisions in pairs.csv against the truth')
    .requiredOption('--pairs <file>', 'pairs.csv from linkage run')
    .requiredOption(
      '--truth <file>',
      'truth.csv: a record id column and an entity column (the first two columns)',
    )
    .option('--json', 'print JSON')
    .action(
      runAction(async (flags: { pairs: string; truth: string; json?: boolean }) => {
        const truthRows = await readCsv(flags.truth);
        const [idColumn, entityColumn] = Object.keys(truthRows[0] ?? {});
        if (!idColumn || !entityColumn)
          throw new AppError('input_invalid', `${flags.truth}: expected an id column and an entity column`);
        const truth = new Map(truthRows.map((row) => [row[idColumn]!, row[entityColumn]!]));
        // Two files linked: a `side` column (left or right) makes the true pairs those across the sides.
        const sideOf =
          'side' in (truthRows[0] ?? {})
            ? new Map(truthRows.map((row) => [row[idColumn]!, row.side === 'right' ? 1 : 0]))
            : undefined;
        const pairs = (await readCsv(flags.pairs))
          .filter((row) => row.decision === 'link')
          .map((row): [string, string] => [row.left_id!, row.right_id!]);
        const scores = pairwiseScores(pairs, truth, sideOf);
        if (flags.json) process.stdout.write(`${JSON.stringify(scores)}\n`);
        else
          process.stdout.write(
            `precision ${scores.precision.toFixed(4)}  recall ${scores.recall.toFixed(4)}  F1 ${scores.f1.toFixed(4)}  ` +
              `(${scores.truePositives} of ${scores.predicted} links true; ${scores.truePairs} true pairs)\n`,
          );
      }),
    );
}

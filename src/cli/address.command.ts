import type { Command } from 'commander';
import { checkAddressFile, judgeAddress, presentElements } from '../addresses';
import { runAction } from './run-action';

export function addressCommand(program: Command): void {
  const address = program
    .command('address')
    .description('parse, standardize and judge U.S. addresses (docs/addresses.md)');

  address
    .command('parse')
    .description('parse one address: its elements, USPS standard lines, verdict and reasons')
    .argument('<text>', 'the address as written')
    .option('--json', 'print JSON')
    .action(
      runAction(async (text: string, flags: { json?: boolean }) => {
        const judgement = judgeAddress(text);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(judgement)}\n`);
          return;
        }
        for (const [element, value] of presentElements(judgement.components)) {
          process.stdout.write(`${element.padEnd(28)}${value}\n`);
        }
        const { delivery_line, last_line } = judgement.standardized;
        process.stdout.write(`\n${delivery_line}\n${last_line}\n\nverdict: ${judgement.verdict}\n`);
        for (const reason of judgement.reasons) {
          process.stdout.write(`  ${reason.code}${reason.detail ? `: ${reason.detail}` : ''}\n`);
        }
      }),
    );

  address
    .command('check')
    .description('add address elements, standard lines and a verdict to every row of a CSV file')
    .requiredOption('--in <file>', 'the CSV file to read')
    .requiredOption('--column <name>', 'the column holding the address')
    .requiredOption('--out <file>', 'where to write the CSV with the added columns')
    .option('--shared-threshold <n>', 'rows at one address that make it shared by many', '4')
    .option('--json', 'print the summary as JSON')
    .action(
      runAction(
        async (flags: {
          in: string;
          column: string;
          out: string;
          sharedThreshold: string;
          json?: boolean;
        }) => {
          const summary = await checkAddressFile({
            input: flags.in,
            column: flags.column,
            output: flags.out,
            sharedThreshold: Number(flags.sharedThreshold),
          });
          for (const problem of summary.problems)
            process.stderr.write(`${flags.in}:${problem.line}: ${problem.reason}\n`);
          if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
          else {
            process.stdout.write(`${summary.rows} rows checked, written to ${flags.out}\n`);
            for (const [verdict, count] of Object.entries(summary.verdicts).sort((a, b) => b[1] - a[1])) {
              process.stdout.write(`  ${verdict.padEnd(20)}${count}\n`);
            }
            if (summary.problems.length > 0) {
              process.stdout.write(
                `${summary.problems.length} rows could not be read whole: see address_error\n`,
              );
            }
          }
          if (summary.problems.length > 0) process.exitCode = 1;
        },
      ),
    );
}

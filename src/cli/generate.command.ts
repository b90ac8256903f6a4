import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { AppError } from '../shared/errors';
import { generateCaseload } from '../synth';
import { runAction } from './run-action';

interface GenerateFlags {
  children: string;
  seed: string;
  out: string;
  start: string;
  end: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function generateCommand(program: Command): void {
  program
    .command('generate')
    .description(
      'write a synthetic caseload: every agency feed, the ground truth and a manifest (no real data)',
    )
    .option('--children <n>', 'how many children', '20000')
    .option('--seed <s>', 'random seed: the same seed and size give byte-identical files', '1')
    .option('--out <dir>', 'output directory', 'caseload')
    .option('--start <date>', 'first transfer date (YYYY-MM-DD)', '2019-01-01')
    .option(
      '--end <date>',
      'last transfer date, and the date the caseload is observed (YYYY-MM-DD)',
      '2023-12-31',
    )
    .action(
      runAction(async (flags: GenerateFlags) => {
        const children = Number(flags.children);
        if (!Number.isInteger(children) || children < 1 || children > 5_000_000) {
          throw new AppError(
            'input_invalid',
            `--children ${flags.children}: expected a whole number from 1 to 5000000`,
          );
        }
        for (const [name, value] of [
          ['--start', flags.start],
          ['--end', flags.end],
        ] as const) {
          const parsed = new Date(`${value}T00:00:00Z`);
          const real =
            ISO_DATE.test(value) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
          if (!real) {
            throw new AppError('input_invalid', `${name} ${value}: expected a date as YYYY-MM-DD`);
          }
        }
        if (flags.start > flags.end)
          throw new AppError('input_invalid', `--start ${flags.start} is after --end ${flags.end}`);
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: 'generating {bar} {value}/{total} children, {eta}s left' })
          : undefined;
        bar?.start(children, 0);
        const started = performance.now();
        const manifest = generateCaseload({
          children,
          seed: /^\d+$/.test(flags.seed) ? Number(flags.seed) : flags.seed,
          out: path.resolve(flags.out),
          start: flags.start,
          end: flags.end,
          onProgress: (done) => bar?.update(done),
        });
        bar?.stop();
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const rows = Object.values(manifest.files).reduce((sum, n) => sum + n, 0);
        process.stdout.write(
          `Wrote ${children.toLocaleString('en-US')} children (${rows.toLocaleString('en-US')} rows) to ${flags.out} in ${seconds} s; see ${path.join(flags.out, 'manifest.json')}.\n`,
        );
      }),
    );
}

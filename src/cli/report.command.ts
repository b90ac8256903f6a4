import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { childrenBehind, type FigureId, nationalReport, type QualityCheckId } from '../reports';
import { AppError } from '../shared/errors';
import { runAction } from './run-action';

interface ReportOptions {
  json?: boolean;
  figure?: string;
  list?: boolean;
  office?: string;
  asOf?: string;
}

export function reportCommand(program: Command): void {
  program
    .command('report')
    .description('the national oversight figures and data-quality scorecard, per field office and in total')
    .option('--json', 'print one JSON object')
    .option('--figure <id>', 'with --list: the figure or quality check whose children to list (e.g. no_nta)')
    .option('--list', 'list the children behind --figure, one id per line')
    .option('--office <code>', 'with --list: only children in this field office (e.g. HOU)')
    .option('--as-of <time>', 'compute as of this ISO date-time instead of now')
    .action(
      runAction(async (options: ReportOptions) => {
        const asOf = options.asOf ? new Date(options.asOf) : new Date();
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts report');
        try {
          if (options.list) {
            if (!options.figure)
              throw new AppError('input_invalid', '--list needs --figure, e.g. --figure no_nta');
            const ids = await childrenBehind(db, options.figure as FigureId | QualityCheckId, {
              asOf,
              ...(options.office ? { office: options.office } : {}),
            });
            process.stdout.write(ids.length ? `${ids.join('\n')}\n` : '');
            return;
          }
          const report = await nationalReport(db, asOf);
          if (options.json) {
            process.stdout.write(`${JSON.stringify(report)}\n`);
            return;
          }
          const { by_field_office, data_quality, asOf: at, ...national } = report;
          console.log(`National figures as of ${at}`);
          console.table(national);
          console.log('By field office');
          console.table(by_field_office);
          console.log('Data quality by field office');
          console.table(data_quality);
        } finally {
          await db.close();
        }
      }),
    );
}

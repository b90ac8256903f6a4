import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { DEFAULT_POLICY_PATH, loadPolicy, RULE_IDS, runSweep } from '../monitoring';
import { runAction } from './run-action';

export function monitorCommand(program: Command): void {
  const monitor = program.command('monitor').description('apply the monitoring policy to every child');
  monitor
    .command('run')
    .description('evaluate every rule for every child; open and close alerts, create and escalate tasks')
    .option('--policy <file>', 'policy file', DEFAULT_POLICY_PATH)
    .option('--as-of <time>', 'evaluate as of this ISO date-time instead of now')
    .option('--json', 'print the counts as one JSON object')
    .action(
      runAction(async (options: { policy: string; asOf?: string; json?: boolean }) => {
        const policy = loadPolicy(options.policy);
        const db = await openPreparedDatabase(loadConfig(), 'whereabouts monitor run');
        try {
          const started = performance.now();
          const result = await runSweep(db, policy, options.asOf ? { asOf: new Date(options.asOf) } : {});
          const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`);
            return;
          }
          const rows = RULE_IDS.map((id) => ({ rule: id, ...result.rules[id] }));
          console.table(rows);
          console.log(
            `${result.tasksCreated} tasks created, ${result.tasksClosed} closed, ${result.tasksEscalated} escalated, in ${seconds} s (as of ${result.asOf})`,
          );
        } finally {
          await db.close();
        }
      }),
    );
}

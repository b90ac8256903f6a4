import type { Command } from 'commander';
import { DEFAULT_POLICY_PATH, loadPolicy, RULE_IDS } from '../monitoring';
import { runAction } from './run-action';

export function policyCommand(program: Command): void {
  program
    .command('policy')
    .description('work with monitoring policy files')
    .command('check')
    .description('validate a policy file; every problem is named by line and column')
    .argument('[file]', 'policy file', DEFAULT_POLICY_PATH)
    .action(
      runAction(async (file: string) => {
        const policy = loadPolicy(file);
        const enabled = RULE_IDS.filter((id) => policy.rules[id].enabled);
        process.stdout.write(
          `${file}: valid — "${policy.name}" version ${policy.version}, effective ${policy.effective}, ${enabled.length} of ${RULE_IDS.length} rules enabled.\n`,
        );
      }),
    );
}

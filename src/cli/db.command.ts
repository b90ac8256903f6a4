import type { Command } from 'commander';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { grantApplicationRole } from '../db/roles';
import { vacuumStore } from '../db/statistics';
import { AppError } from '../shared/errors';
import { runAction } from './run-action';

export function dbCommand(program: Command): void {
  const db = program.command('db').description('database administration');
  db.command('vacuum')
    .description(
      'reclaim dead rows and renew the planner statistics, once after a first load (docs/operations.md); on the embedded database nothing else does',
    )
    .action(
      runAction(async () => {
        const store = await openPreparedDatabase(loadConfig(), 'whereabouts db vacuum');
        try {
          const started = performance.now();
          await vacuumStore(store);
          process.stdout.write(
            `Vacuumed and analyzed in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
          );
        } finally {
          await store.close();
        }
      }),
    );
  db.command('grant-app-role')
    .description(
      'PostgreSQL: give the application role what it needs, and no UPDATE or DELETE on the audit log',
    )
    .argument('<role>', 'the role the application connects as, e.g. whereabouts_app')
    .action(
      runAction(async (role: string) => {
        const config = loadConfig();
        if (!config.databaseUrl)
          throw new AppError(
            'input_invalid',
            'Roles exist only on PostgreSQL: set DATABASE_URL to the owner role’s URL.',
          );
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
          throw new AppError('input_invalid', `${role}: expected a role name in lower case`);
        const store = await openPreparedDatabase(config, 'whereabouts db grant-app-role');
        try {
          await grantApplicationRole(store, role);
          process.stdout.write(`${role} may read and write case data and only append to audit_log.\n`);
        } finally {
          await store.close();
        }
      }),
    );
}

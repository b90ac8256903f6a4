import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { appendAudit } from '../audit';
import { createAccount, findAccount } from '../auth/accounts.repository';
import { hashPassword } from '../auth/passwords';
import { ROLE_GRANTS, ROLES, type Role } from '../auth/permissions';
import { openPreparedDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import type { Database } from '../db';
import { AppError } from '../shared/errors';
import { runAction } from './run-action';

const newPassword = () => randomBytes(15).toString('base64url');

async function withDatabase(purpose: string, work: (db: Database) => Promise<void>) {
  const db = await openPreparedDatabase(loadConfig(), purpose);
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

async function existing(db: Database, username: string) {
  const account = await findAccount(db, username);
  if (!account) throw new AppError('not_found', `No user ${username}.`);
  return account;
}

/** Local accounts for people; every change is an audit entry made by the operator's OS user. */
export function userCommand(program: Command): void {
  const user = program.command('user').description('local user accounts');
  const operator = `cli:${process.env.USER ?? 'operator'}`;
  user
    .command('create')
    .requiredOption('--username <name>', 'sign-in name')
    .requiredOption('--name <display>', 'full name shown in the app')
    .requiredOption('--role <role...>', `one or more of ${ROLES.join(', ')}`)
    .option('--office <code>', 'ERO field office code, for office-scoped roles (e.g. HOU)')
    .option(
      '--region <codes>',
      'for a nationwide role (ORR case manager) limited to a region: its field office codes, e.g. HOU,SNA,DAL',
    )
    .description('create an account; its first password is printed once')
    .action(
      runAction(
        async (flags: {
          username: string;
          name: string;
          role: string[];
          office?: string;
          region?: string;
        }) => {
          const unknown = flags.role.filter((role) => !ROLES.includes(role as Role));
          if (unknown.length)
            throw new AppError('input_invalid', `--role ${unknown.join(', ')}: expected ${ROLES.join(', ')}`);
          const roles = flags.role as Role[];
          if (roles.some((role) => ROLE_GRANTS[role].scope === 'own_office') && !flags.office) {
            throw new AppError(
              'input_invalid',
              `--office is required for ${roles.join(', ')}: they see only their field office's children`,
            );
          }
          await withDatabase('whereabouts user create', async (db) => {
            if (await findAccount(db, flags.username))
              throw new AppError('conflict', `User ${flags.username} exists already.`);
            const password = newPassword();
            await createAccount(db, {
              username: flags.username,
              displayName: flags.name,
              passwordHash: await hashPassword(password),
              roles,
              fieldOfficeCode: flags.office?.toUpperCase() ?? null,
              regionOffices: flags.region
                ? flags.region
                    .split(',')
                    .map((code) => code.trim().toUpperCase())
                    .filter(Boolean)
                : null,
            });
            await appendAudit(db, {
              actor: operator,
              action: 'user.create',
              objectType: 'user',
              objectId: flags.username,
              result: 'succeeded',
              detail: { roles, ...(flags.region ? { region: flags.region } : {}) },
            });
            process.stderr.write(`Created ${flags.username}. First password (shown once):\n`);
            process.stdout.write(`${password}\n`);
          });
        },
      ),
    );
  user
    .command('disable')
    .argument('<username>')
    .description('stop an account from signing in, and end its sessions')
    .action(
      runAction(async (username: string) => {
        await withDatabase('whereabouts user disable', async (db) => {
          const account = await existing(db, username);
          await db.query('update users set disabled = true where id = $1', [account.id]);
          await db.query('delete from sessions where user_id = $1', [account.id]);
          await appendAudit(db, {
            actor: operator,
            action: 'user.disable',
            objectType: 'user',
            objectId: username,
            result: 'succeeded',
          });
          process.stdout.write(`${username} is disabled; its sessions are ended.\n`);
        });
      }),
    );
  user
    .command('reset-password')
    .argument('<username>')
    .description('set a new password (printed once), lift a lockout, end the sessions')
    .action(
      runAction(async (username: string) => {
        await withDatabase('whereabouts user reset-password', async (db) => {
          const account = await existing(db, username);
          const password = newPassword();
          await db.query(
            'update users set password_hash = $2, failed_sign_ins = 0, locked_until = null where id = $1',
            [account.id, await hashPassword(password)],
          );
          await db.query('delete from sessions where user_id = $1', [account.id]);
          await appendAudit(db, {
            actor: operator,
            action: 'user.reset_password',
            objectType: 'user',
            objectId: username,
            result: 'succeeded',
          });
          process.stderr.write(`New password for ${username} (shown once):\n`);
          process.stdout.write(`${password}\n`);
        });
      }),
    );
}

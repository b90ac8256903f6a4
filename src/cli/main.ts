// The `whereabouts` command. Each subcommand lives in its own file and registers itself here.
import { Command } from 'commander';
import { addressCommand } from './address.command';
import { auditCommand } from './audit.command';
import { dbCommand } from './db.command';
import { generateCommand } from './generate.command';
import { ingestCommand } from './ingest.command';
import { linkCommand } from './link.command';
import { linkageCommand } from './linkage.command';
import { migrateCommand } from './migrate.command';
import { monitorCommand } from './monitor.command';
import { policyCommand } from './policy.command';
import { rebuildCommand } from './rebuild.command';
import { rejectionsCommand } from './rejections.command';
import { reportCommand } from './report.command';
import { serveCommand } from './serve.command';
import { tokenCommand } from './token.command';
import { userCommand } from './user.command';
import { workerCommand } from './worker.command';

const program = new Command('whereabouts')
  .description(
    'Whereabouts: know where every child released from federal custody is, and whether the child is safe',
  )
  .showHelpAfterError();

const commands = [
  serveCommand,
  workerCommand,
  migrateCommand,
  generateCommand,
  ingestCommand,
  rejectionsCommand,
  rebuildCommand,
  monitorCommand,
  policyCommand,
  reportCommand,
  tokenCommand,
  userCommand,
  auditCommand,
  dbCommand,
  addressCommand,
  linkCommand,
  linkageCommand,
];
for (const register of commands) register(program);

await program.parseAsync(process.argv);

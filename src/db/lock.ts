import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors';

/**
 * PGlite is one process with one connection: two processes opening the same data directory would corrupt
 * it. A lock file holding the owner's pid keeps the second one out with a message saying what to do.
 */
export function acquireDataDirLock(dataDir: string, purpose: string): () => void {
  const lockPath = path.join(dataDir, 'db.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(
        lockPath,
        JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }),
        {
          flag: 'wx',
          mode: 0o600,
        },
      );
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(lockPath);
      if (holder && isAlive(holder.pid)) {
        throw new AppError(
          'database_busy',
          `The embedded database in ${dataDir} is in use by process ${holder.pid} (${holder.purpose}). ` +
            'Stop that process first, or run Whereabouts on PostgreSQL (set DATABASE_URL) so several processes can share it.',
        );
      }
      fs.rmSync(lockPath, { force: true }); // left by a process that died; take it over
    }
  }
  throw new AppError('database_busy', `Could not lock the embedded database in ${dataDir}.`);
}

function readLock(lockPath: string): { pid: number; purpose: string } | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: unknown; purpose?: unknown };
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, purpose: String(parsed.purpose) } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

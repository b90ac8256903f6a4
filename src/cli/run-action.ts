import { AppError, exitCodeFor } from '../shared/errors';

/**
 * Wraps a subcommand so that an expected failure prints one line naming what went wrong and exits with its
 * code; only a genuine bug prints a stack trace.
 */
export function runAction<Args extends unknown[]>(action: (...args: Args) => Promise<void>) {
  return async (...args: Args): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      if (error instanceof AppError) {
        process.stderr.write(`whereabouts: ${error.message}\n`);
        process.exitCode = exitCodeFor(error.code);
        return;
      }
      throw error;
    }
  };
}

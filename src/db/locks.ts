import type { Sql } from './database';

/**
 * Work that must not interleave, across every process on one database: each takes its lock for the rest of its
 * transaction (`pg_advisory_xact_lock`), so a crash releases it. Numbers are arbitrary and fixed; on the
 * embedded database there is one process and the locks cost nothing.
 */
export const LOCKS = {
  /** Appending to the audit chain: each entry hashes the one before. */
  auditChain: 7367001,
  /** Linking records to children (a chunk at ingest, or a relink): two at once could both create the same child. */
  linking: 7367002,
  /** A monitoring sweep: two at once could both open the same alert or task. */
  sweep: 7367003,
  /**
   * The report's counters (src/reports/summaries.ts): a refresh writes the same counter rows in several statements,
   * so two at once could each hold a row the other needs next.
   */
  reportCounters: 7367004,
} as const;

export async function holdLock(sql: Sql, lock: keyof typeof LOCKS): Promise<void> {
  await sql.query('select pg_advisory_xact_lock($1)', [LOCKS[lock]]);
}

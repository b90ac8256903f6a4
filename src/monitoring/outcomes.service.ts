import { storeAddresses } from '../addresses/addresses.repository';
import { refreshChildState } from '../cases/projection';
import type { Sql } from '../db';
import type { Policy } from './policy.schema';
import { type SweepResult, sweepIn } from './sweep.service';
import type { ChildOutcome } from './tasks.schema';

export interface RecordedOutcome {
  eventType: string;
  sweep: SweepResult;
}

/** The event an outcome is recorded as, and what it says. */
function eventOf(outcome: ChildOutcome): { type: string; data: Record<string, unknown> } {
  switch (outcome.kind) {
    case 'contact_made':
      return { type: 'contact_verified', data: { method: outcome.method } };
    case 'welfare_check':
      return { type: 'welfare_check', data: { result: outcome.result } };
    case 'locate_attempt':
      return { type: 'locate_attempt', data: { result: outcome.result } };
    case 'address_confirmed':
      return { type: 'address_confirmed', data: {} };
    case 'address_changed':
      return { type: 'address_changed', data: { address: outcome.address } };
    case 'tip_triaged':
      return { type: 'tip_triaged', data: { tip: outcome.tip, decision: outcome.decision } };
  }
}

/**
 * Records what an officer found as an event on the child's timeline, recomputes the child's state from the
 * events, and sweeps that child again — all in the caller's transaction, so the alerts an outcome clears close
 * with it (and the tasks with them), or nothing is written at all.
 */
export async function recordOutcome(
  sql: Sql,
  policy: Policy,
  input: {
    childId: number;
    outcome: ChildOutcome;
    recordedBy: string;
    occurredAt?: Date;
    taskId?: number;
    note?: string;
  },
): Promise<RecordedOutcome> {
  const { type, data } = eventOf(input.outcome);
  if (input.outcome.kind === 'address_changed') await storeAddresses(sql, [input.outcome.address], []);
  const occurredAt = input.occurredAt ?? new Date();
  await sql.query(`insert into events (child_id, type, occurred_at, data) values ($1, $2, $3, $4)`, [
    input.childId,
    type,
    occurredAt.toISOString(),
    JSON.stringify({
      ...data,
      recorded_by: input.recordedBy,
      ...(input.taskId ? { task_id: input.taskId } : {}),
      ...(input.note ? { note: input.note } : {}),
    }),
  ]);
  await refreshChildState(sql, [input.childId]);
  const sweep = await sweepIn(sql, policy, {
    childIds: [input.childId],
    asOf: new Date(Math.max(Date.now(), occurredAt.getTime())),
  });
  return { eventType: type, sweep };
}

import type { Sql } from '../db';

/** Children read per statement. */
const SLICE = 100_000;

// A child's identifier bits.
const A_NUMBER = 1;
const ORR_ID = 2;

/**
 * By child id, which identifiers the child is known to hold: read with the store, set as linking fills them, so that
 * linking updates only the children that lack one. A child's identifiers, once filled, are never emptied, so a set
 * bit stays true; a clear one only costs linking an update that finds nothing to fill. Held by the identity index,
 * and forgotten with it when a rollback clears it.
 */
export class ChildIdentifiers {
  private bits = new Uint8Array(1 << 10);

  /** Which identifiers the store's children hold (those without either are not read). */
  async read(sql: Sql): Promise<void> {
    for (let last = 0; ; ) {
      const rows = await sql.query<{ id: number; a_number: boolean; orr_id: boolean }>(
        `select id, a_number is not null as a_number, orr_id is not null as orr_id from children
         where id > $1 and (a_number is not null or orr_id is not null) order by id limit $2`,
        [last, SLICE],
      );
      for (const row of rows) this.note(Number(row.id), row.a_number, row.orr_id);
      if (rows.length < SLICE) return;
      last = Number(rows.at(-1)!.id);
    }
  }

  /** Whether the child is known to hold an A-number (`aNumber`) or an ORR id. */
  holds(childId: number, identifier: 'aNumber' | 'orrId'): boolean {
    const bit = identifier === 'aNumber' ? A_NUMBER : ORR_ID;
    return childId < this.bits.length && (this.bits[childId]! & bit) !== 0;
  }

  /** The child holds these identifiers now (in the caller's transaction: a rollback clears the index). */
  note(childId: number, aNumber: boolean, orrId: boolean): void {
    if (childId >= this.bits.length) {
      let capacity = this.bits.length;
      while (capacity <= childId) capacity *= 2;
      const larger = new Uint8Array(capacity);
      larger.set(this.bits);
      this.bits = larger;
    }
    this.bits[childId]! |= (aNumber ? A_NUMBER : 0) | (orrId ? ORR_ID : 0);
  }
}

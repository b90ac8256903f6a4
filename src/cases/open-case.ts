/** Court outcomes that end a case (and the monitoring of it), as an SQL list. */
export const CASE_ENDING_OUTCOMES_SQL = `('relief_granted', 'removal_order', 'in_absentia_order', 'case_closed', 'removed')`;

/**
 * A case still open, on `child_state cs`: no outcome that ends it, and the child not yet 18 (`aged_out`, judged by
 * the sweep as of its time) — monitoring a released child is a juvenile matter. One definition for the rules, the
 * figures and the worklists.
 */
export const OPEN_CASE_SQL = `cs.status not in ${CASE_ENDING_OUTCOMES_SQL} and not cs.aged_out`;

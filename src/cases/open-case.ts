/** A case still open (no outcome that ends the work): the condition on `child_state cs` worklists use. */
export const OPEN_CASE_SQL = `cs.status not in ('relief_granted', 'removal_order', 'in_absentia_order', 'case_closed', 'removed', 'aged_out')`;

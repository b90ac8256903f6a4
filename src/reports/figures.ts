import { DEFECTIVE_VERDICTS_SQL } from '../addresses';
import { OPEN_CASE_SQL } from '../cases/open-case';
/**
 * The oversight figures, each defined once as a condition on a child's current state (`cs`, child_state;
 * `ch`, children). Totals, per-office breakdowns and the list of children behind a figure all come from the
 * same definition, so every number can be traced to the children it counts.
 */
export interface FigureDefinition {
  label: string;
  /** SQL boolean expression over `cs` and `ch`; `$1` is the as-of time. */
  condition: string;
}

const OPEN_CASE = OPEN_CASE_SQL;
const DEFECTIVE_ADDRESS = DEFECTIVE_VERDICTS_SQL;

/**
 * Since when a released child with an open case has gone without a verified contact (`-infinity` when never
 * contacted); null for any other child. The one figure that moves with the clock alone: a child is stale as of
 * a time when this lies more than STALE_CONTACT_AFTER before it (the report summaries keep it per month).
 */
export const STALE_CONTACT_SINCE = `case when cs.released_at is not null and ${OPEN_CASE}
  then coalesce(cs.last_verified_contact_at, '-infinity'::timestamptz) end`;
export const STALE_CONTACT_AFTER = '90 days';

export const FIGURES = {
  transferred: { label: 'Transferred from ICE to ORR', condition: 'cs.transferred_at is not null' },
  released: { label: 'Released to a sponsor', condition: 'cs.released_at is not null' },
  no_nta: {
    label: 'Never issued a Notice to Appear',
    condition: 'cs.nta_issued_at is null and (cs.released_at is not null or cs.transferred_at is not null)',
  },
  nta_not_filed: {
    label: 'NTA issued but not filed with the court',
    condition: 'cs.nta_issued_at is not null and cs.nta_filed_at is null',
  },
  failed_to_appear: { label: 'Failed to appear at a hearing', condition: 'cs.failed_to_appear_count > 0' },
  address_defects: {
    label: 'Release forms with a missing, incomplete or undeliverable address',
    condition: `cs.release_address_verdict in ${DEFECTIVE_ADDRESS}`,
  },
  runaways: { label: 'Reported as runaways', condition: 'cs.runaway_reported_at is not null' },
  whereabouts_unknown: {
    label: 'Whereabouts unknown (released, case open)',
    condition: `cs.released_at is not null and cs.whereabouts = 'unknown' and ${OPEN_CASE}`,
  },
  locate_attempted_after_fta: {
    label: 'Failed to appear, with a locate attempt since',
    condition: `cs.failed_to_appear_count > 0 and exists (select 1 from events e where e.child_id = cs.child_id
                and e.type = 'locate_attempt' and e.occurred_at >= cs.last_failed_to_appear_at)`,
  },
} as const satisfies Record<string, FigureDefinition>;
export type FigureId = keyof typeof FIGURES;

/** The data-quality scorecard: what an office should clean up in its records. */
export const QUALITY_CHECKS = {
  address_blank: { label: 'Release address blank', condition: `cs.release_address_verdict = 'missing'` },
  address_undeliverable: {
    label: 'Release address undeliverable or inconsistent',
    condition: `cs.release_address_verdict in ('incomplete', 'zip_mismatch', 'returned_mail', 'po_box', 'general_delivery', 'non_residential')`,
  },
  address_without_unit: {
    label: 'Release address missing its unit',
    condition: `cs.release_address_verdict = 'missing_unit'`,
  },
  missing_nta: { label: 'No NTA issued', condition: FIGURES.no_nta.condition },
  stale_contact: {
    label: 'No verified contact in 90 days',
    condition: `(${STALE_CONTACT_SINCE}) < $1::timestamptz - interval '${STALE_CONTACT_AFTER}'`,
  },
  no_identifier: {
    label: 'No A-number and no ORR id',
    condition: 'ch.a_number is null and ch.orr_id is null',
  },
} as const satisfies Record<string, FigureDefinition>;
export type QualityCheckId = keyof typeof QUALITY_CHECKS;

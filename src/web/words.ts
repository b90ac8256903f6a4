// Plain words for the codes the API returns, so a tired case worker never has to decode them.

export const number = (value: number) => value.toLocaleString('en-US');
export const percent = (share: number) => `${Math.round(share * 100)}%`;

export function day(value: unknown): string {
  if (!value) return '—';
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

export function dateTime(value: string): string {
  return new Date(value).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A-numbers are shown the way officers write them: A-123-456-789. */
export function aNumber(value: string | null | undefined): string {
  if (!value) return '—';
  const digits = value.replace(/\D/g, '').padStart(9, '0');
  return digits.length === 9 ? `A-${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}` : value;
}

export const words = (code: string | null | undefined, table: Record<string, string>) =>
  code ? (table[code] ?? code.replaceAll('_', ' ')) : '—';

/** The national figures, in the order oversight reads them (src/reports/figures.ts defines each). */
export const FIGURE_LABELS = {
  transferred: 'Transferred to ORR',
  released: 'Released to a sponsor',
  no_nta: 'Never issued a Notice to Appear',
  nta_not_filed: 'NTA not filed with the court',
  failed_to_appear: 'Failed to appear at a hearing',
  address_defects: 'Release forms with a defective address',
  runaways: 'Reported as runaways',
  whereabouts_unknown: 'Whereabouts unknown',
} as const;
export type FigureKey = keyof typeof FIGURE_LABELS;
export const FIGURE_KEYS = Object.keys(FIGURE_LABELS) as FigureKey[];

export const QUALITY_LABELS: Record<string, string> = {
  address_blank: 'Release address blank',
  address_undeliverable: 'Release address undeliverable or inconsistent',
  address_without_unit: 'Release address missing its unit',
  missing_nta: 'No NTA issued',
  stale_contact: 'No verified contact in 90 days',
  no_identifier: 'No A-number and no ORR id',
};

export const PURPOSE_LABELS: Record<string, string> = {
  fta_follow_up: 'Follow up a failure to appear',
  safety_check: 'Check on the child’s safety',
  address_verification: 'Verify the address',
  court_preparation: 'Prepare for a court date',
  runaway_locate: 'Locate a child reported as a runaway',
  tip_triage: 'Triage a tip',
  supervision_review: 'Supervisory review',
  other: 'Other (say why in the note)',
};

export const STATUS_LABELS: Record<string, string> = {
  unknown: 'Unknown',
  in_orr_care: 'In ORR care',
  released: 'Released to a sponsor',
  nta_issued: 'NTA issued, not yet filed',
  nta_filed: 'NTA filed with the court',
  hearing_scheduled: 'Hearing scheduled',
  in_proceedings: 'In court proceedings',
  relief_granted: 'Relief granted',
  removal_order: 'Removal order',
  in_absentia_order: 'Ordered removed in absentia',
  case_closed: 'Case closed',
  removed: 'Removed',
  aged_out: 'Turned 18',
};

export const WHEREABOUTS_LABELS: Record<string, string> = {
  verified: 'Verified — recent contact confirmed where the child lives',
  unverified: 'Unverified — an address is known but nobody has confirmed it lately',
  unknown: 'Unknown — nobody knows where the child is',
};

export const VERDICT_LABELS: Record<string, string> = {
  missing: 'Missing — no address',
  incomplete: 'Incomplete — a part a letter carrier needs is absent',
  zip_mismatch: 'ZIP code does not match the city or state',
  po_box: 'Post-office box, not a residence',
  general_delivery: 'General delivery, not a residence',
  non_residential: 'Not a residence (office, court, shelter, hotel …)',
  returned_mail: 'Mail sent here came back',
  missing_unit: 'Missing the apartment or unit number',
  shared_by_many: 'Four or more children at this door — review',
  deliverable_likely: 'Likely deliverable — nothing found against it',
};

export const SOURCE_LABELS: Record<string, string> = {
  ice: 'ICE',
  orr: 'ORR',
  eoir: 'EOIR (immigration court)',
  mail: 'Returned mail',
  tips: 'Tip line',
};

export const LINK_METHOD_LABELS: Record<string, string> = {
  new_child: 'First record of this child',
  same_identity: 'Written exactly as another record of this child',
  identifier: 'Same A-number or ORR case id',
  linked: 'Matched on name, birth date and other fields',
  decided: 'Decided by a person in identity review',
};

export const EVENT_LABELS: Record<string, string> = {
  apprehended: 'Apprehended',
  transferred_to_orr: 'Transferred to ORR custody',
  released_to_sponsor: 'Released to a sponsor',
  safety_call: 'Safety and well-being call',
  runaway_reported: 'Reported as a runaway',
  significant_incident: 'Significant incident',
  nta_issued: 'Notice to Appear issued',
  nta_served: 'Notice to Appear served',
  nta_filed: 'Notice to Appear filed with the court',
  hearing_scheduled: 'Hearing scheduled',
  hearing_attended: 'Attended a hearing',
  failed_to_appear: 'Failed to appear at a hearing',
  in_absentia_order: 'Ordered removed in absentia',
  venue_changed: 'Court changed',
  address_changed: 'Address changed',
  relief_granted: 'Relief granted',
  case_closed: 'Case closed',
  removed: 'Removed',
  aged_out: 'Turned 18',
  tip_received: 'Tip received',
  contact_verified: 'Contact verified',
  locate_attempt: 'Locate attempt',
  welfare_check: 'Welfare check',
  address_confirmed: 'Address confirmed',
  tip_triaged: 'Tip triaged',
  hearing_continued: 'Hearing continued',
  attorney_of_record: 'Attorney of record',
  notice_returned: 'Court notice returned',
  mail_returned: 'Mail returned',
  protection_reported: 'Protection reported',
};

export const HEARING_EVENTS = new Set([
  'hearing_scheduled',
  'hearing_attended',
  'failed_to_appear',
  'hearing_continued',
  'in_absentia_order',
  'venue_changed',
]);

export const SPONSOR_CATEGORIES: Record<string, string> = {
  '1': 'Category 1 — parent or legal guardian',
  '2': 'Category 2 — close relative',
  '3': 'Category 3 — distant relative or unrelated adult',
  '4': 'Category 4 — no sponsor identified',
};

/** The monitoring rules (src/monitoring/policy.schema.ts), as a case worker would say them. */
export const RULE_LABELS: Record<string, string> = {
  no_nta: 'No Notice to Appear issued',
  nta_not_filed: 'NTA not filed with the court',
  hearing_address_risk: 'Hearing notice may not reach the child',
  failed_to_appear: 'Failed to appear at a hearing',
  runaway: 'Reported as a runaway',
  safety_call_followup: 'Safety call needs follow-up',
  no_recent_contact: 'No recent contact',
  shared_sponsor_or_address: 'Sponsor or address shared with other children',
  age_out: 'Turning 18 soon',
  tip_triage: 'Tip to triage',
};

export const TASK_STATE_LABELS: Record<string, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  escalated: 'Escalated',
};

/** How a task ends (TASK_OUTCOMES in src/monitoring/tasks.schema.ts); the queue offers all but address_changed. */
export const TASK_OUTCOME_LABELS: Record<string, string> = {
  contact_made: 'Contact made',
  child_located: 'Locate attempt: child found',
  locate_attempt_failed: 'Locate attempt: child not found',
  address_confirmed: 'Address confirmed',
  welfare_check_safe: 'Welfare check: seen safe',
  welfare_check_concerns: 'Welfare check: concerns raised',
  welfare_check_not_found: 'Welfare check: not reached',
  tip_concerns_child: 'Tip concerns this child',
  tip_not_this_child: 'Tip is not about this child',
  missing_child_report_filed: 'Missing-child report filed',
  referred: 'Referred to another agency',
  nta_action_taken: 'NTA action taken',
  no_action_needed: 'No action needed',
};

/** Why an address got its verdict (src/addresses/judge.ts REASONS; docs/addresses.md explains each). */
export const ADDRESS_REASON_LABELS: Record<string, string> = {
  blank: 'No address was written',
  placeholder: 'A placeholder instead of an address (“unknown”, “same as sponsor” …)',
  no_address_number: 'No house number',
  no_street_name: 'No street name',
  no_city: 'No city',
  no_state: 'No state',
  no_zip: 'No ZIP code',
  zip_unknown: 'The ZIP code does not exist',
  zip_in_other_state: 'The ZIP code belongs to another state',
  zip_far_from_city: 'The ZIP code is far from the city',
  po_box: 'A post-office box',
  general_delivery: 'General delivery',
  non_residential: 'A place where nobody lives (office, court, shelter, hotel …)',
  mail_returned: 'Mail sent here came back undeliverable',
  apartment_complex_without_unit: 'An apartment complex, with no unit number',
  units_at_same_address: 'Other records name units at this building; this one has none',
  shared_by_many: 'Many children at this door',
};

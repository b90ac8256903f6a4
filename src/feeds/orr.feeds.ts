import { z } from 'zod';
import { defineFeedFormat } from './feed-format';
import {
  date,
  integer,
  oneOf,
  optionalANumber,
  optionalBoolean,
  optionalOneOf,
  optionalText,
  optionalZip,
  text,
} from './fields';

/**
 * ORR releases to sponsors, one row per release, as ORR's case management system exports them. The sponsor
 * address comes twice: as typed on the release form (one free-text field) and as split fields, which may
 * disagree with it.
 */
export const OrrRelease = z.object({
  orr_case_id: text('orr_case_id', 20),
  a_number: optionalANumber('a_number'),
  child_first_name: text('child_first_name', 100),
  child_last_name: text('child_last_name', 100),
  child_dob: date('child_dob'),
  child_gender: oneOf('child_gender', ['Male', 'Female', 'Unknown']),
  country_of_origin: text('country_of_origin', 60),
  facility_name: optionalText('facility_name', 120),
  admission_date: date('admission_date'),
  release_date: date('release_date'),
  sponsor_name: optionalText('sponsor_name', 160),
  sponsor_relationship: optionalText('sponsor_relationship', 60),
  sponsor_category: integer('sponsor_category', 1, 4),
  sponsor_phone: optionalText('sponsor_phone', 30),
  sponsor_address: optionalText('sponsor_address', 300),
  sponsor_street: optionalText('sponsor_street', 200),
  sponsor_apt: optionalText('sponsor_apt', 30),
  sponsor_city: optionalText('sponsor_city', 80),
  sponsor_state: optionalText('sponsor_state', 30),
  sponsor_zip: optionalZip('sponsor_zip'),
});
export type OrrRelease = z.infer<typeof OrrRelease>;

export const orrReleasesV1 = defineFeedFormat({
  source: 'orr',
  kind: 'orr_releases',
  version: '1',
  encoding: 'csv',
  schema: OrrRelease,
  sourceKey: (row) => row.orr_case_id,
});

/** After release: safety and well-being calls, runaway reports, incident reports, address changes, legal-service reports. */
export const OrrPostReleaseEvent = z.object({
  record_id: text('record_id', 40),
  orr_case_id: text('orr_case_id', 20),
  event_type: oneOf('event_type', [
    'safety_call',
    'runaway',
    'significant_incident',
    'address_change',
    'legal_service_report',
  ]),
  event_date: date('event_date'),
  call_outcome: optionalOneOf('call_outcome', ['reached', 'not_reached', 'concerns']),
  lives_with_sponsor: optionalBoolean('lives_with_sponsor'),
  enrolled_in_school: optionalBoolean('enrolled_in_school'),
  knows_court_date: optionalBoolean('knows_court_date'),
  summary: optionalText('summary', 2000),
  new_address: optionalText('new_address', 300),
  protection_type: optionalOneOf('protection_type', ['t_visa', 'u_visa', 'vawa']),
  reported_by: optionalText('reported_by', 120),
});
export type OrrPostReleaseEvent = z.infer<typeof OrrPostReleaseEvent>;

export const orrPostReleaseV1 = defineFeedFormat({
  source: 'orr',
  kind: 'orr_post_release',
  version: '1',
  encoding: 'jsonl',
  schema: OrrPostReleaseEvent,
  sourceKey: (row) => row.record_id,
});

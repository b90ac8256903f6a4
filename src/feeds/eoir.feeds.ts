import { z } from 'zod';
import { defineFeedFormat } from './feed-format';
import { aNumber, date, oneOf, optionalBoolean, optionalDate, optionalText, text } from './fields';

export const EOIR_EVENT_CODES = [
  'HEARING_SCHEDULED',
  'HEARING_ATTENDED',
  'FAILED_TO_APPEAR',
  'IN_ABSENTIA_ORDER',
  'CONTINUED',
  'VENUE_CHANGED',
  'RELIEF_GRANTED',
  'CASE_CLOSED',
  'ADDRESS_CHANGED',
  'ATTORNEY_OF_RECORD',
  'NOTICE_RETURNED',
] as const;

/**
 * EOIR court records, one row per case event, keyed by the court's event id. Names as the court recorded them
 * (often one surname); the A-number is how EOIR identifies a respondent.
 */
export const EoirCaseEvent = z.object({
  event_id: text('event_id', 40),
  alien_number: aNumber('alien_number'),
  respondent_last_name: text('respondent_last_name', 100),
  respondent_first_name: text('respondent_first_name', 100),
  base_city_code: text('base_city_code', 10),
  event_code: oneOf('event_code', EOIR_EVENT_CODES),
  event_date: date('event_date'),
  hearing_date: optionalDate('hearing_date'),
  new_base_city_code: optionalText('new_base_city_code', 10),
  address_of_record: optionalText('address_of_record', 300),
  attorney_present: optionalBoolean('attorney_present'),
});
export type EoirCaseEvent = z.infer<typeof EoirCaseEvent>;

export const eoirCaseEventsV1 = defineFeedFormat({
  source: 'eoir',
  kind: 'eoir_case_events',
  version: '1',
  encoding: 'csv',
  schema: EoirCaseEvent,
  sourceKey: (row) => row.event_id,
});

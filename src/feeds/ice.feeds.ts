import { z } from 'zod';
import { defineFeedFormat } from './feed-format';
import { aNumber, date, oneOf, optionalDate, optionalText, text } from './fields';

/**
 * ICE/CBP apprehension and transfer-to-ORR records, as ICE's systems export them: upper-case column names,
 * names as written at the border (upper case, accents usually lost), US-style dates.
 */
export const IceApprehension = z.object({
  EVENT_ID: text('EVENT_ID', 40),
  A_NUMBER: aNumber('A_NUMBER'),
  LAST_NAME: text('LAST_NAME', 100),
  FIRST_NAME: text('FIRST_NAME', 100),
  DOB: date('DOB', 'us'),
  SEX: oneOf('SEX', ['M', 'F', 'U']),
  COUNTRY_OF_CITIZENSHIP: text('COUNTRY_OF_CITIZENSHIP', 60),
  APPREHENSION_DATE: date('APPREHENSION_DATE', 'us'),
  BORDER_SECTOR: optionalText('BORDER_SECTOR', 60),
  TRANSFER_TO_ORR_DATE: optionalDate('TRANSFER_TO_ORR_DATE', 'us'),
});
export type IceApprehension = z.infer<typeof IceApprehension>;

export const iceApprehensionsV1 = defineFeedFormat({
  source: 'ice',
  kind: 'ice_apprehensions',
  version: '1',
  encoding: 'csv',
  schema: IceApprehension,
  sourceKey: (row) => row.EVENT_ID,
});

/** ICE Notices to Appear (Form I-862): issued, served on the child, filed with the immigration court. */
export const IceNoticeToAppear = z.object({
  NTA_ID: text('NTA_ID', 40),
  A_NUMBER: aNumber('A_NUMBER'),
  LAST_NAME: text('LAST_NAME', 100),
  FIRST_NAME: text('FIRST_NAME', 100),
  DOB: date('DOB', 'us'),
  ISSUED_DATE: date('ISSUED_DATE', 'us'),
  SERVED_DATE: optionalDate('SERVED_DATE', 'us'),
  FILED_DATE: optionalDate('FILED_DATE', 'us'),
  ISSUING_OFFICE: optionalText('ISSUING_OFFICE', 10),
});
export type IceNoticeToAppear = z.infer<typeof IceNoticeToAppear>;

export const iceNoticesToAppearV1 = defineFeedFormat({
  source: 'ice',
  kind: 'ice_ntas',
  version: '1',
  encoding: 'csv',
  schema: IceNoticeToAppear,
  sourceKey: (row) => row.NTA_ID,
});

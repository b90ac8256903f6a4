import { z } from 'zod';
import { defineFeedFormat } from './feed-format';
import { date, oneOf, optionalANumber, optionalText, optionalZip, text } from './fields';

/** Mail that came back: the ORR release card and court hearing notices. A returned piece says the address fails. */
export const MailReturn = z.object({
  return_id: text('return_id', 40),
  mail_type: oneOf('mail_type', ['release_card', 'hearing_notice']),
  sent_date: date('sent_date'),
  returned_date: date('returned_date'),
  return_reason: oneOf('return_reason', [
    'insufficient_address',
    'no_such_number',
    'attempted_not_known',
    'vacant',
    'unable_to_forward',
  ]),
  addressee: text('addressee', 160),
  address_line: optionalText('address_line', 200),
  city: optionalText('city', 80),
  state: optionalText('state', 30),
  zip: optionalZip('zip'),
  a_number: optionalANumber('a_number'),
  orr_case_id: optionalText('orr_case_id', 20),
});
export type MailReturn = z.infer<typeof MailReturn>;

export const mailReturnsV1 = defineFeedFormat({
  source: 'mail',
  kind: 'mail_returns',
  version: '1',
  encoding: 'csv',
  schema: MailReturn,
  sourceKey: (row) => row.return_id,
});

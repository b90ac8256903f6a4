import { z } from 'zod';
import { defineFeedFormat } from './feed-format';
import { date, integer, oneOf, optionalText, text } from './fields';

/** Tips from the public, hotlines and partners: free text with whatever partial identifiers the caller gave. */
export const Tip = z.object({
  tip_id: text('tip_id', 40),
  received_date: date('received_date'),
  channel: oneOf('channel', ['hotline', 'email', 'web_form', 'partner_referral']),
  text: text('text', 4000),
  name_mentioned: optionalText('name_mentioned', 160),
  approximate_age: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    integer('approximate_age', 0, 25).optional(),
  ),
  street_or_town: optionalText('street_or_town', 200),
  phone: optionalText('phone', 30),
});
export type Tip = z.infer<typeof Tip>;

export const tipsV1 = defineFeedFormat({
  source: 'tips',
  kind: 'tips',
  version: '1',
  encoding: 'jsonl',
  schema: Tip,
  sourceKey: (row) => row.tip_id,
});

import { bigint, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Every distinct address text the feeds have named (sponsor addresses, address changes, returned mail), its
 * elements, its USPS standard form and the verdict on it. `own_reasons` come from the text alone; `reasons`
 * add what other records show (units at the same building, returned mail, many children at one address).
 */
export const addresses = pgTable(
  'addresses',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    rawText: text('raw_text').notNull(),
    components: jsonb('components').notNull().default({}),
    deliveryLine: text('delivery_line'),
    lastLine: text('last_line'),
    state: text('state'),
    zipCode: text('zip_code'),
    /** Standard delivery line without the unit, and ZIP: the building. */
    buildingKey: text('building_key'),
    /** Standard delivery line with the unit, and ZIP: the door a notice goes to. */
    deliveryPoint: text('delivery_point'),
    hasUnit: boolean('has_unit').notNull().default(false),
    /** Mail sent to this address came back undeliverable. */
    mailReturned: boolean('mail_returned').notNull().default(false),
    ownReasons: jsonb('own_reasons').notNull().default([]),
    verdict: text('verdict').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
    judgedAt: timestamp('judged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('addresses_raw_text').on(table.rawText),
    index('addresses_building').on(table.buildingKey),
    index('addresses_delivery_point').on(table.deliveryPoint),
  ],
);

import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A sponsor or court address as written, its components, its USPS-standard form and the verdict on it. */
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
    verdict: text('verdict').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
    judgedAt: timestamp('judged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('addresses_delivery').on(table.deliveryLine, table.zipCode)],
);

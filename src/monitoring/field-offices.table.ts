import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** The 25 ICE ERO areas of responsibility (reference data, loaded from field-offices.json). */
export const fieldOffices = pgTable('field_offices', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  city: text('city').notNull(),
});

/**
 * Which office covers which place. A state served by one office has one row with zip3 = '*'; a state
 * split between offices (Texas, California, New York) has one row per three-digit ZIP prefix.
 */
export const fieldOfficeAreas = pgTable(
  'field_office_areas',
  {
    state: text('state').notNull(),
    zip3: text('zip3').notNull(),
    officeCode: text('office_code')
      .notNull()
      .references(() => fieldOffices.code),
  },
  (table) => [primaryKey({ columns: [table.state, table.zip3] })],
);

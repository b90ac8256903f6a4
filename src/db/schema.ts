// The one Drizzle schema: every capability's tables, gathered for the ORM and for drizzle-kit.
export * from '../addresses/addresses.table';
export * from '../audit/audit.table';
export * from '../auth/auth.table';
export * from '../cases/cases.table';
export * from '../identity/identity.table';
export * from '../ingest/ingest.table';
export * from '../monitoring/field-offices.table';
export * from '../monitoring/monitoring.table';
export * from '../reports/summaries.table';

import type { Sql } from './database';

/**
 * Least privilege on PostgreSQL: the application connects as a role that may read and write case data but can
 * only append to the audit log — UPDATE and DELETE on it are not granted, so even a compromised application
 * cannot quietly rewrite history. Run by the migrating (owner) role after migrations.
 */
export async function grantApplicationRole(sql: Sql, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`not a safe role name: ${role}`);
  await sql.exec(`
    grant usage on schema public to ${role};
    grant select, insert, update, delete on all tables in schema public to ${role};
    grant usage, select on all sequences in schema public to ${role};
    revoke update, delete, truncate on audit_log from ${role};
    grant select, insert on audit_log to ${role};`);
}

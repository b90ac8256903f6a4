// Storage: one connection API over the embedded database (PGlite) and PostgreSQL, with one schema and one
// set of SQL migrations for both.
export type { Database, DatabaseTarget, Engine, Orm, Sql } from './database';
export { openDatabase } from './database';
export { arrayLiteral, type Statement, statementOf } from './statements';

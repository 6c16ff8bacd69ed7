// What /health/ready reads: that the database answers, and which migrations its ledger (d1_migrations) records.
import { sql } from 'kysely';
import type { DB } from '../schema.js';

/**
 * Names in the migrations ledger, oldest first. The table is wrangler's (`d1 migrations apply` writes it on D1, our
 * migrator on SQLite), so one query serves both runtimes; a database never migrated has no such table and throws.
 */
export async function appliedMigrationNames(db: DB): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT name FROM d1_migrations ORDER BY id`.execute(db);
  return r.rows.map((row) => row.name);
}

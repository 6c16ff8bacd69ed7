// Applies migrations/NNNN_name.sql in order and records them in d1_migrations, the table wrangler uses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

// Same shape as wrangler's own table, so `wrangler d1 migrations apply` and we agree on what ran.
const LEDGER = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** Applies pending migrations, each in its own IMMEDIATE transaction; safe with concurrent starters. */
export function migrateSqlite(sqlite: BetterSqlite3.Database, migrations = readMigrations()): string[] {
  sqlite.exec(LEDGER);
  const applied: string[] = [];
  const isApplied = sqlite.prepare('SELECT 1 FROM d1_migrations WHERE name = ?');
  const record = sqlite.prepare('INSERT INTO d1_migrations (name) VALUES (?)');
  for (const m of migrations) {
    const apply = sqlite.transaction(() => {
      if (isApplied.get(m.name)) return false;
      sqlite.exec(m.sql);
      record.run(m.name);
      return true;
    });
    if (apply.immediate()) applied.push(m.name);
  }
  return applied;
}

export function appliedMigrations(sqlite: BetterSqlite3.Database): string[] {
  sqlite.exec(LEDGER);
  return (sqlite.prepare('SELECT name FROM d1_migrations ORDER BY id').all() as { name: string }[]).map((r) => r.name);
}

/** Migrations not yet in the ledger, and how many are (0: a new, empty database). */
export function pendingMigrations(sqlite: BetterSqlite3.Database, migrations = readMigrations()): { pending: Migration[]; appliedCount: number } {
  const applied = new Set(appliedMigrations(sqlite));
  return { pending: migrations.filter((m) => !applied.has(m.name)), appliedCount: applied.size };
}

/** Migrations the ledger records but the files do not have: the database was migrated by a newer version of the code. */
export function unknownMigrations(sqlite: BetterSqlite3.Database, migrations = readMigrations()): string[] {
  const known = new Set(migrations.map((m) => m.name));
  return appliedMigrations(sqlite).filter((name) => !known.has(name));
}

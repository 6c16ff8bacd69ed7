// Opens the embedded SQLite database (better-sqlite3) behind Kysely with the pragmas we rely on.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema.js';

export interface SqliteHandle {
  db: Kysely<Database>;
  sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

export function openSqlite(path: string): SqliteHandle {
  if (path !== ':memory:' && path !== '') restrictFiles(path);
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // Deleted rows and freed pages are overwritten with zeros, so an erased reader's bytes do not linger in free space.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  let closed = false;
  return {
    db,
    sqlite,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes the better-sqlite3 handle too
    },
  };
}

/**
 * Only this process's user may read the database: folder 0700 when we create it, file 0600 before SQLite opens it
 * (SQLite gives the -wal and -shm files the main file's mode), and existing files tightened on every start so an
 * upgrade from a 0644 database is fixed too. An existing folder is left as it is: it may be shared (/var/lib, /tmp).
 */
function restrictFiles(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch (e) {
      // Gone (no WAL yet) or not ours to change (a file owned by another user, a read-only mount): SQLite decides.
      if (!['ENOENT', 'EPERM', 'EROFS'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  }
}

/**
 * Kysely prepares every query it runs; parsing and planning the SQL again costs as much as running a small
 * statement. Same text, same statement: keep the recent ones. Safe because Kysely runs each statement to
 * completion synchronously (all/run); `iterate` (streaming) gets a fresh statement every time.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, max = 256) {
  const cache = new Map<string, ReturnType<typeof cachedStatement>>();
  const cachedStatement = (sql: string) => {
    const stmt = sqlite.prepare(sql);
    return {
      reader: stmt.reader,
      all: (params: readonly unknown[]) => stmt.all(params),
      run: (params: readonly unknown[]) => stmt.run(params),
      iterate: (params: readonly unknown[]) => sqlite.prepare(sql).iterate(params),
    };
  };
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let entry = cache.get(sql);
      if (entry) {
        cache.delete(sql); // re-insert: the Map's order is the recency order
      } else {
        entry = cachedStatement(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, entry);
      return entry;
    },
  };
}

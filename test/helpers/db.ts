// A real, isolated SQLite file per test, migrated, removed afterwards.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateSqlite } from '../../src/db/sqlite/migrate.js';
import { openSqlite, type SqliteHandle } from '../../src/db/sqlite/open-sqlite.js';

export interface TestDb extends SqliteHandle {
  path: string;
  dir: string;
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'recap-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function createTestDb(): TestDb {
  return createTestDbIn(tempDir());
}

/** A migrated database file inside `dir`; cleanup removes the whole folder. */
export function createTestDbIn(dir: string): TestDb {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'recap.db');
  const handle = openSqlite(path);
  migrateSqlite(handle.sqlite);
  return {
    ...handle,
    path,
    dir,
    async cleanup() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

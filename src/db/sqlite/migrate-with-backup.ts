// Before a new migration touches an existing database, a backup of it as it was (kept out of rotation).
import type { Clock, Logger } from '../../core/deps.js';
import { migrateSqlite, pendingMigrations, readMigrations } from './migrate.js';
import type { SqliteHandle } from './open-sqlite.js';
import { FileExistsError } from './backup-file.js';
import { backupDatabase } from './backup.js';

export interface MigrateWithBackupOptions {
  path: string;
  backupDir: string;
  clock: Clock;
  log: Pick<Logger, 'info'>;
}

/**
 * A migration is the one change that can make a file unreadable by the previous version of the code; an
 * upgrade that goes wrong then has a way back. A new database (nothing applied yet) has nothing to keep.
 * If the backup fails, the migration does not run: the error says why and the file stays as it was.
 */
export async function migrateWithBackup(handle: SqliteHandle, opts: MigrateWithBackupOptions, migrations = readMigrations()): Promise<string[]> {
  const { pending, appliedCount } = pendingMigrations(handle.sqlite, migrations);
  if (pending.length && appliedCount > 0 && opts.path !== ':memory:') {
    const label = `before-${pending[0].name.replace(/\.sql$/, '')}`;
    try {
      const r = await backupDatabase({ sourcePath: opts.path, dir: opts.backupDir, label, clock: opts.clock });
      opts.log.info(`Backed up the database before migrating (${pending.map((m) => m.name).join(', ')}): ${r.path}`);
    } catch (e) {
      // a second process starting in the same second already took this very backup
      if (!(e instanceof FileExistsError))
        throw new Error(`Not migrating: the backup before ${pending[0].name} failed (${(e as Error).message}). Check BACKUP_DIR.`);
    }
  }
  return migrateSqlite(handle.sqlite, migrations);
}

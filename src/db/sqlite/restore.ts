// Puts a backup in place of the database file: only when no process has the file open, after verifying the
// backup, keeping the current file beside it, and with every send the backup cannot vouch for on hold.
import { link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Clock, Logger } from '../../core/deps.js';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { readMigrations } from './migrate.js';
import { backupCounts, deleteBackupMark, migrationLedger, readBackupMark, type BackupCounts } from '../repos/backups.js';
import { exists, fsyncPath, partialName, unpackBackup, withCopy } from './backup-file.js';
import { assertIntegrity } from './integrity-check.js';

export interface RestoreOptions<H> {
  databasePath: string;
  file: string;
  clock: Clock;
  log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** When the file's content is from, for files without our mark (e.g. a Litestream restore to a timestamp). */
  takenAt?: string;
  /**
   * Puts the issues that were sending on hold in the staged copy, before it goes live (core/send/restore-hold.ts's
   * holdSendsAfterRestore). Passed in so this file system code stays below the core that decides what a hold is.
   */
  hold: (db: Kysely<Database>, backupTakenAt: string, source: string) => Promise<H>;
}

export interface RestoreResult<H> {
  databasePath: string;
  /** Where the database that was in place now is (never deleted); null when there was none. */
  keptAs: string | null;
  backupTakenAt: string;
  /** 'given': the operator's --taken-at; 'mark': written into the backup when it was taken; 'mtime': a guess. */
  takenAtFrom: 'given' | 'mark' | 'mtime';
  migrations: string[];
  counts: BackupCounts;
  hold: H;
}

/** The database is open elsewhere (a running server, a CLI command): restoring under it would corrupt both. */
export class DatabaseInUseError extends Error {
  constructor(path: string, detail: string) {
    super(`Refusing to restore: ${path} is open in another process (${detail}). Stop the server (and any recap command) first.`);
    this.name = 'DatabaseInUseError';
  }
}

export async function restoreDatabase<H>(opts: RestoreOptions<H>): Promise<RestoreResult<H>> {
  const dbPath = resolve(opts.databasePath);
  const file = resolve(opts.file);
  if (!(await exists(file))) throw new Error(`no backup at ${file}`);
  await mkdir(dirname(dbPath), { recursive: true, mode: 0o700 });
  const staged = partialName(dbPath, 'restore');
  try {
    // 1. the backup, verified in a private temporary file next to the database (same file system)
    await unpackBackup(file, staged);
    const known = readMigrations().map((m) => m.name);
    const prepared = await withCopy(staged, async (db) => {
      const ledger = await migrationLedger(db);
      if (!ledger) throw new Error(`${file} is not a Weekly AI Recap database (it has no d1_migrations table)`);
      const unknown = ledger.filter((n) => !known.includes(n));
      if (unknown.length) throw new Error(`${file} was made by a newer version (unknown migrations: ${unknown.join(', ')}); restore it with that version`);
      const mark = await readBackupMark(db);
      return { ledger, mark, counts: await backupCounts(db) };
    });
    await assertIntegrity(staged, `the backup ${file}`);
    const takenAtFrom = opts.takenAt ? 'given' : prepared.mark ? 'mark' : 'mtime';
    const backupTakenAt = opts.takenAt ?? prepared.mark?.takenAt ?? (await stat(file)).mtime.toISOString();

    // 2. the hold is written before the file is in place: the moment it is live, it is already held
    const hold = await withCopy(staged, async (db) => {
      await deleteBackupMark(db);
      return opts.hold(db, backupTakenAt, basename(file));
    });
    await fsyncPath(staged);

    // 3. the swap, while no one else has the current file open
    const keptAs = await swapIn(dbPath, staged, opts.clock);
    return { databasePath: dbPath, keptAs, backupTakenAt, takenAtFrom, migrations: prepared.ledger, counts: prepared.counts, hold };
  } finally {
    await rm(staged, { force: true });
    await rm(`${staged}-journal`, { force: true });
  }
}

/**
 * Why SQLite's own locks and not a pid file or a lease row: every connection to a WAL database holds a shared
 * lock on it for as long as it is open (the server's, its checkpoint thread's, a CLI command's), the OS drops
 * those locks when a process dies however it dies, and leaving WAL mode needs all of them gone. So switching
 * the current file to rollback-journal mode with no busy wait succeeds exactly when no process has it open —
 * and it also folds any committed WAL content into the file, so the copy kept aside is complete on its own.
 * A pid file can be stale or reused; the dispatch lease is released between runs, so neither is proof.
 */
function lockCurrent(dbPath: string): BetterSqlite3.Database {
  const probe = new BetterSqlite3(dbPath, { fileMustExist: true });
  try {
    probe.pragma('busy_timeout = 0');
    probe.pragma('journal_mode = DELETE');
    // hold the file until it has been moved aside, so nothing opens it in between
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    return probe;
  } catch (e) {
    probe.close();
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new DatabaseInUseError(dbPath, 'its lock is held');
    throw new Error(`Cannot tell whether ${dbPath} is in use (${(e as Error).message}); move it away by hand, then restore again`);
  }
}

async function swapIn(dbPath: string, staged: string, clock: Clock): Promise<string | null> {
  const stamp = clock
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  let aside = `${dbPath}.before-restore-${stamp}`;
  for (let n = 1; await exists(aside); n++) aside = `${dbPath}.before-restore-${stamp}-${n}`;
  const hasCurrent = await exists(dbPath);
  const probe = hasCurrent ? lockCurrent(dbPath) : null;
  try {
    // a second name for the old file first, then an atomic replace: DATABASE_PATH never points at nothing
    if (hasCurrent) await link(dbPath, aside).catch(() => rename(dbPath, aside));
    // -wal/-shm beside the old file would be read as the new file's log: move them with the old file
    for (const suffix of ['-wal', '-shm', '-journal']) {
      if (await exists(dbPath + suffix)) await rename(dbPath + suffix, aside + suffix);
    }
    await rename(staged, dbPath);
    await fsyncPath(dirname(dbPath));
  } finally {
    if (probe) {
      probe.exec('ROLLBACK');
      probe.close();
    }
  }
  return hasCurrent ? aside : null;
}

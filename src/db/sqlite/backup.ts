// Online backup of the SQLite file while the server runs and sends: SQLite's backup API on a connection of its
// own, then the copy is marked with its time, checked with integrity_check, gzipped and published (0600).
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../core/deps.js';
import { backupCounts, writeBackupMark, type BackupCounts } from '../repos/backups.js';
import { backupFileName, createPrivateFile, FileExistsError, exists, gzipFile, partialName, publishFile, withCopy } from './backup-file.js';
import { assertIntegrity } from './integrity-check.js';

export interface BackupOptions {
  /** The live database file. */
  sourcePath: string;
  /** Where a default-named backup goes (created 0700 if missing). */
  dir: string;
  /** An explicit target instead of `<dir>/recap-<time>.db.gz`. */
  file?: string;
  /** Added to the default name; labelled backups (e.g. before a migration) are not rotated. */
  label?: string;
  clock: Clock;
  /** Pages copied per step at first (each step is one short read on the event loop). */
  pagesPerStep?: number;
}

export interface BackupResult {
  path: string;
  bytes: number;
  /** The copy holds the database as it was at this moment or later (see takeSnapshot). */
  takenAt: string;
  /** Read from the copy itself: the backup's own consistent snapshot. */
  counts: BackupCounts;
  pages: number;
  /** Times SQLite started the copy over because another connection wrote meanwhile. */
  restarts: number;
}

export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const final = resolve(opts.file ?? join(opts.dir, backupFileName(opts.clock.now(), opts.label)));
  if (!opts.file) await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  if (await exists(final)) throw new FileExistsError(final);
  if (!(await exists(opts.sourcePath))) throw new Error(`no database at ${opts.sourcePath}`);
  const rawCopy = partialName(final, 'db');
  const gz = partialName(final, 'gz');
  try {
    await createPrivateFile(rawCopy);
    const snap = await takeSnapshot(opts.sourcePath, rawCopy, opts.clock, opts.pagesPerStep ?? 100);
    const counts = await withCopy(rawCopy, async (db) => {
      await writeBackupMark(db, snap.takenAt, { source: basename(opts.sourcePath), pages: snap.pages });
      return backupCounts(db);
    });
    await assertIntegrity(rawCopy, 'the backup copy');
    await gzipFile(rawCopy, gz);
    await publishFile(gz, final);
    return { path: final, bytes: (await stat(final)).size, takenAt: snap.takenAt, counts, pages: snap.pages, restarts: snap.restarts };
  } finally {
    await rm(rawCopy, { force: true });
    await rm(gz, { force: true });
    await rm(`${rawCopy}-journal`, { force: true });
  }
}

/**
 * Copies the live database page by page (better-sqlite3 yields to the event loop between steps). A write by
 * any other connection between two steps makes SQLite start over; each time that happens the step size is
 * doubled, so under a steady stream of writes the copy still finishes, at worst in one step (one read
 * transaction, never blocking writers in WAL mode). The result is the database as of the last step; its time
 * is taken just before that step began, so "taken at" is never later than what the copy holds.
 */
async function takeSnapshot(sourcePath: string, target: string, clock: Clock, firstStep: number) {
  // its own connection: the server's connection may be inside a transaction, and a backup through it would
  // copy that transaction's uncommitted pages
  const source = new BetterSqlite3(sourcePath, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    let step = Math.max(1, firstStep);
    let lastRemaining: number | undefined;
    let lastStep = 0;
    let restarts = 0;
    let stepStartedAt = clock.now();
    const done = await source.backup(target, {
      progress: ({ remainingPages }) => {
        if (lastRemaining !== undefined && remainingPages > Math.max(0, lastRemaining - lastStep)) {
          restarts += 1;
          step = Math.min(step * 2, 0x7fffffff);
        }
        lastRemaining = remainingPages;
        lastStep = step;
        stepStartedAt = clock.now();
        return step;
      },
    });
    return { takenAt: stepStartedAt.toISOString(), pages: done.totalPages, restarts };
  } finally {
    source.close();
  }
}

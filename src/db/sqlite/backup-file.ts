// The files of a backup: names, gzip in and out, publishing under the final name only when complete, opening a copy.
import { createReadStream, createWriteStream } from 'node:fs';
import { link, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema.js';

/** Backups that rotation counts: `recap-2026-12-03T21-30-00Z.db.gz`. Labelled ones (before a migration) are kept. */
export const ROTATED_NAME = /^recap-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.db\.gz$/;

/** `recap-<UTC time>[-label].db.gz`: sortable by name, no colons (they trouble other file systems and scp). */
export function backupFileName(at: Date, label?: string): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `recap-${stamp}${label ? `-${label.replace(/[^\w.-]+/g, '-')}` : ''}.db.gz`;
}

/** The target name is taken: backups are never overwritten. */
export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists; not overwriting it`);
    this.name = 'FileExistsError';
  }
}

/** A temporary name next to `final` (same file system, so publishing is a link, not a copy); dot-prefixed. */
export function partialName(final: string, suffix: string): string {
  return join(dirname(final), `.${basename(final)}.${process.pid}.${suffix}.partial`);
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** An empty file only this user can read; SQLite's backup then writes into it instead of creating a 0644 file. */
export async function createPrivateFile(path: string): Promise<void> {
  await (await open(path, 'wx', 0o600)).close();
}

export async function gzipFile(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), createGzip({ level: 6 }), createWriteStream(to, { flags: 'wx', mode: 0o600 }));
}

/** A backup as given (gzip, or a plain SQLite file, e.g. from Litestream) into a private temporary file. */
export async function unpackBackup(from: string, to: string): Promise<'gzip' | 'sqlite'> {
  const fh = await open(from, 'r');
  const head = Buffer.alloc(16);
  try {
    await fh.read(head, 0, 16, 0);
  } finally {
    await fh.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    await pipeline(createReadStream(from), createGunzip(), createWriteStream(to, { flags: 'wx', mode: 0o600 }));
    return 'gzip';
  }
  if (head.toString('latin1') === 'SQLite format 3\0') {
    await pipeline(createReadStream(from), createWriteStream(to, { flags: 'wx', mode: 0o600 }));
    return 'sqlite';
  }
  throw new Error(`${from} is neither a gzip file nor an SQLite database`);
}

export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on directories; the data itself was synced
  } finally {
    await fh.close();
  }
}

/**
 * Gives a complete, synced file its final name. link() fails when the name is taken, so an existing backup is
 * never overwritten, and until this moment only a dot-named partial file exists.
 */
export async function publishFile(partial: string, final: string): Promise<void> {
  await fsyncPath(partial);
  try {
    await link(partial, final);
    await rm(partial, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FileExistsError(final);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
    // file systems without hard links: rename, after checking the name is free
    if (await exists(final)) throw new FileExistsError(final);
    await rename(partial, final);
  }
  await fsyncPath(dirname(final));
}

/**
 * Opens a copy (never the live file) behind Kysely, in rollback-journal mode so it stays one self-contained
 * file with no -wal beside it; the server switches a restored file back to WAL when it opens it.
 */
export async function withCopy<T>(path: string, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const sqlite = new BetterSqlite3(path, { fileMustExist: true });
  sqlite.pragma('journal_mode = DELETE');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

// Start-up failures an operator can fix themselves (port taken, database not writable, database from a newer version), each said in one line.
import { resolve } from 'node:path';

/**
 * A failure whose message is the whole story: `npm start` and the CLI print it as one line on stderr and exit non-zero,
 * without a stack trace (the trace would point into our code, and the fix is in the operator's setup).
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOSPC: 'the disk is full',
  ENOENT: 'a folder on the path does not exist and cannot be created',
};

/** better-sqlite3's SqliteError codes that mean "this file cannot be opened or written", with what to say. */
const SQLITE_REASONS: Record<string, string> = {
  SQLITE_CANTOPEN: 'SQLite cannot open or create it (or its -wal/-shm files)',
  SQLITE_READONLY: 'it is read-only for this user',
  SQLITE_READONLY_DIRECTORY: 'its folder is read-only for this user',
  SQLITE_READONLY_DBMOVED: 'it was moved while open',
  SQLITE_PERM: 'permission denied',
  SQLITE_FULL: 'the disk is full',
  SQLITE_NOTADB: 'it is not an SQLite database',
  SQLITE_CORRUPT: 'it is damaged (restore a backup: npm run recap -- restore <file>)',
};

function reasonOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code in FS_REASONS) return FS_REASONS[code];
  if (code in SQLITE_REASONS) return SQLITE_REASONS[code];
  if (code.startsWith('SQLITE_READONLY')) return SQLITE_REASONS.SQLITE_READONLY;
  if (code.startsWith('SQLITE_CANTOPEN')) return SQLITE_REASONS.SQLITE_CANTOPEN;
  if (code.startsWith('SQLITE_IOERR')) return `an I/O error (${code})`;
  return undefined;
}

const who = () => (typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '');

/** A file-system or SQLite failure to open or write DATABASE_PATH (or the folder around it), said as what to fix. */
export function databaseError(path: string, e: unknown): StartupError | undefined {
  const reason = reasonOf(e);
  if (!reason) return undefined;
  return new StartupError(
    `Cannot use the database at ${resolve(path)} (DATABASE_PATH): ${reason}. Set DATABASE_PATH to a file in a folder this user${who()} can write, or fix that folder's permissions.`,
  );
}

/** The listen call failed: the port is taken, or needs privileges, or the address is not this machine's. */
export function listenError(host: string, port: number, e: unknown): StartupError {
  const code = (e as { code?: unknown } | null)?.code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE')
    return new StartupError(`Port ${port} on ${host} is already in use (another npm start?): stop that process or set PORT to a free port.`);
  if (code === 'EACCES') return new StartupError(`Not allowed to listen on ${where}: ports below 1024 need privileges; use PORT=8787 behind a proxy.`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`Cannot listen on ${where}: HOST=${host} is not an address of this machine.`);
  return new StartupError(`Cannot listen on ${where}: ${e instanceof Error ? e.message : String(e)}`);
}

/** The database was migrated by a newer version of the code: running this one on it could misread or damage it. */
export function newerDatabaseError(path: string, unknown: string[]): StartupError {
  const list = unknown.length > 3 ? `${unknown.slice(0, 3).join(', ')} and ${unknown.length - 3} more` : unknown.join(', ');
  return new StartupError(
    `The database at ${resolve(path)} is newer than this code: it has migration(s) ${list} that migrations/ does not have. Run the version that made it (or newer), or restore a backup taken before the upgrade (npm run recap -- restore <file>).`,
  );
}

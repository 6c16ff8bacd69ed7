// The scheduled backup (BACKUP_CRON): a new backup into BACKUP_DIR, then only the newest BACKUP_KEEP are kept.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Logger } from '../../core/deps.js';
import { ROTATED_NAME } from './backup-file.js';
import { backupDatabase, type BackupResult } from './backup.js';

export interface ScheduledBackupOptions {
  sourcePath: string;
  dir: string;
  keep: number;
  clock: Clock;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** Partial files a killed backup left behind are removed once they are this old (none can still be in use). */
const STALE_PARTIAL_MS = 24 * 3600_000;

export async function runScheduledBackup(opts: ScheduledBackupOptions): Promise<BackupResult & { deleted: string[] }> {
  // a failed backup throws here, before anything is deleted: old backups go only once a new one exists
  const result = await backupDatabase({ sourcePath: opts.sourcePath, dir: opts.dir, clock: opts.clock });
  const deleted = await pruneBackups(opts.dir, opts.keep, opts.clock);
  opts.log.info(`Backup written: ${result.path} (${result.bytes} bytes)${deleted.length ? `; removed ${deleted.length} older` : ''}`);
  return { ...result, deleted };
}

/**
 * Keeps the newest `keep` rotated backups (names sort by time). Backups with a label (taken before a
 * migration) and any other file are left alone; so are partial files younger than a day.
 */
export async function pruneBackups(dir: string, keep: number, clock: Clock): Promise<string[]> {
  const names = await readdir(dir);
  const rotated = names.filter((n) => ROTATED_NAME.test(n)).sort();
  const doomed = rotated.slice(0, Math.max(0, rotated.length - Math.max(1, keep)));
  for (const name of names.filter((n) => /^\.recap-.*\.partial$/.test(n))) {
    const s = await stat(join(dir, name)).catch(() => null);
    if (s && clock.now().getTime() - s.mtimeMs > STALE_PARTIAL_MS) doomed.push(name);
  }
  for (const name of doomed) await rm(join(dir, name), { force: true });
  return doomed;
}

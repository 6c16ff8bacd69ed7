// CLI commands for the database file: an online backup, a restore that holds unsure sends, and the editor's resume.
import { recordAudit } from '../core/editors/audit.js';
import { systemClock } from '../core/deps.js';
import { resumeIssue } from '../core/send/restore-hold.js';
import type { BackupCounts } from '../db/repos/backups.js';
import { backupDatabase } from '../db/sqlite/backup.js';
import { holdSendsAfterRestore } from '../core/send/restore-hold.js';
import { restoreDatabase } from '../db/sqlite/restore.js';
import { loadNodeConfig } from '../entry/node/runtime.js';
import { createConsoleLogger } from '../log.js';
import { parse } from './args.js';
import { withRuntime, type Command } from './runtime.js';

const fmtBytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

function fmtCounts(c: BackupCounts): string {
  const total = Object.values(c.deliveries).reduce((a, b) => a + b, 0);
  const parts = Object.entries(c.deliveries)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`);
  return `subscribers: ${c.subscribers}; deliveries: ${total}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

// Not createNodeRuntime: that migrates, and a backup or a restore must not change the file it reads.
const config = () => loadNodeConfig(process.env, createConsoleLogger({ level: 'warn' }));

export const backupCommand: Command = {
  name: 'backup',
  usage: 'backup [file]',
  summary: 'online backup of DATABASE_PATH (safe while the server runs and sends)',
  help:
    "Copies the database with SQLite's backup API while the server keeps running, checks the copy with\n" +
    'integrity_check and writes it gzipped (mode 0600) to [file], default BACKUP_DIR/recap-<UTC time>.db.gz.\n' +
    'Never overwrites a file. Scheduled backups (BACKUP_CRON) also delete all but the newest BACKUP_KEEP.',
  run: async (args) => {
    const { positionals } = parse(args, {});
    const c = config();
    const r = await backupDatabase({ sourcePath: c.databasePath, dir: c.backupDir, file: positionals[0], clock: systemClock });
    console.log(`Backup written: ${r.path}`);
    console.log(`  size: ${fmtBytes(r.bytes)} (${r.bytes} bytes, ${r.pages} pages uncompressed)`);
    console.log(`  taken at: ${r.takenAt}`);
    console.log(`  ${fmtCounts(r.counts)}`);
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  usage: 'restore <file> [--taken-at <ISO time>]',
  summary: 'replace DATABASE_PATH with a backup (server stopped); sending issues go on hold',
  help:
    'Refuses while any process has DATABASE_PATH open. Verifies the backup (integrity_check, our migrations),\n' +
    'keeps the current file as <DATABASE_PATH>.before-restore-<time>, puts the backup in place, and puts every\n' +
    'issue that was sending (or due to start) on hold: mails the provider accepted after the backup are not in\n' +
    "it. Resume each one (editor: Send tab, or `recap resume <issue>`) only after checking Resend's logs.\n" +
    'A plain SQLite file is accepted too (e.g. from `litestream restore`); give its point in time with --taken-at.',
  run: async (args) => {
    const { positionals, values } = parse(args, { 'taken-at': { type: 'string' } });
    const file = positionals[0];
    if (!file) throw new Error('restore needs a backup file: npm run recap -- restore data/backups/recap-….db.gz');
    const givenAt = values['taken-at'];
    if (givenAt !== undefined && Number.isNaN(Date.parse(givenAt))) throw new Error('--taken-at must be an ISO date-time, e.g. 2026-12-03T21:30:00Z');
    const takenAt = givenAt === undefined ? undefined : new Date(givenAt).toISOString();
    const c = config();
    const log = createConsoleLogger({ level: 'error' });
    const r = await restoreDatabase({
      databasePath: c.databasePath,
      file,
      takenAt,
      clock: systemClock,
      log,
      hold: (db, at, source) => holdSendsAfterRestore({ db, clock: systemClock, log }, at, source),
    });
    console.log(`Restored ${file} into ${r.databasePath}.`);
    console.log(r.keptAs ? `  The database that was there is kept as ${r.keptAs}.` : '  There was no database there before.');
    console.log(
      `  Backup taken at ${r.backupTakenAt}${r.takenAtFrom === 'mtime' ? ' (the file carries no time mark: this is its modification time; pass --taken-at if it is wrong)' : ''}.`,
    );
    console.log(`  ${fmtCounts(r.counts)}; migrations: ${r.migrations.length}`);
    for (const h of r.hold.held)
      console.log(
        `\nIssue ${h.id} is ON HOLD (${h.status}).\n  ${h.reason}\n  Resume: editor → ${h.id} → Send → "Resume sending", or npm run recap -- resume ${h.id}`,
      );
    if (!r.hold.held.length) console.log('  No issue was sending: nothing is on hold.');
    if (r.hold.inFlightTransactional) {
      console.log(`\n${r.hold.inFlightTransactional} transactional mail(s) were in flight in the backup; they retry under their original idempotency keys.`);
    }
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  usage: 'resume <issue>',
  summary: 'release an issue put on hold (after a restore) or paused by the provider',
  run: async (args) => {
    const { positionals } = parse(args, {});
    const id = positionals[0]?.toLowerCase();
    if (!id) throw new Error('name an issue, e.g. 2026-w48');
    await withRuntime(async (rt) => {
      const issue = await resumeIssue(rt.deps, id);
      await recordAudit(rt.deps, 'cli', { action: 'issue.resumed', targetType: 'issue', targetId: id });
      console.log(`Issue ${id} resumed (${issue.status}); the running server sends it within a minute.`);
    });
  },
};

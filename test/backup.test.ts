// Online backups: taken while a real sender process sends, restorable to the same consistent moment; the scheduled
// backup keeps BACKUP_KEEP files; a backup precedes a new migration of an existing database.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { fixedClock, systemClock, type Deps } from '../src/core/deps.js';
import { startSending } from '../src/core/issues/issue-lifecycle.js';
import { createProviderPacer } from '../src/core/send/provider-pacer.js';
import { migrateSqlite, readMigrations } from '../src/db/sqlite/migrate.js';
import { openSqlite } from '../src/db/sqlite/open-sqlite.js';
import { unpackBackup } from '../src/db/sqlite/backup-file.js';
import { runScheduledBackup } from '../src/db/sqlite/backup-rotation.js';
import { backupDatabase } from '../src/db/sqlite/backup.js';
import { holdSendsAfterRestore } from '../src/core/send/restore-hold.js';
import { restoreDatabase } from '../src/db/sqlite/restore.js';
import { createNodeRuntime } from '../src/entry/node/runtime.js';
import { startScheduler } from '../src/entry/node/scheduler.js';
import { jobTable } from '../src/jobs/job-table.js';
import { createMemoryLogger } from '../src/log.js';
import { startFakeResend, type FakeResend } from './fake-resend/server.js';
import { tempDir } from './helpers/db.js';
import { makeDeps, realClock, type TestDeps } from './helpers/deps.js';
import { seedDraft, seedSubscribers } from './helpers/seed.js';

let fake: FakeResend | undefined;
let deps: TestDeps | undefined;
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fake?.close();
  fake = undefined;
  await deps?.cleanup();
  deps = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newDir() {
  const d = tempDir('recap-backup-');
  dirs.push(d);
  return d;
}

function spawnSender(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/sender-process.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DEMO_DATA: 'false',
      RESEND_API_KEY: 're_backup_test',
      RESEND_RATE_PER_SEC: '1000',
      SEND_CONCURRENCY: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { exited, output: () => out };
}

function readOnly(path: string) {
  const db = new BetterSqlite3(path, { readonly: true });
  const one = <T>(q: string, ...p: unknown[]) => db.prepare(q).get(...p) as T;
  return { db, one, close: () => db.close() };
}

describe('online backup while sending', () => {
  it('a backup taken while 20,000 deliveries are sent restores to a sound database with the counts of its own moment', async () => {
    fake = await startFakeResend({ ratePerSecond: false });
    // every provider call takes a while, so the send is still going when the backup runs
    fake.setFaultRate({ probability: 1, seed: 5, faults: [{ kind: 'delay', ms: 40 }] });
    deps = makeDeps({ clock: realClock(), config: { databasePath: '' } });
    const readers = 20_000;
    seedSubscribers(deps.testDb.sqlite, readers);
    const issueId = await seedDraft(deps);
    await startSending(deps, issueId);
    const sender = spawnSender({ DATABASE_PATH: deps.testDb.path, RESEND_BASE_URL: fake.url, APP_SECRET: deps.config.appSecret, INSTANCE_ID: 'backup-sender' });

    const sentNow = () =>
      (deps!.testDb.sqlite.prepare("SELECT count(*) AS n FROM deliveries WHERE kind = 'recap' AND status = 'sent'").get() as { n: number }).n;
    await expect.poll(sentNow, { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(1000);

    const dir = newDir();
    const before = sentNow();
    const backup = await backupDatabase({ sourcePath: deps.testDb.path, dir: join(dir, 'backups'), clock: systemClock });
    const after = sentNow();

    // the copy's own counts are one moment of the send: between what was recorded before and after the copy
    const inBackup = backup.counts.deliveries;
    expect(inBackup.sent).toBeGreaterThanOrEqual(before);
    expect(inBackup.sent).toBeLessThanOrEqual(after);
    expect(inBackup.sent).toBeLessThan(readers); // taken mid-send
    expect(statSync(backup.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'backups'))).toEqual([backup.path.split('/').pop()]); // no partial file left

    expect(await sender.exited, sender.output()).toBe(0);
    const counts = fake.state.countByRecipient();
    expect([...counts.values()].every((n) => n === 1) && counts.size === readers).toBe(true);

    const restored = await restoreDatabase({
      databasePath: join(dir, 'restored', 'recap.db'),
      file: backup.path,
      clock: systemClock,
      log: createMemoryLogger(),
      hold: (db, at, source) => holdSendsAfterRestore({ db, clock: systemClock, log: createMemoryLogger() }, at, source),
    });
    expect(restored.keptAs).toBeNull();
    const r = readOnly(restored.databasePath);
    try {
      expect(r.one<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
      const byStatus = Object.fromEntries(
        (r.db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as { status: string; n: number }[]).map((x) => [x.status, x.n]),
      );
      expect(byStatus).toEqual(inBackup);
      // internally consistent: every reader of the snapshotted audience is in exactly one state
      const issue = r.one<{ audience_total: number; status: string }>('SELECT audience_total, status FROM issues WHERE id = ?', issueId);
      const recap = r.one<{ n: number }>("SELECT count(*) AS n FROM deliveries WHERE kind = 'recap' AND issue_id = ?", issueId).n;
      expect({ audience: issue.audience_total, rows: recap, status: issue.status }).toEqual({ audience: readers, rows: readers, status: 'sending' });
      const settled = (['sent', 'queued', 'claimed', 'failed', 'suppressed'] as const).reduce((a, k) => a + (byStatus[k] ?? 0), 0);
      expect(settled).toBe(readers);
      // every row the backup calls sent was accepted by the provider, under the id it recorded
      const accepted = new Set(fake.state.emails.map((e) => e.id));
      const ids = (r.db.prepare("SELECT resend_id FROM deliveries WHERE status = 'sent'").all() as { resend_id: string }[]).map((x) => x.resend_id);
      expect(ids.filter((id) => !accepted.has(id))).toEqual([]);
    } finally {
      r.close();
    }
  }, 240_000);
});

describe('scheduled backups', () => {
  it('keep the newest BACKUP_KEEP files, leave other files alone, and delete nothing when a backup fails', async () => {
    deps = makeDeps({ now: '2026-12-01T03:00:00.000Z', config: { backupKeep: 3 } });
    seedSubscribers(deps.testDb.sqlite, 5);
    const dir = join(newDir(), 'backups');
    deps.config.backupDir = dir;
    // the job as npm start declares it; Workers' table has no backup job
    const source = deps.testDb.path;
    const backup = (d: Deps) => runScheduledBackup({ sourcePath: source, dir: d.config.backupDir, keep: d.config.backupKeep, clock: d.clock, log: d.log });
    const limiter = createProviderPacer(Infinity);
    expect(jobTable(deps, { owner: 't', limiter }).map((j) => j.name)).not.toContain('backup');
    const jobs = jobTable(deps, { owner: 't', limiter, backup }).filter((j) => j.name === 'backup');
    expect(jobs.map((j) => [j.name, j.cron])).toEqual([['backup', '0 3 * * *']]);

    const scheduler = startScheduler(deps, jobs);
    try {
      const names: string[] = [];
      for (let day = 0; day < 5; day++) {
        if (day === 1) {
          // a labelled (pre-migration) backup and a stranger's file are not the rotation's business
          writeFileSync(join(dir, 'recap-2026-11-01T00-00-00Z-before-0006_x.db.gz'), 'x');
          writeFileSync(join(dir, 'notes.txt'), 'mine');
        }
        await scheduler.trigger('backup');
        names.push(`recap-2026-12-0${day + 1}T03-00-00Z.db.gz`);
        deps.clock.advance(24 * 3600_000);
      }
      expect(deps.log.lines.filter((l) => l.level === 'error')).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual([...names.slice(-3), 'notes.txt', 'recap-2026-11-01T00-00-00Z-before-0006_x.db.gz'].sort());
    } finally {
      await scheduler.stop();
    }

    // a failed backup (here: the database is gone) throws before anything is deleted
    await expect(runScheduledBackup({ sourcePath: join(dir, 'missing.db'), dir, keep: 1, clock: deps.clock, log: deps.log })).rejects.toThrow(/no database/);
    expect(readdirSync(dir).filter((n) => n.endsWith('Z.db.gz'))).toHaveLength(3);
  });

  it('BACKUP_DIR defaults to a backups folder beside DATABASE_PATH, BACKUP_CRON to daily, BACKUP_KEEP to 14', () => {
    const base = { APP_SECRET: 'x'.repeat(32) };
    const c = (env: Record<string, string>) => {
      const r = parseConfig({ ...base, ...env });
      if (!r.ok) throw new Error(r.errors.join('; '));
      return [r.config.backupDir, r.config.backupCron, r.config.backupKeep];
    };
    expect(c({})).toEqual(['./data/backups', '0 3 * * *', 14]);
    expect(c({ DATABASE_PATH: '/srv/recap/recap.db' })[0]).toBe('/srv/recap/backups');
    expect(c({ DATABASE_PATH: 'recap.db' })[0]).toBe('./backups');
    expect(c({ BACKUP_DIR: '/mnt/b', BACKUP_CRON: '30 2 * * 1', BACKUP_KEEP: '7' })).toEqual(['/mnt/b', '30 2 * * 1', 7]);
    const bad = parseConfig({ ...base, BACKUP_KEEP: '0', BACKUP_CRON: 'daily' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.split(':')[0]).sort()).toEqual(['BACKUP_CRON', 'BACKUP_KEEP']);
  });
});

describe('backup before a migration', () => {
  const all = readMigrations();
  const env = (dir: string) => ({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'recap.db'), BACKUP_DIR: join(dir, 'backups'), APP_SECRET: 'x'.repeat(32) });

  it('backs up an existing database before applying a new migration, and only then', async () => {
    const dir = newDir();
    const old = openSqlite(join(dir, 'recap.db'));
    migrateSqlite(old.sqlite, all.slice(0, -1)); // the database as the previous version left it
    seedSubscribers(old.sqlite, 7);
    await old.close();

    const rt = await createNodeRuntime(env(dir), { log: createMemoryLogger(), clock: fixedClock('2026-12-03T21:30:00.000Z') });
    await rt.close();
    const last = all[all.length - 1].name;
    expect(rt.appliedMigrations).toEqual([last]);
    const files = readdirSync(join(dir, 'backups'));
    expect(files).toEqual([`recap-2026-12-03T21-30-00Z-before-${last.replace(/\.sql$/, '')}.db.gz`]);

    // the backup holds the database as it was: without the new migration, with its readers
    const unpacked = join(dir, 'unpacked.db');
    await unpackBackup(join(dir, 'backups', files[0]), unpacked);
    const r = readOnly(unpacked);
    try {
      const ledger = (r.db.prepare('SELECT name FROM d1_migrations ORDER BY id').all() as { name: string }[]).map((x) => x.name);
      expect(ledger).toEqual(all.slice(0, -1).map((m) => m.name));
      expect(r.one<{ n: number }>('SELECT count(*) AS n FROM subscribers').n).toBe(7);
    } finally {
      r.close();
    }

    // up to date now: the next start takes no backup
    const again = await createNodeRuntime(env(dir), { log: createMemoryLogger(), clock: fixedClock('2026-12-04T21:30:00.000Z') });
    await again.close();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });

  it('takes no backup of a new, empty database', async () => {
    const dir = newDir();
    const rt = await createNodeRuntime(env(dir), { log: createMemoryLogger() });
    await rt.close();
    expect(rt.appliedMigrations).toHaveLength(all.length);
    expect(existsSync(join(dir, 'backups'))).toBe(false);
  });
});

// `npm start` that cannot run says why in one line on stderr and exits non-zero: a taken port, a DATABASE_PATH it cannot
// write, a database migrated by a newer version. No stack trace, and nothing sent or changed on the way out.
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { systemClock } from '../src/core/deps.js';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { scheduleIssue } from '../src/core/issues/issue-lifecycle.js';
import { migrateSqlite } from '../src/db/sqlite/migrate.js';
import { seedDemoEvents } from '../src/demo/seed-demo.js';
import { createMemoryLogger } from '../src/log.js';
import { createDevMailboxMailer } from '../src/mail/dev-mailbox.js';
import { createTestDbIn, tempDir } from './helpers/db.js';
import { seedSubscribers } from './helpers/seed.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

const APP_SECRET = 'start-errors-secret-0123456789abcdef';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Whether every folder from / down to `dir` lets other users through (o+x). */
function reachableByOthers(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}
const procs: ServerProcess[] = [];
const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o700);
    rmSync(d, { recursive: true, force: true });
  }
});

function dir(): string {
  const d = tempDir('recap-start-errors-');
  dirs.push(d);
  return d;
}

/** Starts the real entry and waits for its exit; a server that starts instead is a failure. */
async function failedStart(env: Record<string, string>, spawn?: { uid: number; gid: number }) {
  const p = startServerProcess({ env: { APP_SECRET, PORT: '0', DEMO_DATA: 'false', ...env }, spawn });
  procs.push(p);
  const code = await Promise.race([p.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
  const said = `stdout:\n${p.stdout()}\nstderr:\n${p.stderr()}`;
  expect(code, said).not.toBe('timeout');
  expect(code, said).not.toBe(0);
  expect(code, said).not.toBeNull();
  const lines = p.stderr().trim().split('\n');
  expect(lines, `exactly one line on stderr\n${said}`).toHaveLength(1);
  expect(p.stderr()).not.toMatch(/^\s+at /m);
  expect(p.stdout()).not.toMatch(/running on/);
  return { line: lines[0], stdout: p.stdout() };
}

/** A migrated file with two confirmed readers and this week's issue scheduled 30 s ago: due at the scheduler's first tick. */
async function dueIssueDb(d: string): Promise<{ path: string; issueId: string }> {
  const db = createTestDbIn(d);
  try {
    const deps = {
      db: db.db,
      clock: systemClock,
      config: testConfig({ databasePath: db.path }),
      log: createMemoryLogger(),
      mailer: createDevMailboxMailer(db.db, systemClock),
    };
    await seedDemoEvents(deps);
    seedSubscribers(db.sqlite, 2);
    const { issue } = await buildDraft(deps);
    await scheduleIssue(deps, issue.id, new Date(Date.now() - 30_000));
    return { path: db.path, issueId: issue.id };
  } finally {
    await db.close();
  }
}

function issueState(path: string, id: string): { status: string; deliveries: number } {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    const { status } = db.prepare('SELECT status FROM issues WHERE id = ?').get(id) as { status: string };
    const { n } = db.prepare("SELECT count(*) AS n FROM deliveries WHERE kind = 'recap'").get() as { n: number };
    return { status, deliveries: n };
  } finally {
    db.close();
  }
}

function migratedDb(path: string, extraLedgerRows: string[] = []) {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  migrateSqlite(db);
  for (const name of extraLedgerRows) db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').run(name);
  db.close();
}

describe('npm start that cannot run', () => {
  it('on a port that is taken: one line naming the port, and a due issue is not sent (the scheduler never started)', async () => {
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const d = dir();
    const { path: dbPath, issueId } = await dueIssueDb(d);
    const { line } = await failedStart({ DATABASE_PATH: dbPath, PORT: String(port), HOST: '127.0.0.1' });
    expect(line).toBe(`Port ${port} on 127.0.0.1 is already in use (another npm start?): stop that process or set PORT to a free port.`);
    expect(issueState(dbPath, issueId)).toEqual({ status: 'scheduled', deliveries: 0 });

    // the control: the same file on a free port starts sending it at once
    const p = startServerProcess({ env: { APP_SECRET, PORT: '0', DEMO_DATA: 'false', DATABASE_PATH: dbPath } });
    procs.push(p);
    await p.waitFor(/running on/);
    await expect.poll(() => issueState(dbPath, issueId).status, { timeout: 20_000, interval: 200 }).not.toBe('scheduled');
    const code = await p.stop();
    expect(code, `signal ${p.child.signalCode}\n${p.stdout()}\n${p.stderr()}`).toBe(0);
  });

  it('with DATABASE_PATH below a file (no folder can be made there): one line naming the path', async () => {
    const d = dir();
    writeFileSync(join(d, 'not-a-folder'), 'x');
    const path = join(d, 'not-a-folder', 'recap.db');
    const { line } = await failedStart({ DATABASE_PATH: path });
    expect(line).toBe(
      `Cannot use the database at ${path} (DATABASE_PATH): a part of the path is a file, not a folder. Set DATABASE_PATH to a file in a folder this user (uid ${process.getuid!()}) can write, or fix that folder's permissions.`,
    );
  });

  // As root the server runs as nobody, who must be able to reach the checkout: not so when it was cloned into a 0700
  // folder (mktemp -d). Then there is no user this test can be refused as, and it says so instead of failing.
  it.skipIf(process.getuid!() === 0 && !reachableByOthers(ROOT))(
    'in a folder this user may not write (and without APP_SECRET, whose file goes there too): one line, permission denied',
    async () => {
      const d = dir();
      chmodSync(d, 0o755);
      const locked = join(d, 'locked');
      mkdirSync(locked, { mode: 0o555 });
      chmodSync(locked, 0o555);
      // root writes anywhere: run the server as nobody then (the checkout is world-readable); others are refused as they are
      const asNobody = process.getuid!() === 0 ? { uid: 65534, gid: 65534 } : undefined;
      const uid = asNobody?.uid ?? process.getuid!();
      const envs: Record<string, string>[] = [{ DATABASE_PATH: join(locked, 'recap.db') }, { DATABASE_PATH: join(locked, 'recap.db'), APP_SECRET: '' }];
      for (const env of envs) {
        const { line } = await failedStart(env, asNobody);
        expect(line).toBe(
          `Cannot use the database at ${join(locked, 'recap.db')} (DATABASE_PATH): permission denied. Set DATABASE_PATH to a file in a folder this user (uid ${uid}) can write, or fix that folder's permissions.`,
        );
      }
      expect(statSync(locked).mode & 0o777).toBe(0o555);
    },
  );

  it('on a database a newer version migrated: one line naming the unknown migration; the file is left as it was', async () => {
    const d = dir();
    const dbPath = join(d, 'recap.db');
    migratedDb(dbPath, ['9999_from_a_newer_version.sql']);
    const before = readFileSync(dbPath);
    const { line } = await failedStart({ DATABASE_PATH: dbPath, BACKUP_DIR: join(d, 'backups') });
    expect(line).toBe(
      `The database at ${dbPath} is newer than this code: it has migration(s) 9999_from_a_newer_version.sql that migrations/ does not have. Run the version that made it (or newer), or restore a backup taken before the upgrade (npm run recap -- restore <file>).`,
    );
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(() => statSync(join(d, 'backups'))).toThrow(); // no pre-migration backup either: nothing was about to migrate
  });
});

// `recap backup` and `recap restore` as an operator runs them: real child processes on a real database file, and a
// real server process holding the file while a restore is attempted.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareIssueSend } from '../src/core/send/prepare-issue.js';
import { createTestDbIn, tempDir } from './helpers/db.js';
import { makeDeps } from './helpers/deps.js';
import { seedSendingIssue, seedSubscribers } from './helpers/seed.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SECRET = 'cli-test-secret-0123456789abcdef';

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn('npx', ['tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, NODE_ENV: 'test', APP_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    env: { ...process.env, NODE_ENV: 'development', PORT: '0', DEMO_DATA: 'false', APP_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => /running on http:\/\/127\.0\.0\.1:\d+/.test(out) && resolve());
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, listening, exited, output: () => out };
}

/** A database with readers and an issue that is sending (audience snapshotted, nothing sent yet). */
async function seededDatabase() {
  const dir = tempDir('recap-cli-');
  dirs.push(dir);
  const testDb = createTestDbIn(join(dir, 'data'));
  const deps = makeDeps({ testDb, now: new Date().toISOString() });
  seedSubscribers(testDb.sqlite, 12);
  const issueId = await seedSendingIssue(deps);
  await prepareIssueSend(deps, issueId);
  await testDb.close();
  return { dir, path: testDb.path, issueId };
}

function query<T>(path: string, sql: string): T {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}

describe('recap backup / restore (CLI)', () => {
  it('backs up, refuses to overwrite, restores the earlier state with the sending issue on hold, and rejects a non-backup', async () => {
    const { dir, path, issueId } = await seededDatabase();
    const env = { DATABASE_PATH: path };
    const file = join(dir, 'nightly.db.gz');

    const b = await run(['backup', file], env);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toContain(`Backup written: ${file}`);
    expect(b.out).toMatch(/size: [\d.]+ KB \(\d+ bytes/);
    expect(b.out).toContain('subscribers: 12; deliveries: 12 (queued 12)');
    expect((await run(['backup', file], env)).err).toMatch(/already exists; not overwriting it/);

    // life goes on after the backup
    const live = new BetterSqlite3(path);
    live.exec(
      "INSERT INTO subscribers (email, email_hash, status, created_at, updated_at) VALUES ('late@example.com', 'h-late', 'active', '2026-12-01', '2026-12-01')",
    );
    live.close();

    const r = await run(['restore', file], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Restored ${file} into ${path}.`);
    expect(r.out).toMatch(/kept as .*recap\.db\.before-restore-/);
    expect(r.out).toContain(`Issue ${issueId} is ON HOLD (sending).`);
    expect(r.out).toMatch(/Between \S+ and \S+ up to 12 more mails may have gone out\./);
    expect(query<{ n: number }>(path, 'SELECT count(*) AS n FROM subscribers').n).toBe(12);
    expect(query<{ paused_reason: string }>(path, 'SELECT paused_reason FROM issues').paused_reason).toMatch(/^Restored from a backup taken at /);
    const kept = readdirSync(join(dir, 'data')).filter((n) => n.includes('before-restore'));
    expect(kept).toHaveLength(1);
    expect(query<{ n: number }>(join(dir, 'data', kept[0]), 'SELECT count(*) AS n FROM subscribers').n).toBe(13);

    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, 'not a backup');
    const bad = await run(['restore', junk], env);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/neither a gzip file nor an SQLite database/);
    expect(readdirSync(join(dir, 'data')).filter((n) => n.includes('before-restore'))).toHaveLength(1);

    // a plain SQLite file (what `litestream restore` writes) is accepted; its point in time comes from --taken-at
    const plain = await run(['restore', join(dir, 'data', kept[0]), '--taken-at', '2026-12-01T00:00:00Z'], env);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out).toContain('Backup taken at 2026-12-01T00:00:00.000Z.');
    expect(plain.out).toContain('subscribers: 13;');
    expect(query<{ n: number }>(path, 'SELECT count(*) AS n FROM subscribers').n).toBe(13);
  }, 120_000);

  it('refuses to restore while a server is running on the file; an online backup works meanwhile', async () => {
    const { dir, path } = await seededDatabase();
    const env = { DATABASE_PATH: path, BACKUP_DIR: join(dir, 'backups') };
    const server = startServer(env);
    await server.listening;

    const b = await run(['backup'], env);
    expect(b.code, b.err).toBe(0);
    const file = /Backup written: (\S+)/.exec(b.out)![1];
    expect(file).toMatch(/backups\/recap-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db\.gz$/);

    const refused = await run(['restore', file], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/Refusing to restore: .*recap\.db is open in another process/);
    expect(readdirSync(join(dir, 'data')).filter((n) => n.includes('before-restore'))).toEqual([]);
    expect(existsSync(path)).toBe(true);

    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
    const ok = await run(['restore', file], env);
    expect(ok.code, ok.err).toBe(0);
  }, 120_000);
});

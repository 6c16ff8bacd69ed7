import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/db.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startNode(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    env: { ...process.env, NODE_ENV: 'development', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const port = new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listen line in time:\n${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /running on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, port, exited, output: () => out };
}

describe('npm start (src/entry/node.ts)', () => {
  it('migrates, loads demo events, answers /health over real HTTP and shuts down cleanly on SIGTERM', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = join(dir, 'data', 'recap.db');
    const app = startNode({ DATABASE_PATH: dbPath });
    const port = await app.port;
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await res.json()).toEqual({ ok: true });
    expect(app.output()).toMatch(/APP_SECRET is not set/);
    expect(app.output()).toMatch(/\/editor/);
    // A signup through the real server is committed before its 202, and survives the SIGTERM shutdown.
    const signup = await fetch(`http://127.0.0.1:${port}/api/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'entry-test@example.com' }),
    });
    expect(signup.status).toBe(202);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);

    const db = new BetterSqlite3(dbPath, { readonly: true });
    const { n } = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    expect(n).toBeGreaterThanOrEqual(35);
    const migrations = db.prepare('SELECT count(*) AS n FROM d1_migrations').get() as { n: number };
    expect(migrations.n).toBeGreaterThan(0);
    const cjk = db.prepare("SELECT count(*) AS n FROM events WHERE source_name = '虎嗅'").get() as { n: number };
    expect(cjk.n).toBeGreaterThan(0);
    const signedUp = db.prepare("SELECT status FROM subscribers WHERE email = 'entry-test@example.com'").get() as { status: string } | undefined;
    expect(signedUp?.status).toBe('pending');
    db.close();
  });

  it('refuses to start with bad configuration, listing every bad variable', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const app = startNode({ DATABASE_PATH: join(dir, 'r.db'), PORT: 'abc', TZ_NEWSLETTER: 'Nowhere/Land' });
    const code = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toContain('PORT');
    expect(app.output()).toContain('TZ_NEWSLETTER');
    await app.port.catch(() => undefined);
  });
});

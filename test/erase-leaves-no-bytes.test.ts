// An erased reader leaves no bytes behind: after POST /preferences/:token/erase on the real `npm start` process,
// the raw recap.db, recap.db-wal and recap.db-shm no longer contain the address, its local part or the name.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
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

const API_TOKEN = 'erase-test-api-token-0123456789abcdef';

function startNode(dbPath: string) {
  const { RESEND_API_KEY: _unused, ...env } = process.env; // the dev mailbox keeps every mail in the database: more to erase
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    env: {
      ...env,
      NODE_ENV: 'development',
      PORT: '0',
      DATABASE_PATH: dbPath,
      APP_SECRET: 'erase-test-secret-0123456789abcdef',
      EDITOR_API_TOKEN: API_TOKEN,
      SIGNUP_RATE_PER_MIN: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listen line in time:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /running on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, base, exited, output: () => out };
}

/** Reads the dev mailbox (table dev_outbox) with a short-lived read-only connection (closed at once: it must not hold the WAL). */
function mailboxTexts(dbPath: string, email: string): string[] {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT text FROM dev_outbox WHERE instr(lower(to_addr), ?) > 0 ORDER BY created_at').all(email) as { text: string }[]).map(
      (r) => r.text,
    );
  } finally {
    db.close();
  }
}

function linkPath(texts: string[], kind: 'confirm' | 'preferences'): string | undefined {
  for (const t of [...texts].reverse()) {
    const m = new RegExp(`/${kind}/[A-Za-z0-9_.-]+`).exec(t);
    if (m) return m[0];
  }
  return undefined;
}

/** Which of `needles` occur in the raw bytes of the database file, its WAL and its shared-memory index. */
function foundInFiles(dbPath: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8'))) hits.push(`${n} in ${file.slice(dbPath.length - 8)}`);
  }
  return hits;
}

/**
 * Which of `trigrams` the editor search's FTS5 index (subscribers_search, migrations/0010) still holds: its vocabulary
 * read through a temporary fts5vocab table on a short-lived read-only connection.
 */
function indexedTrigrams(dbPath: string, trigrams: string[]): string[] {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    db.exec(`CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, subscribers_search, 'row')`);
    const has = db.prepare('SELECT 1 FROM temp.search_terms WHERE term = ?');
    return trigrams.filter((t) => has.get(t) !== undefined);
  } finally {
    db.close();
  }
}

async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** Confirms as a person would: opens the link and, if the page asks for a click, submits its one form. */
async function confirmByLink(base: string, path: string): Promise<void> {
  const page = await fetch(base + path);
  const html = await page.text();
  const form = /<form[^>]*method="post"[^>]*action="([^"]*\/confirm\/[^"]*)"[\s\S]*?<\/form>/i.exec(html);
  if (!form) return; // confirmed by the GET itself
  const fields = new URLSearchParams();
  for (const m of form[0].matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.append(m[1]!, m[2]!);
  const cookie = /wr_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
  const res = await fetch(new URL(form[1]!.replace(/&amp;/g, '&'), base), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `wr_csrf=${cookie}` } : {}) },
    body: fields,
  });
  if (res.status >= 400) throw new Error(`confirm POST answered ${res.status}`);
}

describe('erase on the running server', () => {
  it('leaves no trace of the address, its local part or the name in recap.db, -wal or -shm', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = join(dir, 'data', 'recap.db');
    const app = startNode(dbPath);
    const base = await app.base;

    const random = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
    const local = `erasable-${random}`;
    const email = `${local}@example.org`;
    const name = 'Quirinalis Vanderzee';
    const needles = [email, local, name];

    // Signed up, confirmed, sent this week's recap and a data export: the address is in subscribers, consents,
    // deliveries, the batch bodies kept for retries, the dev mailbox, and the indexes on all of them.
    expect(
      (await fetch(`${base}/api/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, name }) })).status,
    ).toBe(202);
    await expect.poll(() => linkPath(mailboxTexts(dbPath, email), 'confirm'), { timeout: 15_000 }).toBeDefined();
    await confirmByLink(base, linkPath(mailboxTexts(dbPath, email), 'confirm')!);
    await expect.poll(() => linkPath(mailboxTexts(dbPath, email), 'preferences'), { timeout: 15_000 }).toBeDefined();

    const built = await api(base, 'POST', '/api/editor/issues', {});
    expect(built.status).toBeLessThan(300);
    const issueId = built.json.id as string;
    expect((await api(base, 'POST', `/api/editor/issues/${issueId}/send`)).status).toBe(202);
    await expect.poll(async () => (await api(base, 'GET', `/api/editor/issues/${issueId}`)).json.status, { timeout: 30_000, interval: 250 }).toBe('sent');
    expect(mailboxTexts(dbPath, email).length).toBeGreaterThanOrEqual(3); // confirm, welcome, recap

    const prefs = linkPath(mailboxTexts(dbPath, email), 'preferences')!;
    const page = await fetch(base + prefs);
    const cookie = /wr_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    // The data export is mailed: one more full copy of everything, which must go too.
    const exported = await fetch(`${base}${prefs}/export`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `wr_csrf=${cookie}` },
      body: new URLSearchParams({ csrf: csrf! }),
    });
    expect(exported.status).toBeLessThan(300);
    await expect.poll(() => mailboxTexts(dbPath, email).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    // The search index holds the address's trigrams (those of its random part are this reader's alone).
    const trigrams = Array.from({ length: random.length - 2 }, (_, i) => random.slice(i, i + 3));
    expect(indexedTrigrams(dbPath, trigrams)).toEqual(trigrams);
    // The test can see what it looks for: before the erase every needle is in the files.
    expect(foundInFiles(dbPath, needles).length).toBeGreaterThan(0);

    const erased = await fetch(`${base}${prefs}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `wr_csrf=${cookie}` },
      body: new URLSearchParams({ csrf: csrf!, confirm: 'yes' }),
    });
    expect(erased.status).toBe(200);
    expect(await erased.text()).toContain('Your data is erased');

    // Gone from the tables at once, and from the files once the truncating checkpoint ran (well within a minute).
    await expect.poll(() => foundInFiles(dbPath, needles), { timeout: 20_000, interval: 250 }).toEqual([]);
    // and out of the search index: the FTS5 shadow tables are in those files, and the index has none of its trigrams
    expect(indexedTrigrams(dbPath, trigrams)).toEqual([]);
    // The server keeps working after the checkpoint, and later writes bring nothing back.
    expect(
      (
        await fetch(`${base}/api/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'after-erase@example.org' }),
        })
      ).status,
    ).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(foundInFiles(dbPath, needles)).toEqual([]);

    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(foundInFiles(dbPath, needles)).toEqual([]);
  });
});

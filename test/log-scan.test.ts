// Runs every reader and editor flow through the real server (src/entry/node.ts, as `npm start` runs it) and
// scans everything it wrote to stdout and stderr: no token, signed link, session id or full address may appear.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/db.js';
import { freePort } from './helpers/server.js';

const READER_FORM = 'Log.Scan.Form-Reader@Example.org';
const READER_API = 'log-scan-api-reader@example.org';
const EDITOR_ADDR = 'log-scan-editor@example.org';
const APP_SECRET = 'log-scan-app-secret-0123456789abcdef0123456789';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A cookie jar just big enough for these flows: name=value pairs from Set-Cookie, sent back on every request. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async fetch(path: string, init: RequestInit = {}) {
    const res = await fetch(this.base + path, { redirect: 'manual', ...init, headers: { cookie: this.header(), ...(init.headers as Record<string, string>) } });
    for (const sc of res.headers.getSetCookie()) {
      const m = /^([^=;\s]+)=([^;]*)/.exec(sc);
      if (m) this.cookies.set(m[1], m[2]);
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
  post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  }
}

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** The hidden fields of the first form whose action contains `action` (how a browser would submit it). */
function hiddenFields(html: string, action: string): Record<string, string> | null {
  for (const m of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!decode(m[1]).includes(action)) continue;
    const out: Record<string, string> = {};
    for (const i of m[2].matchAll(/<input\b[^>]*>/g)) {
      const tag = i[0];
      if (!/type="hidden"/.test(tag)) continue;
      const name = /name="([^"]*)"/.exec(tag)?.[1];
      if (name) out[name] = decode(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
    }
    return out;
  }
  return null;
}

const csrfOf = (html: string) => decode(/name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '');

describe('log scan', () => {
  it('writes no token, signed link, session id or full address to the log in any flow', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = join(dir, 'data', 'recap.db');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
      // As `npm start` runs it (production, JSON lines), at the chattiest level.
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'debug',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        DATABASE_PATH: dbPath,
        APP_SECRET,
        EDITOR_EMAILS: EDITOR_ADDR,
        RESEND_API_KEY: '',
        SIGNUP_RATE_PER_MIN: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listen line in time:\n${out}`)), 30_000);
      const check = () => {
        if (/running on http:\/\/127\.0\.0\.1:\d+/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
    });

    const db = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
    const mailTo = async (to: string, subject: RegExp, skip = new Set<string>()) => {
      for (let i = 0; i < 200; i++) {
        const rows = db.prepare('SELECT id, subject, text FROM dev_outbox WHERE to_addr = ? ORDER BY created_at, id').all(to.toLowerCase()) as {
          id: string;
          subject: string;
          text: string;
        }[];
        const found = rows.find((r) => subject.test(r.subject) && !skip.has(r.id));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no mail matching ${subject} to ${to}\n${out}`);
    };
    const linkIn = (text: string, path: string) => {
      const m = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/${path}/[A-Za-z0-9_.~%-]+)`).exec(text);
      if (!m) throw new Error(`no /${path}/ link in:\n${text}`);
      return m[1];
    };
    const secrets = new Set<string>([APP_SECRET]);
    const tokenOf = (path: string) => decodeURIComponent(path.split('/')[2]);

    // Visitor: the form signup (with CSRF) and the JSON API.
    const visitor = new Browser(base);
    const home = await visitor.fetch('/');
    expect(home.status).toBe(200);
    const signup = await visitor.post('/subscribe', {
      csrf: csrfOf(home.text),
      email: READER_FORM,
      name: 'Scan Reader',
      topics: ['policy', 'safety'],
      website: '',
    });
    expect(signup.status).toBe(202);
    const api = await fetch(`${base}/api/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: READER_API }),
    });
    expect(api.status).toBe(202);
    // A second signup of a known address (the answer must not tell, nor the log).
    expect(
      (await fetch(`${base}/api/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: READER_API }) }))
        .status,
    ).toBe(202);
    // Bad input with an address in it.
    expect(
      (await fetch(`${base}/api/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"email":"${READER_API}",` })).status,
    ).toBe(400);

    // Confirm: open the link (a page, or at once on older builds), then press its button if there is one.
    const confirmMail = await mailTo(READER_FORM, /confirm/i);
    const confirmPath = linkIn(confirmMail.text, 'confirm');
    secrets.add(tokenOf(confirmPath));
    const opened = await visitor.fetch(confirmPath);
    expect(opened.status).toBe(200);
    const button = hiddenFields(opened.text, '/confirm/');
    if (button) await visitor.post(confirmPath, button);
    // POST /confirm/:token directly too, whether or not this build has it.
    await visitor.post(confirmPath, { csrf: csrfOf(opened.text) });
    await visitor.fetch(`${confirmPath}/extra`);
    const apiConfirm = linkIn((await mailTo(READER_API, /confirm/i)).text, 'confirm');
    secrets.add(tokenOf(apiConfirm));
    const apiOpened = await fetch(base + apiConfirm);
    const apiButton = hiddenFields(await apiOpened.text(), '/confirm/');
    if (apiButton) await new Browser(base).post(apiConfirm, apiButton);
    // A forged token that looks like a real one.
    secrets.add('forgedTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await visitor.fetch('/confirm/forgedTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');

    const welcome = await mailTo(READER_FORM, /welcome/i);
    const prefsPath = linkIn(welcome.text, 'preferences');
    const unsubPath = linkIn(welcome.text, 'unsubscribe');
    secrets.add(tokenOf(prefsPath));
    secrets.add(tokenOf(unsubPath));

    // Subscriber: preferences page, save, export, a refused form (no CSRF), unsubscribe page and one-click.
    const prefs = await visitor.fetch(prefsPath);
    expect(prefs.status).toBe(200);
    const csrf = csrfOf(prefs.text);
    expect((await visitor.post(prefsPath, { csrf, topics: ['models', 'policy'], pause: 'keep' })).status).toBe(303);
    expect((await visitor.fetch(`${prefsPath}?saved=1`)).status).toBe(200);
    expect((await visitor.post(`${prefsPath}/export`, { csrf })).status).toBeLessThan(400);
    expect((await new Browser(base).post(`${prefsPath}/export`, { csrf: 'nope' })).status).toBe(403);
    expect((await visitor.fetch(unsubPath)).status).toBe(200);
    const oneClick = await fetch(base + unsubPath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect((await visitor.post(`${prefsPath}/erase`, { csrf, confirm: 'yes' })).status).toBe(200);
    // The erased reader's links now fail: the failure must not be logged with the link either.
    await visitor.fetch(prefsPath);
    await visitor.fetch(unsubPath);

    // Editor: sign-in request, the link's page, the button, the workspace.
    const editor = new Browser(base);
    const signin = await editor.fetch('/editor/signin');
    const preCsrf = decode(/name="csrf" value="([^"]+)"/.exec(signin.text)![1]);
    expect((await editor.post('/editor/signin', { csrf: preCsrf, email: EDITOR_ADDR })).status).toBe(303);
    const signinMail = await mailTo(EDITOR_ADDR, /sign/i);
    const link = new URL(/https?:\/\/\S+\/editor\/signin\/verify\?token=[\w%.~-]+/.exec(signinMail.text)![0]);
    const signinToken = link.searchParams.get('token')!;
    secrets.add(signinToken);
    expect((await editor.fetch(link.pathname + link.search)).status).toBe(200);
    const verified = await editor.post('/editor/signin/verify', { csrf: preCsrf, token: signinToken });
    expect(verified.status).toBe(303);
    const session = [...editor.cookies].find(([k]) => /wr_editor/.test(k))?.[1];
    expect(session).toBeTruthy();
    secrets.add(session!);
    expect((await editor.fetch('/editor')).status).toBe(200);
    expect((await editor.fetch(`/editor/subscribers?q=${encodeURIComponent(READER_API)}`)).status).toBe(200);
    // A used link, and a stranger asking for one.
    expect((await editor.fetch(link.pathname + link.search)).status).toBe(410);
    const stranger = new Browser(base);
    const strangerPage = await stranger.fetch('/editor/signin');
    await stranger.post('/editor/signin', { csrf: decode(/name="csrf" value="([^"]+)"/.exec(strangerPage.text)![1]), email: 'log-scan-stranger@example.org' });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    db.close();

    const lines = out.split('\n');
    // The request log is there at all (otherwise this scan proves nothing).
    expect(lines.some((l) => /POST \/preferences\//.test(l))).toBe(true);
    // Dev-mailbox mode prints the editor's own sign-in link on purpose (src/core/editors/editor-auth.ts).
    const scanned = lines.filter((l) => !l.includes('Sign-in link for'));
    const addresses = [READER_FORM, READER_API, EDITOR_ADDR, 'log-scan-stranger@example.org'];
    const needles = [...secrets, ...addresses, ...addresses.map((a) => a.toLowerCase()), ...addresses.map((a) => encodeURIComponent(a.toLowerCase()))];
    const leaks: string[] = [];
    for (const line of scanned) {
      const lower = line.toLowerCase();
      for (const n of needles) if (lower.includes(n.toLowerCase())) leaks.push(`${n} in: ${line}`);
      if (/\/(confirm|unsubscribe|preferences)\/(?!:token)[A-Za-z0-9_-]{8,}/.test(line)) leaks.push(`signed link in: ${line}`);
      if (/[?&]token=/.test(line)) leaks.push(`sign-in token in: ${line}`);
    }
    expect(leaks).toEqual([]);
  }, 90_000);
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listMailbox } from '../src/db/repos/dev-mailbox.js';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { seedDemoEvents } from '../src/demo/seed-demo.js';
import { EDITOR, startEditorSite, type EditorSite } from './helpers/editor-site.js';

let site: EditorSite;
let issueId: string;
beforeAll(async () => {
  site = await startEditorSite();
  await seedDemoEvents(site.deps);
  issueId = (await buildDraft(site.deps)).issue.id;
});
afterAll(() => site.close());
// Each test starts after the sign-in rate-limit window of the previous one.
beforeEach(() => site.deps.clock.advance(16 * 60_000));

/** The only /editor routes an anonymous visitor may reach: the sign-in flow itself. */
const PUBLIC = new Set(['GET /editor/signin', 'POST /editor/signin', 'GET /editor/signin/sent', 'GET /editor/signin/verify', 'POST /editor/signin/verify']);

function editorRoutes() {
  const seen = new Set<string>();
  const out: { method: string; path: string; url: string }[] = [];
  for (const r of site.app.routes) {
    if (!/^\/(api\/)?editor(\/|$)/.test(r.path)) continue;
    // path-less middleware ('/editor/*' with method ALL) is exercised through the concrete routes below
    if (r.method === 'ALL' && r.path.endsWith('/*') && r.path !== '/editor/*') continue;
    const method = r.method === 'ALL' ? 'GET' : r.method;
    const url = r.path
      .replace(/:(\w+)\{([^}]+)\}/g, (_, _name: string, re: string) => (re.includes('0-9') ? '1' : re.split('|')[0]))
      .replace(/:id\b/g, issueId)
      .replace(/:(\w+)/g, 'x1')
      .replace(/\*$/, 'anything');
    const key = `${method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method, path: r.path, url });
  }
  return out;
}

describe('route table', () => {
  it('refuses every /editor and /api/editor route to anonymous requests (sign-in pages for pages, 401 JSON for the API)', async () => {
    const routes = editorRoutes();
    expect(routes.length).toBeGreaterThan(35);
    const protectedRoutes = routes.filter((r) => !PUBLIC.has(`${r.method} ${r.path}`));
    const failures: string[] = [];
    for (const r of protectedRoutes) {
      const isApi = r.path.startsWith('/api/');
      const res = await fetch(site.url + r.url, {
        method: r.method,
        redirect: 'manual',
        headers: isApi ? { 'content-type': 'application/json' } : { 'content-type': 'application/x-www-form-urlencoded' },
        body: r.method === 'GET' || r.method === 'HEAD' ? undefined : isApi ? '{}' : '',
      });
      if (isApi) {
        const body = (await res.json().catch(() => null)) as { error?: { code: string } } | null;
        if (res.status !== 401 || body?.error?.code !== 'unauthorized') failures.push(`${r.method} ${r.url} → ${res.status}`);
      } else {
        const loc = res.headers.get('location') ?? '';
        if (res.status !== 303 || !loc.startsWith('/editor/signin')) failures.push(`${r.method} ${r.url} → ${res.status} ${loc}`);
        await res.arrayBuffer();
      }
    }
    expect(failures).toEqual([]);
    // and the anonymous answers never leak data: nothing of the issue in a redirect body
    const res = await fetch(`${site.url}/api/editor/issues/${issueId}`);
    expect(await res.text()).not.toContain(issueId.toUpperCase().replace('W', 'W'));
  });

  it('refuses a wrong or missing bearer token on the API', async () => {
    const wrong = await fetch(`${site.url}/api/editor/issues/${issueId}`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
  });

  it("refuses every state-changing editor form without the session CSRF token, and with another session's token", async () => {
    const a = await site.signIn();
    const b = await site.signIn();
    const unsafe = editorRoutes().filter((r) => r.method !== 'GET' && r.path.startsWith('/editor') && !PUBLIC.has(`${r.method} ${r.path}`));
    expect(unsafe.length).toBeGreaterThan(12);
    const failures: string[] = [];
    for (const r of unsafe) {
      for (const token of [null, b.csrf]) {
        const body = new URLSearchParams(token ? { csrf: token, op: 'pin', week: '2026-W48' } : { op: 'pin', week: '2026-W48' });
        const res = await fetch(site.url + r.url, {
          method: r.method,
          redirect: 'manual',
          headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        if (res.status !== 403) failures.push(`${r.method} ${r.url} token=${token ? 'other' : 'none'} → ${res.status}`);
        await res.arrayBuffer();
      }
    }
    expect(failures).toEqual([]);
    const auditBefore = await site.deps.db.selectFrom('audit_log').selectAll().where('action', 'like', 'issue.%').execute();
    expect(auditBefore).toEqual([]);
  });

  it('accepts the same form with the right token', async () => {
    const a = await site.signIn();
    const res = await fetch(`${site.url}/editor/issues/${issueId}/text`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: a.csrf, subject: 'Hand-written subject', preheader: '', intro: 'Hello **readers**' }),
    });
    expect(res.status).toBe(303);
    const issue = await site.deps.db.selectFrom('issues').selectAll().where('id', '=', issueId).executeTakeFirstOrThrow();
    expect(issue.subject).toBe('Hand-written subject');
    expect(issue.intro).toBe('Hello **readers**');
  });

  it('puts every CSRF token, public or editor, pre-session or session, in one form field named csrf', async () => {
    const a = await site.signIn();
    const pages = {
      signup: await (await fetch(`${site.url}/`)).text(),
      signin: await (await fetch(`${site.url}/editor/signin`)).text(),
      dashboard: await (await fetch(`${site.url}/editor`, { headers: { cookie: a.cookie } })).text(),
      send: await (await fetch(`${site.url}/editor/issues/${issueId}/send`, { headers: { cookie: a.cookie } })).text(),
    };
    for (const [name, html] of Object.entries(pages)) {
      expect(html, name).toMatch(/<input type="hidden" name="csrf" value="[^"]+"/);
      const fields = [...html.matchAll(/<input[^>]*name="([^"]*csrf[^"]*)"/gi)].map((m) => m[1]);
      expect(new Set(fields), name).toEqual(new Set(['csrf']));
    }
  });

  it('needs the X-CSRF-Token header for API writes made with the session cookie', async () => {
    const a = await site.signIn();
    const call = (headers: Record<string, string>) =>
      fetch(`${site.url}/api/editor/issues/${issueId}`, {
        method: 'PATCH',
        headers: { cookie: a.cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ preheader: 'via fetch' }),
      });
    const without = await call({});
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await call({ 'x-csrf-token': a.csrf })).status).toBe(200);
    // reads need no token
    expect((await fetch(`${site.url}/api/editor/issues/${issueId}`, { headers: { cookie: a.cookie } })).status).toBe(200);
  });

  it('refuses the sign-in forms without the pre-session token', async () => {
    const r1 = await fetch(`${site.url}/editor/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: EDITOR }),
    });
    expect(r1.status).toBe(403);
    const r2 = await fetch(`${site.url}/editor/signin/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'x'.repeat(43) }),
    });
    expect(r2.status).toBe(403);
  });
});

describe('sign-in over HTTP', () => {
  async function preSession() {
    const page = await fetch(`${site.url}/editor/signin`);
    return { cookie: /wr_presession=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0], token: /name="csrf" value="([^"]+)"/.exec(await page.text())![1] };
  }
  const ask = (pre: { cookie: string; token: string }, email: string, ip = '203.0.113.9') =>
    fetch(`${site.url}/editor/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: pre.cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
      body: new URLSearchParams({ csrf: pre.token, email }),
    });

  it('gives the same answer for an editor and a stranger', async () => {
    const pre = await preSession();
    const a = await ask(pre, EDITOR);
    const b = await ask(pre, 'nobody@example.com');
    expect([a.status, a.headers.get('location')]).toEqual([b.status, b.headers.get('location')]);
    expect(a.status).toBe(303);
    const sentPage = await fetch(site.url + a.headers.get('location')!);
    expect(await sentPage.text()).toContain('If that address belongs to an editor');
  });

  it('rate limits requests per address, for editors and strangers alike', async () => {
    const pre = await preSession();
    for (const email of ['limit-editor@example.com', 'limit-stranger@example.com']) {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await ask(pre, email)).status);
      expect(statuses.slice(0, 5)).toEqual([303, 303, 303, 303, 303]);
      expect(statuses.slice(5)).toEqual([429, 429]);
    }
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, rotated at each sign-in, and signs out', async () => {
    const page = await fetch(`${site.url}/editor/signin`);
    expect(page.status).toBe(200);
    const first = await site.signIn();
    // the same browser signs in again: it gets a new session id and the old one stops working
    const second = await site.signIn(EDITOR, { existingCookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    const res = await fetch(`${site.url}/editor`, { headers: { cookie: first.cookie }, redirect: 'manual' });
    expect(res.status).toBe(303);
    const ok = await fetch(`${site.url}/editor`, { headers: { cookie: second.cookie } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);

    const out = await fetch(`${site.url}/editor/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: second.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: second.csrf }),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/wr_editor=;/);
    expect((await fetch(`${site.url}/editor`, { headers: { cookie: second.cookie }, redirect: 'manual' })).status).toBe(303);
  });

  it('marks the cookie Secure (and __Host-) when PUBLIC_URL is https', async () => {
    const https = await startEditorSite({ config: { publicUrl: 'https://recap.example.com' } });
    try {
      const page = await fetch(`${https.url}/editor/signin`);
      const pre = /wr_presession=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0];
      expect(page.headers.get('set-cookie')).toMatch(/Secure/);
      const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1];
      const post = (path: string, fields: Record<string, string>) =>
        fetch(https.url + path, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields),
        });
      await post('/editor/signin', { csrf: token, email: EDITOR });
      const mail = await https.waitForMail(EDITOR);
      expect(mail.text).toContain('https://recap.example.com/editor/signin/verify?token=');
      const link = new URL(/https:\/\/\S+verify\?token=[\w-]+/.exec(mail.text)![0]);
      const res = await post('/editor/signin/verify', { csrf: token, token: link.searchParams.get('token')! });
      const setCookie = res.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/__Host-wr_editor=[\w-]+; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    } finally {
      await https.close();
    }
  });

  it('lands on the page that was asked for, and never on another site', async () => {
    const wanted = `/editor/issues/${issueId}/preview?engine=mjml`;
    const anon = await fetch(site.url + wanted, { redirect: 'manual' });
    const signinPath = anon.headers.get('location')!;
    expect(signinPath).toBe(`/editor/signin?next=${encodeURIComponent(wanted)}`);
    for (const [next, lands] of [
      [wanted, wanted],
      ['https://evil.example/editor', '/editor'],
      ['//evil.example/editor', '/editor'],
    ]) {
      site.deps.clock.advance(16 * 60_000);
      const page = await fetch(`${site.url}/editor/signin?next=${encodeURIComponent(next)}`);
      const pre = {
        cookie: /wr_presession=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0],
        token: /name="csrf" value="([^"]+)"/.exec(await page.text())![1],
      };
      const before = new Set((await listMailbox(site.deps.db, { to: EDITOR })).map((m) => m.id));
      await fetch(`${site.url}/editor/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: pre.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: pre.token, email: EDITOR, next }),
      });
      const mail = await site.waitForMail(EDITOR, (m) => !before.has(m.id));
      const link = /https?:\/\/\S+verify\?token=\S+/.exec(mail.text)![0];
      const landing = await (await fetch(link, { headers: { cookie: pre.cookie } })).text();
      const hiddenNext = /name="next" value="([^"]*)"/.exec(landing)![1].replace(/&amp;/g, '&');
      const res = await fetch(`${site.url}/editor/signin/verify`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: pre.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: pre.token, token: new URL(link).searchParams.get('token')!, next: hiddenNext }),
      });
      expect(res.headers.get('location')).toBe(lands);
    }
  });

  it('does not spend a link on GET (mail scanners) and refuses a used link', async () => {
    const pre = await preSession();
    const before = new Set((await listMailbox(site.deps.db, { to: EDITOR })).map((m) => m.id));
    await ask(pre, EDITOR, '198.51.100.7');
    const mail = await site.waitForMail(EDITOR, (m) => !before.has(m.id));
    const link = /https?:\/\/\S+verify\?token=[\w-]+/.exec(mail.text)![0];
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(link)).status).toBe(200);
    const token = new URL(link).searchParams.get('token')!;
    const post = () =>
      fetch(`${site.url}/editor/signin/verify`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: pre.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: pre.token, token }),
      });
    expect((await post()).headers.get('location')).toBe('/editor');
    expect((await post()).headers.get('location')).toBe('/editor/signin');
    expect((await fetch(link)).status).toBe(410);
  });
});

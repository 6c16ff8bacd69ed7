// The signup page and its no-JavaScript form: CSRF, errors shown in the page, escaping, same answer for all.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../src/shared/topics.js';
import { seedSentIssue, startPublicSite, subscribeAndConfirm, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
beforeEach(async () => {
  site = await startPublicSite();
});
afterEach(async () => site?.close());

const count = async () => (await site.deps.db.selectFrom('subscribers').select('id').execute()).length;

describe('GET /', () => {
  it('serves the signup page with labelled fields, topics, a honeypot, a CSRF token and strict headers', async () => {
    const res = await fetch(`${site.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<label for="email">/);
    expect(html).toMatch(/<form method="post" action="\/subscribe"/);
    for (const t of TOPICS) expect(html).toContain(`value="${t}"`);
    expect(html).toMatch(/name="website"/);
    expect(html).toMatch(/name="csrf" value="[\w-]+\.[0-9a-f]{64}"/);
    expect(html).toContain('href="/archive"');
    expect(html).toMatch(/role="status" aria-live="polite"/);
    expect(res.headers.get('set-cookie')).toMatch(/wr_csrf=[\w-]+;.*HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it("shows last week's headlines once an issue was sent", async () => {
    const before = await (await fetch(`${site.url}/`)).text();
    expect(before).not.toContain('headlines-heading');
    await seedSentIssue(site);
    const html = await (await fetch(`${site.url}/`)).text();
    expect(html).toContain('Last week&#39;s headlines');
    expect(html).toContain('Open-weights model tops the reasoning leaderboard');
    expect(html).toContain('Read the whole issue');
  });
});

describe('POST /subscribe (form, no JavaScript)', () => {
  it('refuses a post without a valid CSRF token and stores nothing, offering the form again', async () => {
    const noToken = await site.postForm('/subscribe', { email: 'x@example.com' });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('press Subscribe again');
    const { cookie, token } = await site.csrf();
    const wrongCookie = await site.postForm('/subscribe', { csrf: token, email: 'x@example.com' }, { cookie: 'wr_csrf=AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(wrongCookie.status).toBe(403);
    const tampered = await site.postForm('/subscribe', { csrf: `${token.split('.')[0]}.${'0'.repeat(64)}`, email: 'x@example.com' }, { cookie });
    expect(tampered.status).toBe(403);
    const crossSite = await site.postForm('/subscribe', { csrf: token, email: 'x@example.com' }, { cookie, headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(await count()).toBe(0);
  });

  it('accepts a valid post with 202 and a "check your inbox" page, the same for new, pending and active', async () => {
    await subscribeAndConfirm(site, 'active@example.com');
    await site.postJson('/api/subscribe', { email: 'pending@example.com' });
    const { cookie, token } = await site.csrf();
    const post = async (email: string) => {
      const res = await site.postForm('/subscribe', { csrf: token, email, topics: ['models', 'safety'] }, { cookie });
      return { status: res.status, body: (await res.text()).replace(email, 'EMAIL') };
    };
    const fresh = await post('new@example.com');
    expect(fresh.status).toBe(202);
    expect(fresh.body).toContain('Check your inbox');
    expect(await post('pending@example.com')).toEqual(fresh);
    expect(await post('active@example.com')).toEqual(fresh);
    const row = await site.deps.db.selectFrom('subscribers').selectAll().where('email', '=', 'new@example.com').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', topics: '["models","safety"]', source: 'form' });
    const consent = await site.deps.db.selectFrom('consents').selectAll().where('subscriber_id', '=', row.id).executeTakeFirstOrThrow();
    expect(consent).toMatchObject({ source: 'form', form_version: 'signup-2026-11' });
  });

  it('shows an invalid address as an error in the page, keeps what was typed, escaped', async () => {
    const { cookie, token } = await site.csrf();
    const res = await site.postForm('/subscribe', { csrf: token, email: 'someone@localhost', name: '<img src=x onerror=alert(1)>' }, { cookie });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Enter a valid email address, like name@example.com.');
    expect(html).toMatch(/role="alert"/);
    expect(html).toMatch(/aria-invalid="true"/);
    expect(html).toContain('value="someone@localhost"');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(await count()).toBe(0);
  });

  it('escapes a hostile address in the answer page', async () => {
    const { cookie, token } = await site.csrf();
    const res = await site.postForm('/subscribe', { csrf: token, email: '"><script>alert(1)</script>@example.com' }, { cookie });
    expect(res.status).toBe(422);
    expect(await res.text()).not.toContain('<script>alert(1)</script>');
  });

  it('accepts multipart bodies like a browser form and ignores file fields', async () => {
    const { cookie, token } = await site.csrf();
    const fd = new FormData();
    fd.append('csrf', token);
    fd.append('email', 'multi@example.com');
    fd.append('topics', 'policy');
    fd.append('name', new Blob(['file content']), 'name.txt');
    const res = await fetch(`${site.url}/subscribe`, { method: 'POST', body: fd, headers: { cookie } });
    expect(res.status).toBe(202);
    expect(await site.deps.db.selectFrom('subscribers').select(['name', 'topics']).executeTakeFirstOrThrow()).toEqual({ name: null, topics: '["policy"]' });
  });
});

describe('asset and help routes', () => {
  it('serves the stylesheet and the enhancement script as files (CSP forbids inline script)', async () => {
    const css = await fetch(`${site.url}/assets/public.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    const js = await fetch(`${site.url}/assets/signup.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain(`${'/api/subscribe'.slice(0, 0)}data-api`);
  });

  it('explains where to find personal links when /unsubscribe or /preferences is opened bare', async () => {
    for (const p of ['/unsubscribe', '/preferences']) {
      const res = await fetch(site.url + p);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('link at the bottom');
    }
  });
});

// GET /confirm/:token shows a button and changes nothing (mail scanners fetch every link); POST /confirm/:token
// confirms once, queues one welcome mail; bad links become a friendly 4xx page either way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderPacer } from '../src/core/send/provider-pacer.js';
import { runOutbox } from '../src/core/send/run-outbox.js';
import { signToken } from '../src/core/tokens.js';
import { listMailbox } from '../src/db/repos/dev-mailbox.js';
import { seedSentIssue, startPublicSite, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
beforeEach(async () => {
  site = await startPublicSite();
});
afterEach(async () => site?.close());

const status = async (email: string) =>
  (await site.deps.db.selectFrom('subscribers').select(['status', 'confirmed_at']).where('email', '=', email).executeTakeFirst())?.status;

/** The button page's CSRF cookie and field, as the browser that opened `link` holds them. */
async function openButtonPage(link: string) {
  const res = await fetch(link);
  const html = await res.text();
  const cookie = /wr_csrf=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  return { res, html, cookie: cookie!, token: token! };
}

describe('GET /confirm/:token', () => {
  it('shows one button for the masked address and confirms nothing (mail scanners fetch every link)', async () => {
    await site.postJson('/api/subscribe', { email: 'scanned@example.com' });
    const link = await site.linkIn('scanned@example.com', 'confirm', 'confirm');
    for (let i = 0; i < 3; i++) {
      const { res, html, cookie, token } = await openButtonPage(link);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(html).toContain('sc•••••@example.com');
      expect(html).not.toContain('scanned@example.com');
      expect(html).toContain(`<form method="post" action="${new URL(link).pathname}">`);
      expect(html.match(/<button/g)).toHaveLength(1);
      expect(cookie).toBeTruthy();
      expect(token).toBeTruthy();
    }
    expect(await status('scanned@example.com')).toBe('pending');
    expect(await site.mails({ kind: 'welcome' })).toHaveLength(0);
    const consents = await site.deps.db.selectFrom('consents').select('action').execute();
    expect(consents.map((c) => c.action)).toEqual(['signup']);
  });
});

describe('POST /confirm/:token', () => {
  it('confirms, queues a welcome mail linking the latest sent issue, and is idempotent', async () => {
    const issueId = await seedSentIssue(site);
    const slug = (await site.deps.db.selectFrom('issues').select('slug').where('id', '=', issueId).executeTakeFirstOrThrow()).slug;
    await site.postJson('/api/subscribe', { email: 'w@example.com', name: 'Wil' });
    const link = await site.linkIn('w@example.com', 'confirm', 'confirm');

    const first = await site.confirm(link);
    expect(first.status).toBe(200);
    const page = await first.text();
    expect(page).toContain('You are subscribed');
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('referrer-policy')).toBe('same-origin');
    expect(await status('w@example.com')).toBe('active');

    const welcome = await site.mails({ kind: 'welcome' });
    expect(welcome).toHaveLength(1);
    expect(welcome[0].to_email).toBe('w@example.com');
    expect(welcome[0].text).toContain(`${site.url}/archive/${slug}`);
    expect(welcome[0].text).toMatch(new RegExp(`${site.url}/unsubscribe/[\\w.-]+`));
    const headers = JSON.parse(welcome[0].payload!).headers;
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    // Opening the link again says so without a button; pressing an old page's button again changes nothing.
    const again = await site.confirm(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already');
    const { cookie, token } = await site.csrf('/');
    const twice = await site.postForm(new URL(link).pathname, { csrf: token }, { cookie });
    expect(twice.status).toBe(200);
    expect(await twice.text()).toContain('already');
    expect(await site.mails({ kind: 'welcome' })).toHaveLength(1);

    const consents = await site.deps.db.selectFrom('consents').select(['action', 'source']).orderBy('id').execute();
    expect(consents).toEqual([
      { action: 'signup', source: 'api' },
      { action: 'confirm', source: 'link' },
    ]);
  });

  it('queues exactly one welcome when the button is pressed several times at once', async () => {
    await site.postJson('/api/subscribe', { email: 'race@example.com' });
    const link = await site.linkIn('race@example.com', 'confirm', 'confirm');
    const { cookie, token } = await openButtonPage(link);
    const answers = await Promise.all(Array.from({ length: 6 }, () => site.postForm(new URL(link).pathname, { csrf: token }, { cookie })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const pages = await Promise.all(answers.map((r) => r.text()));
    expect(pages.filter((p) => p.includes('You are subscribed'))).toHaveLength(1);
    expect(await status('race@example.com')).toBe('active');
    expect(await site.mails({ kind: 'welcome', to: 'race@example.com' })).toHaveLength(1);
  });

  it("refuses a POST without the page's CSRF token (403, nothing changes) and offers the button again", async () => {
    await site.postJson('/api/subscribe', { email: 'forged@example.com' });
    const link = await site.linkIn('forged@example.com', 'confirm', 'confirm');
    const path = new URL(link).pathname;
    const { cookie, token } = await openButtonPage(link);
    const other = await site.csrf('/');
    const attempts = [
      site.postForm(path, {}),
      site.postForm(path, {}, { cookie }),
      site.postForm(path, { csrf: token }),
      site.postForm(path, { csrf: other.token }, { cookie }),
      site.postForm(path, { csrf: `${token}x` }, { cookie }),
      site.postForm(path, { csrf: token }, { cookie, headers: { origin: 'https://evil.example' } }),
      site.postForm(path, { csrf: token }, { cookie, headers: { 'sec-fetch-site': 'cross-site' } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain(`<form method="post" action="${path}">`);
      expect(html).toContain('fo••••@example.com');
    }
    expect(await status('forged@example.com')).toBe('pending');
    expect(await site.mails({ kind: 'welcome' })).toHaveLength(0);
    // The page it answers with works.
    expect((await site.confirm(link)).status).toBe(200);
    expect(await status('forged@example.com')).toBe('active');
  });

  it('does not confirm on HEAD (link checkers)', async () => {
    await site.postJson('/api/subscribe', { email: 'h@example.com' });
    const link = await site.linkIn('h@example.com', 'confirm', 'confirm');
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
    expect(await status('h@example.com')).toBe('pending');
  });

  it('answers an expired link with 410 and a form for a new one', async () => {
    await site.postJson('/api/subscribe', { email: 'x@example.com' });
    const link = await site.linkIn('x@example.com', 'confirm', 'confirm');
    const { cookie: pageCookie, token: pageToken } = await openButtonPage(link); // opened in time, pressed too late
    site.deps.clock.advance(7 * 24 * 3600_000 + 1000);
    expect((await site.postForm(new URL(link).pathname, { csrf: pageToken }, { cookie: pageCookie })).status).toBe(410);
    const res = await fetch(link);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('This link has expired');
    expect(html).toMatch(/<form method="post" action="\/subscribe"/);
    expect(html).toMatch(/name="csrf" value="[^"]+"/);
    expect(await status('x@example.com')).toBe('pending');

    // The page's form works: it starts a new confirmation.
    const cookie = /wr_csrf=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    const token = /name="csrf" value="([^"]+)"/.exec(html)![1];
    site.deps.clock.advance(60_000);
    const again = await site.postForm('/subscribe', { csrf: token, email: 'x@example.com' }, { cookie });
    expect(again.status).toBe(202);
    expect(await site.mails({ kind: 'confirm', to: 'x@example.com' })).toHaveLength(2);
  });

  it('answers forged, malformed and wrong-purpose tokens with a 400 page, never a 5xx', async () => {
    await site.postJson('/api/subscribe', { email: 'f@example.com' });
    const good = new URL(await site.linkIn('f@example.com', 'confirm', 'confirm')).pathname.split('/')[2];
    const publicId = (await site.deps.db.selectFrom('subscribers').select('public_id').executeTakeFirstOrThrow()).public_id;
    const forged = `${good.split('.')[0]}.${'A'.repeat(43)}`;
    const otherKey = await signToken('another-secret-another-secret-123', 'confirm', publicId, new Date('2030-01-01'));
    const wrongPurpose = await signToken(site.deps.config.appSecret, 'unsubscribe', publicId);
    for (const t of [forged, otherKey, wrongPurpose, 'garbage', 'a.b.c', '%E2%80%AE', 'x'.repeat(600), '...', '<script>']) {
      const res = await fetch(`${site.url}/confirm/${encodeURIComponent(t)}`);
      expect(res.status, t).toBe(400);
      expect(await res.text()).toContain('This link is not valid');
      const { cookie, token } = await site.csrf('/');
      const post = await site.postForm(`/confirm/${encodeURIComponent(t)}`, { csrf: token }, { cookie });
      expect(post.status, t).toBe(400);
      expect(await post.text()).toContain('This link is not valid');
    }
    expect(await status('f@example.com')).toBe('pending');
  });

  it('refuses a confirmation link that is older than an unsubscribe', async () => {
    await site.postJson('/api/subscribe', { email: 's@example.com' });
    const oldLink = await site.linkIn('s@example.com', 'confirm', 'confirm');
    await site.confirm(oldLink);
    const unsub = await site.linkIn('s@example.com', 'welcome', 'unsubscribe');
    site.deps.clock.advance(5000);
    await site.postForm(new URL(unsub).pathname, { 'List-Unsubscribe': 'One-Click' });
    expect(await status('s@example.com')).toBe('unsubscribed');
    const res = await fetch(oldLink);
    expect(res.status).toBe(410);
    const { cookie, token } = await site.csrf('/');
    expect((await site.postForm(new URL(oldLink).pathname, { csrf: token }, { cookie })).status).toBe(410);
    expect(await status('s@example.com')).toBe('unsubscribed');
  });

  it('never reactivates a bounced or complained address, not even through an old link', async () => {
    await site.postJson('/api/subscribe', { email: 'b@example.com' });
    const link = await site.linkIn('b@example.com', 'confirm', 'confirm');
    await site.deps.db.updateTable('subscribers').set({ status: 'bounced' }).where('email', '=', 'b@example.com').execute();
    const res = await fetch(link);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This address cannot get the recap');
    const { cookie, token } = await site.csrf('/');
    expect((await site.postForm(new URL(link).pathname, { csrf: token }, { cookie })).status).toBe(410);
    expect(await status('b@example.com')).toBe('bounced');
    site.deps.clock.advance(3600_000);
    expect((await site.postJson('/api/subscribe', { email: 'b@example.com' })).status).toBe(202);
    expect(await site.mails({ kind: 'confirm', to: 'b@example.com' })).toHaveLength(1);
    expect(await status('b@example.com')).toBe('bounced');
  });

  it('goes through the real sender: the mail in the dev mailbox carries the link that confirms on click', async () => {
    await site.postJson('/api/subscribe', { email: 'outbox@example.com', name: 'Otto' });
    const flush = () => runOutbox(site.deps, { owner: 'test', limiter: createProviderPacer(1000, () => site.deps.clock.now().getTime()), leaseMs: 60_000 });
    expect((await flush()).sent).toBe(1);
    const [mail] = await listMailbox(site.deps.db, { to: 'outbox@example.com' });
    expect(mail.subject).toMatch(/confirm/i);
    expect(mail.html).toContain('Hi Otto');
    const link = new RegExp(`${site.url}/confirm/[\\w.-]+`).exec(mail.text)![0];
    expect((await fetch(link)).status).toBe(200);
    expect(await status('outbox@example.com')).toBe('pending');
    expect((await site.confirm(link)).status).toBe(200);
    expect(await status('outbox@example.com')).toBe('active');
    expect((await flush()).sent).toBe(1);
    const welcome = (await listMailbox(site.deps.db, { to: 'outbox@example.com' })).find((m) => /welcome/i.test(m.subject))!;
    expect(JSON.parse(welcome.headers)['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });
});

// GET /confirm/:token: confirms once, queues one welcome mail, and turns bad links into a friendly 4xx page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/core/send/rate-limiter.js';
import { runOutbox } from '../src/core/send/run-outbox.js';
import { signToken } from '../src/core/tokens.js';
import { listOutbox } from '../src/db/repos/dev-outbox.js';
import { seedSentIssue, startPublicSite, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
beforeEach(async () => {
  site = await startPublicSite();
});
afterEach(async () => site?.close());

const status = async (email: string) =>
  (await site.deps.db.selectFrom('subscribers').select(['status', 'confirmed_at']).where('email', '=', email).executeTakeFirst())?.status;

describe('GET /confirm/:token', () => {
  it('confirms, queues a welcome mail linking the latest sent issue, and is idempotent', async () => {
    const issueId = await seedSentIssue(site);
    const slug = (await site.deps.db.selectFrom('issues').select('slug').where('id', '=', issueId).executeTakeFirstOrThrow()).slug;
    await site.postJson('/api/subscribe', { email: 'w@example.com', name: 'Wil' });
    const link = await site.linkIn('w@example.com', 'confirm', 'confirm');

    const first = await fetch(link);
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

    const again = await fetch(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already');
    expect(await site.mails({ kind: 'welcome' })).toHaveLength(1);

    const consents = await site.deps.db.selectFrom('consents').select(['action', 'source']).orderBy('id').execute();
    expect(consents).toEqual([
      { action: 'signup', source: 'api' },
      { action: 'confirm', source: 'link' },
    ]);
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
    site.deps.clock.advance(7 * 24 * 3600_000 + 1000);
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
    }
    expect(await status('f@example.com')).toBe('pending');
  });

  it('refuses a confirmation link that is older than an unsubscribe', async () => {
    await site.postJson('/api/subscribe', { email: 's@example.com' });
    const oldLink = await site.linkIn('s@example.com', 'confirm', 'confirm');
    await fetch(oldLink);
    const unsub = await site.linkIn('s@example.com', 'welcome', 'unsubscribe');
    site.deps.clock.advance(5000);
    await site.postForm(new URL(unsub).pathname, { 'List-Unsubscribe': 'One-Click' });
    expect(await status('s@example.com')).toBe('unsubscribed');
    const res = await fetch(oldLink);
    expect(res.status).toBe(410);
    expect(await status('s@example.com')).toBe('unsubscribed');
  });

  it('never reactivates a bounced or complained address, not even through an old link', async () => {
    await site.postJson('/api/subscribe', { email: 'b@example.com' });
    const link = await site.linkIn('b@example.com', 'confirm', 'confirm');
    await site.deps.db.updateTable('subscribers').set({ status: 'bounced' }).where('email', '=', 'b@example.com').execute();
    const res = await fetch(link);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This address cannot get the recap');
    expect(await status('b@example.com')).toBe('bounced');
    site.deps.clock.advance(3600_000);
    expect((await site.postJson('/api/subscribe', { email: 'b@example.com' })).status).toBe(202);
    expect(await site.mails({ kind: 'confirm', to: 'b@example.com' })).toHaveLength(1);
    expect(await status('b@example.com')).toBe('bounced');
  });

  it('goes through the real sender: the mail in the dev outbox carries the link that confirms', async () => {
    await site.postJson('/api/subscribe', { email: 'outbox@example.com', name: 'Otto' });
    const flush = () => runOutbox(site.deps, { owner: 'test', limiter: createRateLimiter(1000, () => site.deps.clock.now().getTime()), leaseMs: 60_000 });
    expect((await flush()).sent).toBe(1);
    const [mail] = await listOutbox(site.deps.db, { to: 'outbox@example.com' });
    expect(mail.subject).toMatch(/confirm/i);
    expect(mail.html).toContain('Hi Otto');
    const link = new RegExp(`${site.url}/confirm/[\\w.-]+`).exec(mail.text)![0];
    expect((await fetch(link)).status).toBe(200);
    expect(await status('outbox@example.com')).toBe('active');
    expect((await flush()).sent).toBe(1);
    const welcome = (await listOutbox(site.deps.db, { to: 'outbox@example.com' })).find((m) => /welcome/i.test(m.subject))!;
    expect(JSON.parse(welcome.headers)['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });
});

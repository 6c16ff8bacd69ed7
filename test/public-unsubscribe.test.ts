// Unsubscribe: GET only shows a button (link scanners follow GETs); POST unsubscribes, one-click or by button.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedSendingIssue } from './helpers/seed.js';
import { startPublicSite, subscribeAndConfirm, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
let links: { unsubscribeUrl: string; preferencesUrl: string };
beforeEach(async () => {
  site = await startPublicSite();
  links = await subscribeAndConfirm(site, 'reader@example.com', { name: 'Rea' });
});
afterEach(async () => site?.close());

const status = async () =>
  (await site.deps.db.selectFrom('subscribers').select('status').where('email', '=', 'reader@example.com').executeTakeFirstOrThrow()).status;
const path = () => new URL(links.unsubscribeUrl).pathname;

describe('GET /unsubscribe/:token', () => {
  it('never unsubscribes, however often or however it is fetched', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(links.unsubscribeUrl);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toMatch(/<button class="button" type="submit">\s*Unsubscribe/);
      expect(html).toContain('re••••@example.com');
      expect(html).not.toContain('reader@example.com');
    }
    await fetch(links.unsubscribeUrl, { method: 'HEAD' });
    await fetch(links.unsubscribeUrl, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks link scanner)' } });
    expect(await status()).toBe('active');
  });

  it('answers a forged token with a friendly 400 page', async () => {
    const res = await fetch(`${site.url}/unsubscribe/${path().split('/')[2].slice(0, -4)}AAAA`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This link is not valid');
  });
});

describe('POST /unsubscribe/:token', () => {
  it('unsubscribes on the RFC 8058 one-click body with 200 and no cookie, idempotently', async () => {
    const oneClick = () =>
      fetch(links.unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const res = await oneClick();
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await status()).toBe('unsubscribed');
    expect((await oneClick()).status).toBe(200);
    expect(await status()).toBe('unsubscribed');
    const consents = await site.deps.db.selectFrom('consents').select(['action', 'source']).where('action', '=', 'unsubscribe').execute();
    expect(consents).toEqual([{ action: 'unsubscribe', source: 'one-click' }]);
  });

  it('accepts the one-click body as multipart too (some mail providers send that)', async () => {
    const fd = new FormData();
    fd.append('List-Unsubscribe', 'One-Click');
    expect((await fetch(links.unsubscribeUrl, { method: 'POST', body: fd })).status).toBe(200);
    expect(await status()).toBe('unsubscribed');
  });

  it('unsubscribes from the page button (CSRF-checked) and offers to resubscribe', async () => {
    const { cookie, token } = await site.csrf(path());
    const noCsrf = await site.postForm(path(), {}, { cookie });
    expect(noCsrf.status).toBe(403);
    expect(await status()).toBe('active');

    const res = await site.postForm(path(), { csrf: token }, { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('You are unsubscribed');
    expect(html).toMatch(/action="\/unsubscribe\/[^"]+\/resubscribe"/);
    expect(await status()).toBe('unsubscribed');

    const back = await site.postForm(`${path()}/resubscribe`, { csrf: token }, { cookie });
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('Welcome back');
    expect(await status()).toBe('active');
  });

  it('drops recap mail already queued for the reader', async () => {
    await seedSendingIssue(site.deps);
    const sub = await site.deps.db.selectFrom('subscribers').select('id').where('email', '=', 'reader@example.com').executeTakeFirstOrThrow();
    const now = site.deps.clock.now().toISOString();
    const issue = await site.deps.db.selectFrom('issues').select('id').executeTakeFirstOrThrow();
    await site.deps.db
      .insertInto('deliveries')
      .values({ issue_id: issue.id, subscriber_id: sub.id, kind: 'recap', status: 'queued', created_at: now, updated_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await fetch(links.unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const recaps = await site.deps.db.selectFrom('deliveries').select('status').where('kind', '=', 'recap').where('subscriber_id', '=', sub.id).execute();
    expect(recaps.length).toBeGreaterThan(0);
    expect(recaps.every((r) => r.status === 'suppressed')).toBe(true);
  });

  it('answers a one-click post with a bad token with a 4xx, never a 5xx', async () => {
    for (const t of ['nope', 'a.b', `${path().split('/')[2]}x`]) {
      const res = await fetch(`${site.url}/unsubscribe/${t}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await status()).toBe('active');
  });
});

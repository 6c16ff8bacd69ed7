// POST /api/subscribe over real HTTP and SQLite: same answer for everyone, consent kept, throttles, CORS.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEmail, hashIp } from '../src/core/subscribers/email-address.js';
import { seedSubscribers } from './helpers/seed.js';
import { startPublicSite, subscribeAndConfirm, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
afterEach(async () => site?.close());

async function answer(res: Response) {
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type'), cookie: res.headers.get('set-cookie') };
}

async function subscriber(email: string) {
  return site.deps.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
}

describe('POST /api/subscribe', () => {
  beforeEach(async () => {
    site = await startPublicSite();
  });

  it('answers a new, a pending and an active address identically (no enumeration)', async () => {
    await subscribeAndConfirm(site, 'active@example.com');
    await site.postJson('/api/subscribe', { email: 'pending@example.com' });
    expect((await subscriber('active@example.com'))?.status).toBe('active');
    expect((await subscriber('pending@example.com'))?.status).toBe('pending');

    const fresh = await answer(await site.postJson('/api/subscribe', { email: 'new@example.com' }));
    const pending = await answer(await site.postJson('/api/subscribe', { email: 'pending@example.com' }));
    const active = await answer(await site.postJson('/api/subscribe', { email: 'active@example.com' }));
    expect(fresh.status).toBe(202);
    expect(pending).toEqual(fresh);
    expect(active).toEqual(fresh);
    expect(JSON.parse(fresh.body)).toMatchObject({ ok: true });
  });

  it('stores the normalised address once, with its keyed hash, and queues one confirmation', async () => {
    const res = await site.postJson('/api/subscribe', { email: '  Ada.Lovelace@Example.COM ', name: ' Ada ', topics: ['policy', 'models'] });
    expect(res.status).toBe(202);
    const row = await subscriber('ada.lovelace@example.com');
    expect(row).toMatchObject({ status: 'pending', name: 'Ada', topics: '["models","policy"]', source: 'api' });
    expect(row!.email_hash).toBe(await hashEmail(site.deps.config.appSecret, 'ada.lovelace@example.com'));
    const mails = await site.mails({ kind: 'confirm' });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to_email: 'ada.lovelace@example.com', to_name: 'Ada', status: 'queued', subscriber_id: row!.id });
    expect(mails[0].subject).toMatch(/confirm/i);
    expect(mails[0].html).toContain('Hi Ada');
    expect(mails[0].text).toMatch(new RegExp(`${site.url}/confirm/[\\w.-]+`));
  });

  it('records consent for each signup: time, source, form version, keyed IP hash, user agent', async () => {
    await site.postJson('/api/subscribe', { email: 'c@example.com', formVersion: 'embed-v1' }, { 'user-agent': 'ConsentTest/1.0' });
    await site.postJson('/api/subscribe', { email: 'c@example.com' }, { 'user-agent': 'ConsentTest/2.0' });
    const row = await subscriber('c@example.com');
    const consents = await site.deps.db.selectFrom('consents').selectAll().where('subscriber_id', '=', row!.id).orderBy('id').execute();
    expect(consents).toHaveLength(2);
    const ipHash = await hashIp(site.deps.config.appSecret, '127.0.0.1');
    expect(consents[0]).toMatchObject({
      action: 'signup',
      source: 'api',
      form_version: 'embed-v1',
      user_agent: 'ConsentTest/1.0',
      created_at: '2026-11-26T12:00:00.000Z',
    });
    expect([ipHash, await hashIp(site.deps.config.appSecret, '::ffff:127.0.0.1')]).toContain(consents[0].ip_hash);
    expect(consents[0].ip_hash).not.toContain('127.0.0.1');
    expect(consents[1]).toMatchObject({ form_version: 'signup-2026-11', user_agent: 'ConsentTest/2.0' });
  });

  it('sends a pending address at most one new confirmation per 10 minutes', async () => {
    for (let i = 0; i < 3; i++) await site.postJson('/api/subscribe', { email: 'p@example.com' });
    expect(await site.mails({ kind: 'confirm' })).toHaveLength(1);
    site.deps.clock.advance(9 * 60_000);
    await site.postJson('/api/subscribe', { email: 'p@example.com' });
    expect(await site.mails({ kind: 'confirm' })).toHaveLength(1);
    site.deps.clock.advance(60_000);
    await site.postJson('/api/subscribe', { email: 'p@example.com' });
    expect(await site.mails({ kind: 'confirm' })).toHaveLength(2);
  });

  it('sends an active address nothing and leaves its confirmed name and topics alone', async () => {
    await subscribeAndConfirm(site, 'a@example.com', { name: 'Real', topics: ['models'] });
    const before = await site.mails();
    await site.postJson('/api/subscribe', { email: 'a@example.com', name: 'Mallory', topics: ['funding'] });
    expect(await site.mails()).toHaveLength(before.length);
    expect(await subscriber('a@example.com')).toMatchObject({ status: 'active', name: 'Real', topics: '["models"]' });
  });

  it('makes an unsubscribed address confirm again before it gets mail', async () => {
    const links = await subscribeAndConfirm(site, 'u@example.com');
    await site.postForm(new URL(links.unsubscribeUrl).pathname, { 'List-Unsubscribe': 'One-Click' });
    expect((await subscriber('u@example.com'))?.status).toBe('unsubscribed');
    site.deps.clock.advance(60_000);
    const res = await site.postJson('/api/subscribe', { email: 'u@example.com' });
    expect(res.status).toBe(202);
    expect((await subscriber('u@example.com'))?.status).toBe('unsubscribed');
    expect(await site.mails({ kind: 'confirm', to: 'u@example.com' })).toHaveLength(1); // the first one was < 10 min ago
    site.deps.clock.advance(10 * 60_000);
    await site.postJson('/api/subscribe', { email: 'u@example.com' });
    expect(await site.mails({ kind: 'confirm', to: 'u@example.com' })).toHaveLength(2);
    expect((await site.confirm(await site.linkIn('u@example.com', 'confirm', 'confirm'))).status).toBe(200);
    expect((await subscriber('u@example.com'))?.status).toBe('active');
  });

  it('refuses bad input with a 4xx JSON error and stores nothing', async () => {
    const cases: [unknown, number][] = [
      [{ email: 'not-an-address' }, 422],
      [{ email: `${'a'.repeat(250)}@example.com` }, 422],
      [{ email: 'a\u0000b@example.com' }, 422],
      [{ email: 'line\nbreak@example.com' }, 422],
      [{ email: 'x@example.com', topics: ['not-a-topic'] }, 422],
      [{ email: 'x@example.com', name: 'bad\u0007name' }, 422],
      [{ email: 42 }, 422],
      [[], 422],
      ['"just a string"', 422],
      ['{"email":', 400],
    ];
    for (const [body, status] of cases) {
      const res = await site.postJson('/api/subscribe', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await res.json()).error.code).toMatch(/validation_failed|bad_request/);
    }
    const wrongType = await fetch(`${site.url}/api/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"email":"x@example.com"}',
    });
    expect(wrongType.status).toBe(400);
    const huge = await site.postJson('/api/subscribe', { email: 'x@example.com', name: 'n'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(await site.deps.db.selectFrom('subscribers').select('id').execute()).toEqual([]);
  });

  it('recognises an address stored under another hash (an import, a fixture) instead of failing on it', async () => {
    const [email] = seedSubscribers(site.deps.testDb.sqlite, 1, { status: 'unsubscribed' });
    const res = await site.postJson('/api/subscribe', { email });
    expect(res.status).toBe(202);
    expect(await site.deps.db.selectFrom('subscribers').select('status').where('email', '=', email).execute()).toEqual([{ status: 'unsubscribed' }]);
    expect(await site.mails({ kind: 'confirm', to: email })).toHaveLength(1);
  });

  it('pretends to accept a filled honeypot but stores nothing', async () => {
    const res = await site.postJson('/api/subscribe', { email: 'bot@example.com', website: 'http://spam.example' });
    expect(res.status).toBe(202);
    expect(await subscriber('bot@example.com')).toBeUndefined();
    expect(await site.mails()).toEqual([]);
  });

  it('lets an erased address sign up anew', async () => {
    const links = await subscribeAndConfirm(site, 'e@example.com', { name: 'Eve' });
    const { cookie, token } = await site.csrf(new URL(links.preferencesUrl).pathname);
    const erased = await site.postForm(`${new URL(links.preferencesUrl).pathname}/erase`, { csrf: token, confirm: 'yes' }, { cookie });
    expect(erased.status).toBe(200);
    const hash = await hashEmail(site.deps.config.appSecret, 'e@example.com');
    expect(await site.deps.db.selectFrom('subscribers').selectAll().where('email_hash', '=', hash).executeTakeFirst()).toMatchObject({
      status: 'erased',
      email: null,
    });
    expect((await site.postJson('/api/subscribe', { email: 'e@example.com' })).status).toBe(202);
    const row = await subscriber('e@example.com');
    expect(row).toMatchObject({ status: 'pending', email_hash: hash, name: null });
    expect((await site.confirm(await site.linkIn('e@example.com', 'confirm', 'confirm'))).status).toBe(200);
    expect((await subscriber('e@example.com'))?.status).toBe('active');
  });
});

describe('rate limit', () => {
  beforeEach(async () => {
    site = await startPublicSite({ config: { signupRatePerMin: 3 } });
  });

  it('answers 429 with Retry-After once a client used its signups for the minute, then lets it in again', async () => {
    for (let i = 0; i < 3; i++) expect((await site.postJson('/api/subscribe', { email: `r${i}@example.com` })).status).toBe(202);
    const res = await site.postJson('/api/subscribe', { email: 'r3@example.com' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await res.json()).error.code).toBe('rate_limited');
    expect(await subscriber('r3@example.com')).toBeUndefined();
    site.deps.clock.advance(Number(res.headers.get('retry-after')) * 1000);
    expect((await site.postJson('/api/subscribe', { email: 'r3@example.com' })).status).toBe(202);
  });

  it('counts form posts and API calls together, per client address', async () => {
    const { cookie, token } = await site.csrf();
    for (let i = 0; i < 3; i++) await site.postForm('/subscribe', { csrf: token, email: `f${i}@example.com` }, { cookie });
    const res = await site.postJson('/api/subscribe', { email: 'f3@example.com' });
    expect(res.status).toBe(429);
    const form = await site.postForm('/subscribe', { csrf: token, email: 'f4@example.com' }, { cookie });
    expect(form.status).toBe(429);
    expect(form.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await form.text()).toContain('Too many signups');
  });
});

describe('CORS', () => {
  beforeEach(async () => {
    site = await startPublicSite({ config: { corsOrigins: ['https://blog.example.org'] } });
  });

  it('lets configured origins call the API and turns others away', async () => {
    const pre = await fetch(`${site.url}/api/subscribe`, {
      method: 'OPTIONS',
      headers: { origin: 'https://blog.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://blog.example.org');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');

    const ok = await site.postJson('/api/subscribe', { email: 'x@example.com' }, { origin: 'https://blog.example.org' });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://blog.example.org');
    expect(ok.headers.get('vary')).toBe('Origin');
    // Server-to-server calls (no Origin) get no CORS grant, but caches still learn the answer varies by Origin.
    const plain = await site.postJson('/api/subscribe', { email: 'z@example.com' });
    expect(plain.status).toBe(202);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Origin');

    const badPre = await fetch(`${site.url}/api/subscribe`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(badPre.headers.get('access-control-allow-origin')).toBeNull();
    const bad = await site.postJson('/api/subscribe', { email: 'y@example.com' }, { origin: 'https://evil.example' });
    expect(bad.status).toBe(403);
    expect(await subscriber('y@example.com')).toBeUndefined();
  });

  it('records signups from the site itself as the form, others as the API', async () => {
    await site.postJson('/api/subscribe', { email: 'own@example.com' }, { origin: site.url });
    await site.postJson('/api/subscribe', { email: 'embed@example.com' }, { origin: 'https://blog.example.org' });
    expect((await subscriber('own@example.com'))?.source).toBe('form');
    expect((await subscriber('embed@example.com'))?.source).toBe('api');
  });
});

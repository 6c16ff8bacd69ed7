// Story links through GET /r/:token (issue 16): sent by the real sender to the fake Resend, followed over real HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackingMode } from '../src/config.js';
import { signClickToken } from '../src/core/issues/click-tokens.js';
import { startSending } from '../src/core/issues/issue-lifecycle.js';
import { batchRequest } from '../src/core/send/batch-request.js';
import { dispatch } from '../src/core/send/dispatch.js';
import { outboxStoreFor } from '../src/core/send/outbox-store.js';
import { prepareIssueSend } from '../src/core/send/prepare-issue.js';
import { createProviderPacer } from '../src/core/send/provider-pacer.js';
import { setClickConsent } from '../src/core/subscribers/click-consent.js';
import { getIssue } from '../src/db/repos/issues.js';
import { createApp } from '../src/http/app.js';
import { createResendMailer } from '../src/mail/resend-mailer.js';
import { buildEmailEvent, createWebhookSecret, signWebhook, startFakeResend, type FakeResend } from './fake-resend/server.js';
import { makeDeps, realClock, type TestDeps } from './helpers/deps.js';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { ingestEvents } from '../src/core/events/ingest-events.js';
import { eventInput } from './factories.js';
import { seedSubscribers } from './helpers/seed.js';
import { startServer, type TestServer } from './helpers/server.js';

const API_TOKEN = 'click-stats-api-token-0123456789';
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const savedBase = process.env.RESEND_BASE_URL;
let fake: FakeResend;
let deps: TestDeps;
let server: TestServer;
const hookSecret = createWebhookSecret();

afterEach(async () => {
  await server?.close();
  await fake?.close();
  await deps?.cleanup();
  process.env.RESEND_BASE_URL = savedBase;
});

async function setup(tracking: TrackingMode, readers = 6) {
  fake = await startFakeResend({ ratePerSecond: false });
  process.env.RESEND_BASE_URL = fake.url;
  deps = makeDeps({
    clock: realClock(),
    config: { tracking, editorApiToken: API_TOKEN, resendWebhookSecret: hookSecret },
    mailer: createResendMailer({ apiKey: 're_clicks', timeoutMs: 2000 }),
  });
  server = await startServer(createApp(deps));
  deps.config.publicUrl = server.url;
  const emails = seedSubscribers(deps.testDb.sqlite, readers);
  // headlines far enough apart that none are merged as one story
  const heads = ['Quantum ledger', 'Harbor turbine', 'Violet compass', 'Granite orchard', 'Meadow beacon', 'Falcon quarry'];
  const now = deps.clock.now().getTime();
  await ingestEvents(deps, {
    events: heads.map((h, i) =>
      eventInput({
        title: `${h} ${['ships', 'raises', 'opens', 'sues', 'hires', 'wins'][i]} ${['chips', 'funds', 'weights', 'rivals', 'staff', 'awards'][i]}`,
        url: `https://news.example.com/s/${i}`,
        publishedAt: new Date(now - (i + 1) * 3600_000).toISOString(),
        topics: [['models', 'compute', 'policy', 'tools'][i % 4]],
        views: 1000 - i * 50,
      }),
    ),
  });
  const { issue } = await buildDraft(deps);
  return { emails, issueId: issue.id };
}

const ctx = { ip: '127.0.0.1', userAgent: BROWSER };
const subscriberId = (email: string) => (deps.testDb.sqlite.prepare('SELECT id FROM subscribers WHERE email = ?').get(email) as { id: number }).id;
const publicIdOf = (email: string) =>
  (deps.testDb.sqlite.prepare('SELECT public_id FROM subscribers WHERE email = ?').get(email) as { public_id: string }).public_id;
const mailTo = (to: string) => fake.state.emails.find((e) => e.to[0] === to)!;
const clickLinks = (s: string) => [...new Set([...s.matchAll(/https?:\/\/[^\s"'<>]+\/r\/[A-Za-z0-9._~-]+/g)].map((m) => m[0].replace(/&amp;/g, '&')))];
const rows = (q: string, ...args: unknown[]) => deps.testDb.sqlite.prepare(q).all(...args) as Record<string, unknown>[];

async function sendAll(issueId: string) {
  for (let i = 0; i < 20 && (await getIssue(deps.db, issueId))?.status !== 'sent'; i++) {
    await dispatch(deps, { owner: 'clicks', limiter: createProviderPacer(Infinity), leaseMs: 5000, concurrency: 2 });
    deps.clock.advance(60_000);
  }
}

const follow = (url: string, init: RequestInit = {}) =>
  fetch(url, { redirect: 'manual', ...init, headers: { 'user-agent': BROWSER, ...(init.headers as Record<string, string>) } });

describe('story links through /r/:token', () => {
  it('aggregate: every story link in HTML and text is ours, leads with a 302 to that story only, and stores nothing about who clicked', async () => {
    const { emails, issueId } = await setup('aggregate');
    await startSending(deps, issueId);
    await sendAll(issueId);
    const mail = mailTo(emails[0]);
    const links = clickLinks(mail.html ?? '');
    expect(links.length).toBeGreaterThanOrEqual(6);
    expect(clickLinks(mail.text ?? '').sort()).toEqual([...links].sort());
    // the article URLs themselves are not in the mail; no reader's id is in any link
    expect(mail.html).not.toMatch(/href="https:\/\/news\.example\.com/);
    for (const e of emails) expect(links.join(' ')).not.toContain(publicIdOf(e));
    // every reader of the same edition gets the very same links
    expect(clickLinks(mailTo(emails[1]).html ?? '')).toEqual(links);

    deps.clock.advance(120_000); // well past the scanner window after the send started
    const frozen = new Set(rows('SELECT url FROM issue_links WHERE issue_id = ?', issueId).map((r) => r.url));
    for (const link of links) {
      const res = await follow(link, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(res.status).toBe(302);
      expect(frozen.has(res.headers.get('location'))).toBe(true);
      expect(res.headers.get('location')).toMatch(/^https:\/\/news\.example\.com\/s\/\d+\?utm_source=weekly-ai-recap/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    await follow(links[0]);

    const counts = rows('SELECT * FROM click_counts WHERE issue_id = ? ORDER BY clicks DESC, event_id', issueId);
    expect(Object.keys(counts[0]).sort()).toEqual(['clicks', 'edition', 'event_id', 'issue_id', 'readers_folded', 'scanner_clicks']);
    expect(counts.reduce((a, r) => a + Number(r.clicks), 0)).toBe(links.length + 1);
    expect(counts[0].clicks).toBe(2);
    expect(rows('SELECT * FROM click_readers')).toEqual([]);
    // nothing from the request is anywhere in the click tables: no address, agent, reader id or email
    const stored = JSON.stringify([...counts, ...rows('SELECT * FROM click_readers')]);
    for (const needle of ['203.0.113.9', '127.0.0.1', 'Safari', 'example.com', publicIdOf(emails[0])]) expect(stored).not.toContain(needle);

    const stats = await (await fetch(`${server.url}/api/editor/issues/${issueId}/stats`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
    expect(stats.clicks.total).toBe(links.length + 1);
    expect(stats.clicks.uniqueReaders).toBeNull();
    expect(stats.clicks.perStory[0].clicks).toBe(2);
    expect(stats.clicks.perStory[0].eventId).toBe(Number(counts[0].event_id));
    expect(stats.funnel.accepted).toBe(emails.length);
    // the dashboard's funnel (trigger-kept counters), with its per-edition rows
    expect(stats.funnel).toMatchObject({ unsubscribed: 0, complained: 0, bounced: 0 });
    expect(stats.funnel.perEdition.reduce((n: number, e: { accepted: number }) => n + e.accepted, 0)).toBe(emails.length);
    expect(stats.provider).toMatchObject({ opened: 0, clicked: 0 });
    expect(stats.provider.note).toMatch(/Apple Mail Privacy Protection/);
  });

  it('refuses forged tokens, foreign URLs and stories of another issue with a 404 page, never a redirect', async () => {
    const { emails, issueId } = await setup('aggregate');
    await startSending(deps, issueId);
    await sendAll(issueId);
    const link = clickLinks(mailTo(emails[0]).html ?? '')[0];
    const token = link.split('/r/')[1];
    const [issue, edition, event, mac] = token.split('.');
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    const otherEvent = await signClickToken(deps.config.appSecret, { issueId, edition: 0, eventId: 999_999 });
    const wrongSecret = await signClickToken('another-secret-another-secret-0123', { issueId, edition: 0, eventId: Number(event) });
    const bad = [
      `${issue}.${edition}.${event}.${flipped}`,
      `${issue}.${edition}.${Number(event) + 1}.${mac}`,
      `${issue}.7.${event}.${mac}`,
      'https%3A%2F%2Fevil.example%2F',
      encodeURIComponent('https://evil.example/'),
      otherEvent,
      wrongSecret,
      `${token}~${'0'.repeat(32)}.x`,
      `${token}~${'0'.repeat(32)}.${mac}`,
      'x'.repeat(400),
    ];
    for (const t of bad) {
      const res = await follow(`${server.url}/r/${t}`);
      expect(res.status, t).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('This link does not lead anywhere');
    }
    // a query string cannot add a destination either
    const res = await follow(`${link}?url=https://evil.example/&next=//evil.example`);
    expect(res.headers.get('location')).toMatch(/^https:\/\/news\.example\.com\//);
    expect(rows('SELECT sum(clicks) AS n FROM click_counts')[0].n).toBe(1);
  });

  it('counts HEAD requests, scanner agents and clicks right after the send apart from readers', async () => {
    const { emails, issueId } = await setup('aggregate');
    await startSending(deps, issueId);
    await sendAll(issueId);
    const link = clickLinks(mailTo(emails[0]).html ?? '')[0];
    deps.clock.set(new Date(Date.parse((await getIssue(deps.db, issueId))!.started_at!) + 5_000));
    expect((await follow(link)).status).toBe(302); // 5 s after the send started: a gateway, not a person
    deps.clock.advance(120_000);
    expect((await follow(link, { method: 'HEAD' })).status).toBe(302);
    expect((await follow(link, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; Mimecast URL protection)' } })).status).toBe(302);
    expect((await fetch(link, { redirect: 'manual', headers: { 'user-agent': '' } })).status).toBe(302);
    expect((await follow(link)).status).toBe(302);
    expect(rows('SELECT sum(clicks) AS c, sum(scanner_clicks) AS s FROM click_counts')[0]).toEqual({ c: 1, s: 4 });
  });

  it('reader mode: only consenting readers get named links; a scanner within seconds of their delivery is not their click; a withdrawal stops the naming', async () => {
    const { emails, issueId } = await setup('reader', 4);
    const [yes, no, later] = emails;
    await setClickConsent(deps, subscriberId(yes), true, 'preferences-page', ctx);
    await setClickConsent(deps, subscriberId(no), false, 'preferences-page', ctx);
    await startSending(deps, issueId);
    await sendAll(issueId);
    // consent given after the send started applies from the next issue
    await setClickConsent(deps, subscriberId(later), true, 'preferences-page', ctx);

    const yesLinks = clickLinks(mailTo(yes).html ?? '');
    expect(yesLinks.every((l) => l.includes(`~${publicIdOf(yes)}.`))).toBe(true);
    expect(clickLinks(mailTo(yes).text ?? '').sort()).toEqual([...yesLinks].sort());
    for (const other of [no, later, emails[3]]) {
      const html = mailTo(other).html ?? '';
      expect(clickLinks(html).length).toBe(yesLinks.length);
      expect(html).not.toContain('~');
      expect(html).not.toContain('%%WR_');
    }

    const sentAt = (rows('SELECT sent_at FROM deliveries WHERE subscriber_id = ? AND issue_id = ?', subscriberId(yes), issueId)[0].sent_at as string) ?? '';
    deps.clock.set(new Date(Date.parse(sentAt) + 3_000));
    expect((await follow(yesLinks[0])).status).toBe(302); // 3 s after Resend accepted it: a link scanner
    expect(rows('SELECT * FROM click_readers')).toEqual([]);
    deps.clock.set(new Date(Date.parse(sentAt) + 90_000));
    await follow(yesLinks[0]);
    await follow(yesLinks[1]);
    await follow(clickLinks(mailTo(no).html ?? '')[0]);
    const readerRows = rows('SELECT subscriber_id, clicks FROM click_readers ORDER BY event_id');
    expect(readerRows).toEqual([
      { subscriber_id: subscriberId(yes), clicks: 1 },
      { subscriber_id: subscriberId(yes), clicks: 1 },
    ]);
    expect(rows('SELECT sum(clicks) AS c, sum(scanner_clicks) AS s FROM click_counts')[0]).toEqual({ c: 3, s: 1 });

    const stats = await (await fetch(`${server.url}/api/editor/issues/${issueId}/stats`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
    expect(stats.clicks.uniqueReaders).toBe(1);

    // withdrawing deletes the rows naming them, and later clicks on their old links count without a name
    await setClickConsent(deps, subscriberId(yes), false, 'preferences-page', ctx);
    expect(rows('SELECT * FROM click_readers')).toEqual([]);
    expect((await follow(yesLinks[2])).status).toBe(302);
    expect(rows('SELECT * FROM click_readers')).toEqual([]);
    expect(rows('SELECT sum(clicks) AS c FROM click_counts')[0].c).toBe(4);
  });

  it('reader mode: a batch rebuilt for a retry is byte-identical, even when consents changed in between', async () => {
    const { emails, issueId } = await setup('reader', 30);
    for (const e of emails.filter((_, i) => i % 2 === 0)) await setClickConsent(deps, subscriberId(e), true, 'signup', ctx);
    await startSending(deps, issueId);
    const issue = await prepareIssueSend(deps, issueId);
    const store = outboxStoreFor(deps.db);
    const nowIso = deps.clock.now().toISOString();
    const batch = (await store.claimBatch({ issueId, keyPrefix: 'wr-test', limit: 100, owner: 'clicks', leaseUntilIso: nowIso, nowIso }))!;
    const members = await store.batchMembers(batch.id);
    const bodyOf = async () => {
      const r = await batchRequest(deps, store, { ...batch, body: null, frame: null }, issue, members);
      if (!r.ok || !r.body) throw new Error('no body');
      return r.body.json;
    };
    const first = await bodyOf();
    // a crash after the provider took it: the retry rebuilds the body from the frozen rows, after one reader said no
    // and another yes (as a crash-retry does: the stored request is kept only after an attempt that returned)
    deps.clock.advance(1_000);
    await setClickConsent(deps, subscriberId(emails[0]), false, 'preferences-page', ctx);
    await setClickConsent(deps, subscriberId(emails[1]), true, 'preferences-page', ctx);
    expect(await bodyOf()).toBe(first);
    expect(first).toContain(`~${publicIdOf(emails[0])}.`);
    expect(first).not.toContain(`~${publicIdOf(emails[1])}.`);

    // and through the real sender and the fake: a retry after the provider accepted is replayed, never a 409
    fake.setFaults({ kind: 'error500', afterAccept: true });
    await sendAll(issueId);
    const batches = fake.state.requests.filter((r) => r.path === '/emails/batch');
    const faulted = batches.find((r) => r.fault === 'error500')!;
    const retries = batches.filter((r) => r.idempotencyKey === faulted.idempotencyKey);
    expect(retries.length).toBeGreaterThan(1);
    expect(retries.slice(1).map((r) => r.outcome)).toEqual(retries.slice(1).map(() => 'replayed'));
    expect(batches.some((r) => r.status === 409)).toBe(false);
    const counts = fake.state.countByRecipient();
    expect(emails.filter((e) => counts.get(e) !== 1)).toEqual([]);
  });

  it("counts Resend's own opened and clicked webhooks per issue, labelled as provider-reported", async () => {
    const { emails, issueId } = await setup('aggregate', 3);
    await startSending(deps, issueId);
    await sendAll(issueId);
    const post = (type: 'email.opened' | 'email.clicked', to: string) => {
      const signed = signWebhook(hookSecret, buildEmailEvent(type, fake.state.emails.find((e) => e.to[0] === to)!));
      return fetch(`${server.url}/webhooks/resend`, { method: 'POST', headers: signed.headers, body: signed.body });
    };
    for (const e of emails) expect((await post('email.opened', e)).status).toBe(200);
    expect((await post('email.clicked', emails[0])).status).toBe(200);
    const stats = await (await fetch(`${server.url}/api/editor/issues/${issueId}/stats`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
    expect(stats.provider).toMatchObject({ opened: 3, clicked: 1 });
    expect(stats.clicks.total).toBe(0);
    // the stats need the editor's token like every /api/editor route
    expect((await fetch(`${server.url}/api/editor/issues/${issueId}/stats`)).status).toBe(401);
  });

  it('off: the mail links the articles themselves', async () => {
    const { emails, issueId } = await setup('off', 2);
    await startSending(deps, issueId);
    await sendAll(issueId);
    expect(clickLinks(mailTo(emails[0]).html ?? '')).toEqual([]);
    expect(mailTo(emails[0]).html).toMatch(/href="https:\/\/news\.example\.com\/s\/0\?utm_source=weekly-ai-recap/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/send/dispatch.js';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { getIssueView } from '../../src/core/issues/issue-view.js';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { createApp } from '../../src/http/app.js';
import { createResendMailer } from '../../src/mail/resend-mailer.js';
import { buildEmailEvent, createWebhookSecret, signWebhook, startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { makeDeps, realClock, type TestDeps } from '../helpers/deps.js';
import { seedDraft, seedSubscribers } from '../helpers/seed.js';
import { startServer, type TestServer } from '../helpers/server.js';

let fake: FakeResend;
let deps: TestDeps;
let server: TestServer;
let secret: string;
let issueId: string;
const savedBase = process.env.RESEND_BASE_URL;

beforeEach(async () => {
  fake = await startFakeResend({ ratePerSecond: false });
  process.env.RESEND_BASE_URL = fake.url;
  secret = createWebhookSecret();
  deps = makeDeps({ clock: realClock(), config: { resendWebhookSecret: secret }, mailer: createResendMailer({ apiKey: 're_hook', timeoutMs: 2000 }) });
  seedSubscribers(deps.testDb.sqlite, 20);
  issueId = await seedDraft(deps);
  await startSending(deps, issueId);
  await dispatch(deps, { owner: 'w', limiter: createProviderPacer(Infinity), leaseMs: 5000 });
  server = await startServer(createApp(deps));
});
afterEach(async () => {
  await server.close();
  await fake.close();
  await deps.cleanup();
  process.env.RESEND_BASE_URL = savedBase;
});

function post(signed: { headers: Record<string, string>; body: string }) {
  return fetch(`${server.url}/webhooks/resend`, { method: 'POST', headers: signed.headers, body: signed.body });
}
const emailTo = (to: string) => fake.state.emails.find((e) => e.to[0] === to)!;

describe('POST /webhooks/resend', () => {
  it('applies a valid delivered event and counts it on the issue', async () => {
    const res = await post(signWebhook(secret, buildEmailEvent('email.delivered', emailTo('reader1@example.com'))));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, applied: true });
    const view = await getIssueView(deps, issueId);
    expect(view.counts).toMatchObject({ total: 20, sent: 20, delivered: 1 });
  });

  it('rejects a forged signature and a stale timestamp with 401, changing nothing', async () => {
    const event = buildEmailEvent('email.complained', emailTo('reader2@example.com'));
    const forged = signWebhook(createWebhookSecret(), event);
    const stale = signWebhook(secret, event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await post(forged)).status).toBe(401);
    expect((await post(stale)).status).toBe(401);
    const tampered = signWebhook(secret, event);
    expect((await post({ ...tampered, body: tampered.body.replace('complained', 'delivered') })).status).toBe(401);
    expect((await getIssueView(deps, issueId)).counts.complained).toBe(0);
  });

  it('ignores a replayed svix-id', async () => {
    const signed = signWebhook(secret, buildEmailEvent('email.delivered', emailTo('reader3@example.com')));
    expect(await (await post(signed)).json()).toMatchObject({ duplicate: false });
    expect(await (await post(signed)).json()).toMatchObject({ duplicate: true });
  });

  it('a permanent bounce suppresses the reader: the next issue skips them', async () => {
    await post(signWebhook(secret, buildEmailEvent('email.bounced', emailTo('reader4@example.com'), { bounceType: 'Permanent' })));
    await post(signWebhook(secret, buildEmailEvent('email.complained', emailTo('reader5@example.com'))));
    await post(signWebhook(secret, buildEmailEvent('email.bounced', emailTo('reader6@example.com'), { bounceType: 'Transient' })));
    const counts = (await getIssueView(deps, issueId)).counts;
    expect(counts).toMatchObject({ bounced: 1, complained: 1 });
    const statuses = deps.testDb.sqlite
      .prepare("SELECT email, status FROM subscribers WHERE email IN ('reader4@example.com','reader5@example.com','reader6@example.com') ORDER BY email")
      .all();
    expect(statuses).toEqual([
      { email: 'reader4@example.com', status: 'bounced' },
      { email: 'reader5@example.com', status: 'complained' },
      { email: 'reader6@example.com', status: 'active' },
    ]);
    // next week's issue
    deps.clock.advance(7 * 86_400_000);
    const next = await seedDraft(deps);
    await startSending(deps, next);
    const before = fake.state.emails.length;
    await dispatch(deps, { owner: 'w', limiter: createProviderPacer(Infinity), leaseMs: 5000 });
    const recipients = fake.state.emails.slice(before).map((e) => e.to[0]);
    expect(recipients).toHaveLength(18);
    expect(recipients).not.toContain('reader4@example.com');
    expect(recipients).not.toContain('reader5@example.com');
  });

  it('answers 503 when no webhook secret is configured', async () => {
    const d2 = makeDeps({ testDb: deps.testDb });
    const s2 = await startServer(createApp(d2));
    const res = await fetch(`${s2.url}/webhooks/resend`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    await s2.close();
  });
});

// The sender's guards (issue 16): complaint and bounce rates pause or stop a send fed by the fake's signed webhooks,
// a pause stops new batches, an editor's resume continues it with every reader getting exactly one mail, and soft
// bounces on three issues suppress the address.
import { afterEach, describe, expect, it } from 'vitest';
import type { SendGuardConfig } from '../../src/config.js';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { outboxStoreFor } from '../../src/core/send/outbox-store.js';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { runOutbox } from '../../src/core/send/run-outbox.js';
import { createApp } from '../../src/http/app.js';
import { createResendMailer } from '../../src/mail/resend-mailer.js';
import { buildEmailEvent, createWebhookSecret, type FakeResend, signWebhook, startFakeResend } from '../fake-resend/server.js';
import { makeDeps, realClock, type TestDeps } from '../helpers/deps.js';
import { seedDraft, seedSubscribers } from '../helpers/seed.js';
import { startServer, type TestServer } from '../helpers/server.js';

const TOKEN = 'guard-test-api-token-0123456789';
const READERS = 60;
let fake: FakeResend;
let deps: TestDeps;
let server: TestServer;
let secret: string;
const savedBase = process.env.RESEND_BASE_URL;

async function setUp(guards: Partial<SendGuardConfig>) {
  fake = await startFakeResend({ ratePerSecond: false });
  process.env.RESEND_BASE_URL = fake.url;
  secret = createWebhookSecret();
  deps = makeDeps({
    clock: realClock(),
    config: { resendWebhookSecret: secret, editorApiToken: TOKEN },
    mailer: createResendMailer({ apiKey: 're_guard', timeoutMs: 2000 }),
  });
  deps.config.guards = { ...deps.config.guards, ...guards };
  seedSubscribers(deps.testDb.sqlite, READERS);
  server = await startServer(createApp(deps));
}

afterEach(async () => {
  await server?.close();
  await fake?.close();
  await deps?.cleanup();
  process.env.RESEND_BASE_URL = savedBase;
});

/** Sends batches of 10 until the fake holds `upTo` mails (or everything is sent). */
function send(upTo = Number.POSITIVE_INFINITY) {
  return runOutbox(deps, {
    owner: 'guard-test',
    limiter: createProviderPacer(Number.POSITIVE_INFINITY),
    leaseMs: 5000,
    batchSize: 10,
    shouldStop: () => fake.state.emails.length >= upTo,
  });
}

async function event(type: Parameters<typeof buildEmailEvent>[0], n: number, opts: Parameters<typeof buildEmailEvent>[2] = {}) {
  const signed = signWebhook(secret, buildEmailEvent(type, fake.state.emails[n], opts));
  const res = await fetch(`${server.url}/webhooks/resend`, { method: 'POST', headers: signed.headers, body: signed.body });
  expect(res.status).toBe(200);
}

const issueRow = (id: string) =>
  deps.testDb.sqlite.prepare('SELECT status, paused_reason, failure_reason, guard_paused, guards_cleared FROM issues WHERE id = ?').get(id) as {
    status: string;
    paused_reason: string | null;
    failure_reason: string | null;
    guard_paused: string | null;
    guards_cleared: string;
  };

function mailsPerReader(): Map<string, number> {
  const per = new Map<string, number>();
  for (const e of fake.state.emails) per.set(e.to[0], (per.get(e.to[0]) ?? 0) + 1);
  return per;
}

describe('complaint guard', () => {
  it('pauses a send over GUARD_COMPLAINT_PAUSE; no new batch until an editor resumes, then every reader gets exactly one mail', async () => {
    await setUp({ complaintPause: 0.01, complaintStop: 0.1, minDelivered: 20 });
    const id = await seedDraft(deps);
    await startSending(deps, id);
    await send(30);
    expect(fake.state.emails).toHaveLength(30);

    await event('email.complained', 0);
    for (let n = 1; n < 19; n++) await event('email.delivered', n);
    expect(issueRow(id).guard_paused).toBeNull(); // 19 delivered: under the floor, the rate is not weighed yet
    await event('email.delivered', 19); // 1 complaint of 20 delivered = 5%, over 1%, under the 10% stop
    const paused = issueRow(id);
    expect(paused).toMatchObject({ status: 'sending', guard_paused: 'complaints' });
    expect(paused.paused_reason).toContain('Paused by the complaint guard: 1 complaints of 20 delivered (5%)');

    // a batch that was in flight and succeeds clears provider pauses, never this one
    await outboxStoreFor(deps.db).clearIssuePause(id);
    expect(issueRow(id)).toMatchObject({ guard_paused: 'complaints', paused_reason: paused.paused_reason });
    await send();
    expect(fake.state.emails).toHaveLength(30);

    const page = await fetch(`${server.url}/api/editor/issues/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await page.json()).toMatchObject({ pausedReason: paused.paused_reason, heldForEditor: true });

    const resumed = await fetch(`${server.url}/api/editor/issues/${id}/resume`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(resumed.status).toBe(200);
    expect(issueRow(id)).toMatchObject({ guard_paused: null, paused_reason: null, guards_cleared: 'complaints' });
    const audit = deps.testDb.sqlite.prepare("SELECT actor, action FROM audit_log WHERE target_id = ? AND action LIKE 'issue.%' ORDER BY id").all(id);
    expect(audit).toEqual([
      { actor: 'system', action: 'issue.paused_by_guard' },
      { actor: 'api-token', action: 'issue.resumed' },
    ]);

    await send();
    for (let n = 20; n < 40; n++) await event('email.delivered', n); // still 1 of 40: the editor accepted that rate
    await send();
    expect(issueRow(id)).toMatchObject({ status: 'sent', guard_paused: null });
    const per = mailsPerReader();
    expect(per.size).toBe(READERS);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });

  it('stops a send over GUARD_COMPLAINT_STOP: the issue fails with the reason and no more batches go out', async () => {
    await setUp({ complaintPause: 0.01, complaintStop: 0.03, minDelivered: 20 });
    const id = await seedDraft(deps);
    await startSending(deps, id);
    await send(30);
    await event('email.complained', 0);
    for (let n = 1; n < 20; n++) await event('email.delivered', n);
    const stopped = issueRow(id);
    expect(stopped.status).toBe('failed');
    expect(stopped.failure_reason).toContain('Stopped by the complaint guard: 1 complaints of 20 delivered (5%) is over GUARD_COMPLAINT_STOP (3%)');
    await send();
    expect(fake.state.emails).toHaveLength(30);
    const queued = deps.testDb.sqlite.prepare("SELECT count(*) AS n FROM deliveries WHERE issue_id = ? AND status = 'queued'").get(id) as { n: number };
    expect(queued.n).toBe(READERS - 30);
  });
});

describe('bounce guard', () => {
  it('the sender weighs the guards before each batch: hard bounces over GUARD_BOUNCE_PAUSE pause it', async () => {
    await setUp({ minDelivered: 20 });
    const id = await seedDraft(deps);
    await startSending(deps, id);
    await send(30);
    // counts that moved without a webhook's own check (as if that check had failed): 2 of 30 bounced
    deps.testDb.sqlite
      .prepare("UPDATE deliveries SET status = CASE WHEN id % 15 = 0 THEN 'bounced' ELSE 'delivered' END WHERE issue_id = ? AND status = 'sent'")
      .run(id);
    await send();
    expect(fake.state.emails).toHaveLength(30);
    const row = issueRow(id);
    expect(row.guard_paused).toBe('bounces');
    expect(row.paused_reason).toContain('2 hard bounces of 30 delivered or bounced (6.67%) is over GUARD_BOUNCE_PAUSE (5%)');
  });
});

describe('soft bounces', () => {
  it('suppress an address that soft-bounced on three different issues, with the reason recorded', async () => {
    await setUp({});
    const softBounce = async (address: string) => {
      const n = fake.state.emails.findLastIndex((e) => e.to[0] === address);
      await event('email.bounced', n, { bounceType: 'Transient' });
    };
    const subscriber = () =>
      deps.testDb.sqlite.prepare("SELECT status, suppressed_reason FROM subscribers WHERE email = 'reader7@example.com'").get() as {
        status: string;
        suppressed_reason: string | null;
      };
    for (let week = 0; week < 3; week++) {
      if (week) deps.clock.advance(7 * 86_400_000);
      const id = await seedDraft(deps);
      await startSending(deps, id);
      await send();
      await softBounce('reader7@example.com');
      await softBounce('reader7@example.com'); // the provider's retry on the same issue counts once
      expect(subscriber()).toEqual(
        week < 2 ? { status: 'active', suppressed_reason: null } : { status: 'bounced', suppressed_reason: 'soft bounces on 3 issues' },
      );
    }
    deps.clock.advance(7 * 86_400_000);
    const id = await seedDraft(deps);
    await startSending(deps, id);
    await send();
    expect(mailsPerReader().get('reader7@example.com')).toBe(3);
  });
});

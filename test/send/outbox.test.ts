import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/send/dispatch.js';
import { enqueueMail } from '../../src/core/send/enqueue-mail.js';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { prepareIssueSend } from '../../src/core/send/prepare-issue.js';
import { createSignupService } from '../../src/core/subscribers/signup.js';
import { CONFIRM_TTL_MS, confirmUrlFor } from '../../src/core/subscribers/confirm-url.js';
import { verifyToken } from '../../src/core/tokens.js';
import { getIssue } from '../../src/db/repos/issues.js';
import { renderConfirmEmail } from '../../src/mail/transactional.js';
import { createResendMailer } from '../../src/mail/resend-mailer.js';
import { startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { makeDeps, type TestDeps } from '../helpers/deps.js';
import { seedSendingIssue, seedSubscribers } from '../helpers/seed.js';

let fake: FakeResend;
let deps: TestDeps;
const savedBase = process.env.RESEND_BASE_URL;

async function setup(fakeOpts: Parameters<typeof startFakeResend>[0] = {}) {
  fake = await startFakeResend({ ratePerSecond: false, ...fakeOpts });
  process.env.RESEND_BASE_URL = fake.url;
  deps = makeDeps({ now: new Date().toISOString(), mailer: createResendMailer({ apiKey: 're_test_key', timeoutMs: 2000 }) });
  deps.clock.set(new Date()); // real-ish time for leases
}

function run(ratePerSec = Infinity) {
  return dispatch(deps, { owner: 'test-runner', limiter: createProviderPacer(ratePerSec), leaseMs: 5000, concurrency: 2 });
}

afterEach(async () => {
  await fake?.close();
  await deps?.cleanup();
  process.env.RESEND_BASE_URL = savedBase;
});

describe('outbox', () => {
  beforeEach(() => setup());

  it('sends an issue to every active reader exactly once, with unsubscribe headers and tags', async () => {
    const emails = seedSubscribers(deps.testDb.sqlite, 250);
    seedSubscribers(deps.testDb.sqlite, 5, { status: 'unsubscribed', domain: 'gone.example.com' });
    const issueId = await seedSendingIssue(deps);
    const r = await run();
    expect(r.outbox?.sent).toBe(250);
    const counts = fake.state.countByRecipient();
    expect(emails.every((e) => counts.get(e) === 1)).toBe(true);
    expect([...counts.keys()].some((k) => k.endsWith('gone.example.com'))).toBe(false);
    const one = fake.state.emails[0];
    expect(one.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:8787\/unsubscribe\/[\w-]+\.[\w-]+>$/);
    expect(one.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(one.headers?.['List-Id']).toContain('Weekly AI Recap');
    expect(one.tags).toEqual(expect.arrayContaining([{ name: 'issue', value: issueId }]));
    expect((await getIssue(deps.db, issueId))?.status).toBe('sent');
    // two readers without a name differ only in their links
    const [a, b] = ['reader1@example.com', 'reader2@example.com'].map((to) => fake.state.emails.find((e) => e.to[0] === to)!);
    expect(a.html).not.toBe(b.html);
    const strip = (s: string | undefined) => (s ?? '').replace(/\/(unsubscribe|preferences)\/[\w.-]+/g, '/LINK');
    expect(strip(a.html)).toBe(strip(b.html));
    expect(strip(a.text)).toBe(strip(b.text));
  });

  it('sends transactional mail before bulk', async () => {
    seedSubscribers(deps.testDb.sqlite, 300);
    await seedSendingIssue(deps);
    await enqueueMail(deps, { kind: 'confirm', to: 'new@example.org', subject: 'Confirm', html: '<p>hi</p>', text: 'hi' });
    await run();
    expect(fake.state.emails[0].to).toEqual(['new@example.org']);
  });

  it('stores a signup confirmation as the parts of its link (a few hundred bytes) and sends exactly the directly rendered mail', async () => {
    const signups = createSignupService(deps);
    await signups.submit({ email: 'new@example.org', name: 'Ada <b>&', topics: undefined, formVersion: 'v1' }, 'api', { ip: '127.0.0.1', userAgent: 'test' });
    const row = deps.testDb.sqlite.prepare("SELECT payload FROM deliveries WHERE kind = 'confirm'").get() as { payload: string };
    expect(row.payload.length).toBeLessThan(400);
    const stored = JSON.parse(row.payload) as { publicId: string; expiresAt: number; confirmUrl?: string };
    expect(stored.confirmUrl).toBeUndefined(); // signed when sent, not in the request
    const { public_id } = deps.testDb.sqlite.prepare("SELECT public_id FROM subscribers WHERE email = 'new@example.org'").get() as { public_id: string };
    expect(stored.publicId).toBe(public_id);
    await run();
    const sent = fake.state.emails.find((e) => e.to[0] === 'new@example.org')!;
    const confirmUrl = await confirmUrlFor(deps.config, public_id, stored.expiresAt);
    const direct = await renderConfirmEmail({ confirmUrl, name: 'Ada <b>&', config: deps.config });
    expect({ subject: sent.subject, html: sent.html, text: sent.text }).toEqual(direct);
    expect(sent.html).toContain('Ada &lt;b&gt;&amp;');
    // The link in the mail is valid for this reader for the next 7 days.
    const token = /\/confirm\/([\w.-]+)/.exec(sent.text!)![1];
    const check = await verifyToken(deps.config.appSecret, 'confirm', token, deps.clock.now());
    expect(check).toMatchObject({ ok: true, subject: public_id });
    expect(check.ok && check.expiresAt!.getTime() - deps.clock.now().getTime()).toBeGreaterThan(CONFIRM_TTL_MS - 2000);
  });

  it('still sends confirmations queued with a ready-made link (rows written before links were signed at send time)', async () => {
    const confirmUrl = `${deps.config.publicUrl}/confirm/old.token`;
    await enqueueMail(deps, { kind: 'confirm', to: 'old@example.org', template: 'confirm', confirmUrl, name: null });
    await run();
    const sent = fake.state.emails.find((e) => e.to[0] === 'old@example.org')!;
    expect(sent.text).toContain(confirmUrl);
  });

  it('a recipient refused by the provider is marked failed and the rest go on', async () => {
    await fake.close();
    await setup({ rejectRecipients: ['reader7@example.com'] });
    seedSubscribers(deps.testDb.sqlite, 120);
    const issueId = await seedSendingIssue(deps);
    await run();
    const rows = deps.testDb.sqlite.prepare("SELECT to_email, status, error FROM deliveries WHERE issue_id = ? AND status <> 'sent'").all(issueId) as {
      to_email: string;
      status: string;
      error: string;
    }[];
    expect(rows).toEqual([expect.objectContaining({ to_email: 'reader7@example.com', status: 'failed' })]);
    expect(fake.state.countByRecipient().size).toBe(119);
    expect((await getIssue(deps.db, issueId))?.status).toBe('sent');
  });

  it('an unsubscribe after the audience snapshot but before the batch is claimed takes effect', async () => {
    seedSubscribers(deps.testDb.sqlite, 50);
    const issueId = await seedSendingIssue(deps);
    await prepareIssueSend(deps, issueId);
    deps.testDb.sqlite.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'reader3@example.com'").run();
    await run();
    expect(fake.state.countByRecipient().get('reader3@example.com')).toBeUndefined();
    const row = deps.testDb.sqlite
      .prepare("SELECT d.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = 'reader3@example.com' AND d.issue_id = ?")
      .get(issueId);
    expect(row).toEqual({ status: 'suppressed' });
  });
});

// A deploy between two attempts of one batch (new template, MAIL_FROM, PUBLIC_URL, APP_SECRET…) never changes what
// the retry sends under the batch's idempotency key; and a 409 for a changed body is held for an editor at once.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { enqueueMail, enqueueMails } from '../../src/core/send/enqueue-mail.js';
import { renderQueuedMail } from '../../src/core/send/queued-mail.js';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { runOutbox } from '../../src/core/send/run-outbox.js';
import { eraseSubscriberData } from '../../src/core/subscribers/personal-data.js';
import { getIssue } from '../../src/db/repos/issues.js';
import type { SubscriberRow } from '../../src/db/schema.js';
import { createResendMailer } from '../../src/mail/resend-mailer.js';
import { startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { makeDeps, realClock, type TestDeps } from '../helpers/deps.js';
import { seedSendingIssue, seedSubscribers } from '../helpers/seed.js';

let fake: FakeResend;
let first: TestDeps | undefined;
const savedBase = process.env.RESEND_BASE_URL;

afterEach(async () => {
  await fake?.close();
  await first?.cleanup();
  first = undefined;
  process.env.RESEND_BASE_URL = savedBase;
});

async function startFake(opts: Parameters<typeof startFakeResend>[0] = {}) {
  fake = await startFakeResend({ ratePerSecond: false, ...opts });
  process.env.RESEND_BASE_URL = fake.url;
}

/**
 * One running version of the app: its own config, mailer and clock over the shared database file. The first call
 * makes the database; later calls are the same database after a deploy, `laterMs` on.
 */
function deploy(config: Partial<Config> = {}, opts: { timeoutMs?: number; laterMs?: number } = {}): TestDeps {
  const mailer = createResendMailer({ apiKey: 're_deploy_test', timeoutMs: opts.timeoutMs ?? 2000 });
  const clock = realClock();
  clock.advance(opts.laterMs ?? 0);
  const deps = makeDeps({ clock, mailer, config, testDb: first?.testDb });
  first ??= deps;
  return deps;
}

const run = (deps: TestDeps, owner: string) => runOutbox(deps, { owner, limiter: createProviderPacer(Infinity), leaseMs: 5000 });

type BatchRow = { id: number; status: string; attempts: number; last_error: string | null; next_attempt_at: string | null; body: unknown };
const batches = (d: TestDeps) =>
  d.testDb.sqlite.prepare('SELECT id, status, attempts, last_error, next_attempt_at, body FROM delivery_batches ORDER BY id').all() as BatchRow[];
const deliveries = (d: TestDeps) =>
  d.testDb.sqlite.prepare('SELECT to_email, status, resend_id FROM deliveries ORDER BY id').all() as {
    to_email: string;
    status: string;
    resend_id: string | null;
  }[];

/** Every delivery sent once, under the id of the one mail the fake accepted for that address. */
function expectSentExactlyOnce(d: TestDeps, emails: string[]) {
  const counts = fake.state.countByRecipient();
  expect(emails.filter((e) => counts.get(e) !== 1)).toEqual([]);
  for (const row of deliveries(d).filter((r) => emails.includes(r.to_email))) {
    expect(row).toMatchObject({ status: 'sent', resend_id: fake.state.emailsTo(row.to_email)[0].id });
  }
}

const waitFor = async (cond: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const NEW_ADDRESS = 'Weekly AI Recap · 99 Moved Avenue · Elsewhere';
const NEW_FROM = 'Recap Team <team@example.org>';

describe('a deploy between two attempts of a transactional batch', () => {
  it('a confirmation accepted but answered 500 is retried with the exact request first sent: one mail, marked sent, no 23 h wait', async () => {
    await startFake();
    const before = deploy();
    const payload = { template: 'confirm' as const, name: 'Ada', publicId: 'pub-ada-0001', expiresAt: Date.now() + 7 * 864e5 };
    await enqueueMail(before, { kind: 'confirm', to: 'ada@example.org', ...payload });
    fake.setFaults({ kind: 'error500', afterAccept: true });
    const firstRun = await run(before, 'old-version');
    expect(firstRun).toMatchObject({ batches: 1, sent: 0, deferred: 1 });

    // The new version renders this confirmation differently (the premise of the test) …
    const after = deploy({ postalAddress: NEW_ADDRESS, mailFrom: NEW_FROM }, { laterMs: 2000 });
    expect((await renderQueuedMail(after.config, JSON.stringify(payload))).text).toContain('99 Moved Avenue');
    // … and still sends, under the batch's key, the request the old one sent: Resend replays it.
    const retry = await run(after, 'new-version');
    expect(retry).toMatchObject({ batches: 1, sent: 1, deferred: 0 });
    expect(fake.state.requests.map((r) => r.outcome)).toEqual(['faulted', 'replayed']);
    expectSentExactlyOnce(after, ['ada@example.org']);
    const [mail] = fake.state.emailsTo('ada@example.org');
    expect(mail.from).toBe(before.config.mailFrom);
    expect(mail.text).not.toContain('99 Moved Avenue');
    expect(batches(after)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, body: null })]); // kept only while needed
  });

  it('a batch too large to keep in one database row (D1 allows 2 MB) is split before its first attempt', async () => {
    await startFake();
    const d = deploy();
    // Test sends of a big issue, each ~300 KB of text that does not compress well: 2.4 MB for one request.
    const to = Array.from({ length: 8 }, (_, i) => `editor${i}@example.org`);
    await enqueueMails(
      d,
      to.map((address) => ({
        kind: 'test' as const,
        to: address,
        subject: 'Test send',
        html: `<p>${randomBytes(225_000).toString('base64')}</p>`,
        text: 'test',
      })),
    );
    await run(d, 'runner');
    expectSentExactlyOnce(d, to);
    const requests = fake.state.requests.filter((r) => r.outcome === 'accepted');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(batches(d).every((b) => b.status === 'sent' && b.body === null)).toBe(true);
  }, 30_000);

  it('a request refused outright (unverified sender domain) is not kept: the retry after the fix sends the new sender', async () => {
    await startFake({ verifiedDomains: ['example.org'] });
    const wrong = deploy({ mailFrom: 'Recap <recap@unverified.example.net>' });
    await enqueueMail(wrong, { kind: 'signin', to: 'grace@example.org', subject: 'Sign in', html: '<p>Sign in</p>', text: 'Sign in' });
    expect(await run(wrong, 'old-version')).toMatchObject({ sent: 0, deferred: 1 });
    expect(fake.state.requests.map((r) => r.status)).toEqual([403]);

    const fixed = deploy({ mailFrom: NEW_FROM }, { laterMs: 11 * 60_000 }); // after the auth pause
    expect(await run(fixed, 'new-version')).toMatchObject({ sent: 1 });
    expectSentExactlyOnce(fixed, ['grace@example.org']);
    expect(fake.state.emailsTo('grace@example.org')[0].from).toBe(NEW_FROM);
  });

  it('erasing a reader removes the stored request of a batch they are in, compressed or not', async () => {
    await startFake();
    const d = deploy();
    const emails = seedSubscribers(d.testDb.sqlite, 6, { domain: 'example.org' });
    const subs = d.testDb.sqlite.prepare('SELECT * FROM subscribers ORDER BY id').all() as SubscriberRow[];
    // Six confirmations are ~50 KB of JSON: stored compressed, where no text search finds the address.
    await enqueueMails(
      d,
      subs.map((s, i) => ({
        kind: 'confirm' as const,
        to: emails[i],
        subscriberId: s.id,
        template: 'confirm' as const,
        name: s.name,
        publicId: `pub-${i}`,
        expiresAt: Date.now() + 864e5,
      })),
    );
    fake.setFaults({ kind: 'error500' }); // outcome unknown to us: the request stays stored for the retry
    await run(d, 'runner');
    const [pending] = batches(d);
    expect(pending.status).toBe('pending');
    expect(pending.body).toBeInstanceOf(Uint8Array);

    await eraseSubscriberData(d, subs[2]);
    expect(batches(d)[0].body).toBeNull();
  });
});

describe('a deploy between two attempts of a recap batch', () => {
  it('MAIL_FROM, reply-to and PUBLIC_URL changed after an accepted batch answered 500: the retry is replayed, every reader once', async () => {
    await startFake();
    const before = deploy();
    const emails = seedSubscribers(before.testDb.sqlite, 30);
    const issueId = await seedSendingIssue(before);
    fake.setFaults({ kind: 'error500', afterAccept: true });
    await run(before, 'old-version');
    expect(fake.state.emails).toHaveLength(30);

    const after = deploy({ mailFrom: NEW_FROM, mailReplyTo: 'replies@example.org', publicUrl: 'https://recap.example.org' }, { laterMs: 2000 });
    await run(after, 'new-version');
    expect(fake.state.requests.map((r) => r.outcome)).toEqual(['faulted', 'replayed']);
    expectSentExactlyOnce(after, emails);
    expect((await getIssue(after.db, issueId))?.status).toBe('sent');
  });

  it('the old version died mid-call (nothing learnt, nothing stored but the attempt): the new one rebuilds the same bytes', async () => {
    await startFake();
    const before = deploy({}, { timeoutMs: 4000 });
    const emails = seedSubscribers(before.testDb.sqlite, 30);
    const issueId = await seedSendingIssue(before);
    fake.setFaults({ kind: 'hang', afterAccept: true }); // accepted, then silence: as if the process were killed
    const dying = run(before, 'old-version');
    await waitFor(() => fake.state.emails.length === 30);

    // Its lease has run out by the new version's clock; the config that goes into every recap changed.
    const after = deploy({ mailFrom: NEW_FROM, mailReplyTo: 'replies@example.org', publicUrl: 'https://recap.example.org' }, { laterMs: 6000 });
    await run(after, 'new-version');
    expect(fake.state.requests.map((r) => r.outcome)).toEqual(['faulted', 'replayed']);
    expectSentExactlyOnce(after, emails);
    expect((await getIssue(after.db, issueId))?.status).toBe('sent');
    await dying; // times out and finds its batch already sent: nothing changes
    expect(batches(after)).toEqual([expect.objectContaining({ status: 'sent' })]);
  }, 20_000);

  it('APP_SECRET rotated after a batch answered 500: the request stored at the failure is resent, links and all', async () => {
    await startFake();
    const before = deploy();
    const emails = seedSubscribers(before.testDb.sqlite, 30);
    const issueId = await seedSendingIssue(before);
    fake.setFaults({ kind: 'error500', afterAccept: true });
    await run(before, 'old-version');

    const after = deploy({ appSecret: 'a-rotated-secret-a-rotated-secret-0123' }, { laterMs: 2000 });
    await run(after, 'new-version');
    expect(fake.state.requests.map((r) => r.outcome)).toEqual(['faulted', 'replayed']);
    expectSentExactlyOnce(after, emails);
    expect((await getIssue(after.db, issueId))?.status).toBe('sent');
  });
});

describe('a 409 from the provider', () => {
  it('for a changed body with no stored request (old version died mid-call, then APP_SECRET rotated) holds the batch at once', async () => {
    await startFake();
    const before = deploy({}, { timeoutMs: 4000 });
    const emails = seedSubscribers(before.testDb.sqlite, 30);
    const issueId = await seedSendingIssue(before);
    fake.setFaults({ kind: 'hang', afterAccept: true });
    const dying = run(before, 'old-version');
    await waitFor(() => fake.state.emails.length === 30);

    const after = deploy({ appSecret: 'a-rotated-secret-a-rotated-secret-0123' }, { laterMs: 6000 });
    await run(after, 'new-version');
    expect(fake.state.requests.map((r) => [r.outcome, r.errorName])).toEqual([
      ['faulted', undefined],
      ['rejected', 'invalid_idempotent_request'],
    ]);
    const [held] = batches(after);
    expect(held).toMatchObject({ status: 'held', next_attempt_at: null });
    expect(held.last_error).toMatch(/an earlier attempt with a different body reached the provider.*an editor must decide/);
    // Nobody got a second mail, and nothing is claimed as sent without the provider's id.
    expect(emails.filter((e) => fake.state.countByRecipient().get(e) !== 1)).toEqual([]);
    expect(deliveries(after).every((r) => r.status === 'claimed' && r.resend_id === null)).toBe(true);
    expect((await getIssue(after.db, issueId))?.status).toBe('sending');
    expect(after.log.lines.some((l) => l.level === 'warn' && /held/.test(l.msg))).toBe(true);
    await dying;
    expect(batches(after)[0].status).toBe('held');
  }, 20_000);

  it('while the first request is still running is retried later under the same key, not held', async () => {
    await startFake();
    const d = deploy({}, { timeoutMs: 300 });
    const emails = seedSubscribers(d.testDb.sqlite, 20);
    const issueId = await seedSendingIssue(d);
    fake.setFaults({ kind: 'delay', ms: 1500 });
    const until = Date.now() + 15_000;
    while ((await getIssue(d.db, issueId))?.status !== 'sent' && Date.now() < until) {
      await run(d, 'runner');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(fake.state.requests.some((r) => r.errorName === 'concurrent_idempotent_requests')).toBe(true);
    expectSentExactlyOnce(d, emails);
    expect(batches(d).map((b) => b.status)).toEqual(['sent']);
  }, 20_000);
});

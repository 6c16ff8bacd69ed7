// Provider faults end in exactly-once delivery (or the intended failed row), within the rate limit.
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/send/dispatch.js';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { getIssue } from '../../src/db/repos/issues.js';
import { createResendMailer } from '../../src/mail/resend-mailer.js';
import { startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { makeDeps, realClock, type TestDeps } from '../helpers/deps.js';
import { seedDraft, seedSubscribers } from '../helpers/seed.js';

let fake: FakeResend;
let deps: TestDeps;
const savedBase = process.env.RESEND_BASE_URL;

afterEach(async () => {
  await fake?.close();
  await deps?.cleanup();
  process.env.RESEND_BASE_URL = savedBase;
});

async function setup(readers: number, fakeOpts: Parameters<typeof startFakeResend>[0] = {}, timeoutMs = 2000) {
  fake = await startFakeResend({ ratePerSecond: false, ...fakeOpts });
  process.env.RESEND_BASE_URL = fake.url;
  deps = makeDeps({ clock: realClock(), mailer: createResendMailer({ apiKey: 're_fault_test', timeoutMs }) });
  const emails = seedSubscribers(deps.testDb.sqlite, readers);
  const issueId = await seedDraft(deps);
  await startSending(deps, issueId);
  return { emails, issueId };
}

/** Dispatches until the issue is sent (deferred batches come due as real time passes). */
async function sendUntilDone(issueId: string, ratePerSec: number, maxMs = 60_000) {
  const limiter = createProviderPacer(ratePerSec);
  const until = Date.now() + maxMs;
  while (Date.now() < until) {
    await dispatch(deps, { owner: 'fault-runner', limiter, leaseMs: 5000, concurrency: 2 });
    if ((await getIssue(deps.db, issueId))?.status === 'sent') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('issue not sent in time');
}

function expectExactlyOnce(emails: string[], except: string[] = []) {
  const counts = fake.state.countByRecipient();
  const want = emails.filter((e) => !except.includes(e));
  expect(want.filter((e) => counts.get(e) !== 1)).toEqual([]);
  expect(except.filter((e) => counts.has(e))).toEqual([]);
}

describe('provider faults', () => {
  it('429 storms: a provider limit below ours is obeyed through retry-after, nobody is skipped or doubled', async () => {
    // the provider allows 1 request/s, we were told 50: every burst meets 429s
    const { emails, issueId } = await setup(1000, { ratePerSecond: 1 });
    await sendUntilDone(issueId, 50);
    expectExactlyOnce(emails);
    expect(fake.state.requests.some((r) => r.status === 429)).toBe(true);
  }, 90_000);

  it('pacing at the limit: never more requests in any second than allowed, and (almost) no 429s', async () => {
    const { emails, issueId } = await setup(1500, { ratePerSecond: 5 });
    await sendUntilDone(issueId, 5);
    expectExactlyOnce(emails);
    expect(fake.state.maxRequestsInWindow(1000)).toBeLessThanOrEqual(5);
    const r429 = fake.state.requests.filter((r) => r.status === 429).length;
    expect(r429 / fake.state.requests.length).toBeLessThanOrEqual(0.01);
  }, 90_000);

  it('10% 5xx (some after the provider accepted the mail), non-JSON 502s and connection resets', async () => {
    const { emails, issueId } = await setup(3000);
    fake.setFaultRate({
      probability: 0.25,
      seed: 42,
      faults: [{ kind: 'error500' }, { kind: 'error500', afterAccept: true }, { kind: 'html502' }, { kind: 'reset' }, { kind: 'reset', afterAccept: true }],
    });
    await sendUntilDone(issueId, Infinity);
    expectExactlyOnce(emails);
    const failures = fake.state.requests.filter((r) => r.status === null || (r.status ?? 0) >= 500).length;
    expect(failures).toBeGreaterThan(3);
  }, 90_000);

  it('a request that never answers times out and is retried under the same key', async () => {
    const { emails, issueId } = await setup(300, {}, 400);
    fake.setFaults({ kind: 'hang', afterAccept: true });
    await sendUntilDone(issueId, Infinity);
    expectExactlyOnce(emails);
    const keys = fake.state.requests.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBeLessThan(keys.length); // the hung batch was retried with its key
  }, 60_000);

  it('a quota error pauses the issue with a visible reason and resumes later', async () => {
    const { emails, issueId } = await setup(500, { dailyQuota: 200 });
    const limiter = createProviderPacer(Infinity);
    await dispatch(deps, { owner: 'q', limiter, leaseMs: 5000, concurrency: 1 });
    const paused = await getIssue(deps.db, issueId);
    expect(paused?.status).toBe('sending');
    expect(paused?.paused_reason).toMatch(/quota/i);
    expect(fake.state.countByRecipient().size).toBe(200);
    // the next day: quota resets, time moves past resume_after
    fake.setQuota({ daily: 10_000 });
    deps.clock.advance(2 * 3600_000);
    await dispatch(deps, { owner: 'q', limiter, leaseMs: 5000, concurrency: 1 });
    const done = await getIssue(deps.db, issueId);
    expect(done?.status).toBe('sent');
    expect(done?.paused_reason).toBeNull();
    expectExactlyOnce(emails);
  }, 60_000);
});

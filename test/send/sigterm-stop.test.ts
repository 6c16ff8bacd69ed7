// Stopping promptly: SIGTERM mid-send claims nothing more, lets the calls in flight finish, and the next start resumes.
import { afterEach, describe, expect, it } from 'vitest';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { makeDeps, realClock, type TestDeps } from '../helpers/deps.js';
import { seedDraft, seedSubscribers } from '../helpers/seed.js';
import { freePort } from '../helpers/server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

let fake: FakeResend | undefined;
let deps: TestDeps | undefined;
const servers: ServerProcess[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await fake?.close();
  await deps?.cleanup();
});

const READERS = 3000; // 30 batches
const CONCURRENCY = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('SIGTERM during a send', () => {
  it('exits within 5 s, starts no provider call after the signal but those in flight, and the next start sends the rest exactly once', async () => {
    fake = await startFakeResend({ ratePerSecond: false });
    // every answer takes 250 ms, so the send is mid-way for seconds and a call is in flight at the signal
    fake.setFaultRate({ probability: 1, seed: 1, faults: [{ kind: 'delay', ms: 250 }] });
    deps = makeDeps({ clock: realClock(), config: { databasePath: '' } });
    const emails = seedSubscribers(deps.testDb.sqlite, READERS);
    const issueId = await seedDraft(deps);
    await startSending(deps, issueId);
    const env = {
      DATABASE_PATH: deps.testDb.path,
      APP_SECRET: deps.config.appSecret,
      RESEND_API_KEY: 're_sigterm_test',
      RESEND_BASE_URL: fake.url,
      RESEND_RATE_PER_SEC: '1000',
      SEND_CONCURRENCY: String(CONCURRENCY),
      DEMO_DATA: 'false',
      LOG_FORMAT: 'json',
      HOST: '127.0.0.1',
    };

    const first = startServerProcess({ env: { ...env, PORT: String(await freePort()) } });
    servers.push(first);
    await first.waitFor(/running on http/);
    await until(() => fake!.state.emails.length >= 500, 30_000, 'the send to be under way');

    const signalAt = Date.now();
    first.child.kill('SIGTERM');
    let stoppedAt = 0;
    void first.waitFor(/Stopped after/, 10_000).then(
      () => (stoppedAt = Date.now()),
      () => undefined,
    );
    const code = await Promise.race([first.exited, sleep(5000).then(() => 'still running' as const)]);
    expect(code).toBe(0);
    await until(() => stoppedAt > 0, 1000, 'the exit log line');

    // Mid-way, not at the end: the stop left work for the next start.
    const sentBeforeRestart = fake.state.countByRecipient().size;
    expect(sentBeforeRestart).toBeLessThan(READERS);
    // What reached the fake after the signal: at most the calls already started (one per concurrent worker), and
    // nothing at all after the process said it stopped.
    const api = fake.state.requests.filter((r) => r.path === '/emails/batch');
    const afterSignal = api.filter((r) => r.at > signalAt);
    expect(afterSignal.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(api.filter((r) => r.at >= stoppedAt)).toEqual([]);
    // the stop released the dispatch lease: the next start (another owner) need not wait for it to expire
    const lease = deps.testDb.sqlite.prepare(`SELECT owner FROM job_locks WHERE name = 'dispatch'`).get();
    expect(lease).toBeUndefined();
    // no batch is left leased to the stopped process
    const leased = deps.testDb.sqlite.prepare(`SELECT count(*) AS n FROM delivery_batches WHERE status = 'pending' AND lease_owner IS NOT NULL`).get() as {
      n: number;
    };
    expect(leased.n).toBe(0);

    const second = startServerProcess({ env: { ...env, PORT: String(await freePort()) } });
    servers.push(second);
    await second.waitFor(/running on http/);
    await until(() => fake!.state.countByRecipient().size >= READERS, 60_000, 'every reader to be sent');
    await until(
      () => (deps!.testDb.sqlite.prepare(`SELECT status FROM issues WHERE id = ?`).get(issueId) as { status: string }).status === 'sent',
      30_000,
      'the issue to be marked sent',
    );
    expect(await second.stop()).toBe(0);

    const counts = fake.state.countByRecipient();
    const missing = emails.filter((e) => !counts.get(e));
    const dupes = emails.filter((e) => (counts.get(e) ?? 0) > 1);
    expect({ missing: missing.length, dupes: dupes.length, total: counts.size }).toEqual({ missing: 0, dupes: 0, total: READERS });
  }, 120_000);
});

// Exactly-once through crashes: the sender runs as its own process and is SIGKILLed at random moments.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { scheduleIssue, startSending } from '../../src/core/issues/issue-lifecycle.js';
import { startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { makeDeps, realClock, type TestDeps } from '../helpers/deps.js';
import { seedDraft, seedSubscribers } from '../helpers/seed.js';
import { topicsOfMask } from '../../src/shared/topics.js';

let fake: FakeResend | undefined;
let deps: TestDeps | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fake?.close();
  await deps?.cleanup();
});

function spawnSender(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/sender-process.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DEMO_DATA: 'false',
      RESEND_API_KEY: 're_crash_test',
      LEASE_MS: '3000',
      RESEND_RATE_PER_SEC: '1000',
      RESEND_TIMEOUT_MS: '3000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = new Promise<void>((resolve) => child.stdout!.on('data', () => out.includes('ready') && resolve()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, ready, exited, output: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(readers: number) {
  fake = await startFakeResend({ ratePerSecond: false });
  deps = makeDeps({ clock: realClock(), config: { databasePath: '' } });
  // A mixed-topic audience (issue 15): every fifth reader follows nothing, the others one of the 255 topic sets.
  const emails = seedSubscribers(deps.testDb.sqlite, readers, { topics: (i) => (i % 5 === 0 ? [] : topicsOfMask(1 + (i % 254))) });
  const issueId = await seedDraft(deps);
  return { emails, issueId, env: { DATABASE_PATH: deps.testDb.path, RESEND_BASE_URL: fake.url, APP_SECRET: deps.config.appSecret } };
}

function assertExactlyOnce(emails: string[]) {
  const counts = fake!.state.countByRecipient();
  // and each got their own edition: the readers with topics are told what it was picked for, the others are not
  const picked = new Map(fake!.state.emails.map((m) => [m.to[0], (m.html ?? '').includes('Picked for you')]));
  const wrongEdition = emails.filter((e, i) => picked.has(e) && picked.get(e) !== (i % 5 !== 0));
  expect(wrongEdition.slice(0, 5)).toEqual([]);
  const missing = emails.filter((e) => !counts.get(e));
  const dupes = emails.filter((e) => (counts.get(e) ?? 0) > 1);
  expect({ missing: missing.length, dupes: dupes.length, total: counts.size }).toEqual({ missing: 0, dupes: 0, total: emails.length });
}

describe('sending through crashes', () => {
  it('survives 20+ SIGKILLs at random moments: every reader gets the issue exactly once', async () => {
    const { emails, issueId, env } = await setup(4000);
    await startSending(deps!, issueId);
    // slow answers (and some answered only after the emails were accepted) widen the windows a kill can hit
    fake!.setFaultRate({
      probability: 0.5,
      seed: 7,
      faults: [
        { kind: 'delay', ms: 120 },
        { kind: 'reset', afterAccept: true },
      ],
    });
    let kills = 0;
    for (let round = 0; round < 60; round++) {
      const p = spawnSender({ ...env, INSTANCE_ID: 'crash-runner' });
      await Promise.race([p.ready, p.exited]);
      if (kills < 22) {
        const result = await Promise.race([sleep(50 + Math.floor(Math.random() * 450)).then(() => 'kill' as const), p.exited.then(() => 'done' as const)]);
        if (result === 'kill') {
          p.child.kill('SIGKILL');
          await p.exited;
          kills += 1;
          continue;
        }
      }
      const { code } = await p.exited;
      expect(code, p.output()).toBe(0);
      break;
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    assertExactlyOnce(emails);
    const status = deps!.testDb.sqlite.prepare('SELECT status FROM issues WHERE id = ?').get(issueId);
    expect(status).toEqual({ status: 'sent' });
  }, 240_000);

  it('two dispatcher processes on one database start a due issue once and send each reader once', async () => {
    const { emails, issueId, env } = await setup(1500);
    await scheduleIssue(deps!, issueId, new Date(Date.now() + 1500));
    fake!.setFaultRate({ probability: 0.3, seed: 3, faults: [{ kind: 'delay', ms: 40 }] });
    const a = spawnSender({ ...env, INSTANCE_ID: 'runner-a' });
    const b = spawnSender({ ...env, INSTANCE_ID: 'runner-b' });
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect(ra.code, a.output()).toBe(0);
    expect(rb.code, b.output()).toBe(0);
    const started = [a.output(), b.output()].map((o) => Number(/started=(\d+)/.exec(o)?.[1] ?? -1));
    expect(started.sort()).toEqual([0, 1]);
    assertExactlyOnce(emails);
  }, 120_000);

  it("a killed runner's lease is taken over by another process after it expires", async () => {
    const { emails, issueId, env } = await setup(1500);
    await startSending(deps!, issueId);
    fake!.setFaultRate({ probability: 1, seed: 1, faults: [{ kind: 'delay', ms: 100 }] });
    const a = spawnSender({ ...env, INSTANCE_ID: 'runner-a', LEASE_MS: '1500' });
    await a.ready;
    await sleep(700);
    a.child.kill('SIGKILL');
    await a.exited;
    const lease = deps!.testDb.sqlite.prepare("SELECT owner FROM job_locks WHERE name = 'dispatch'").get() as { owner: string } | undefined;
    expect(lease?.owner).toBe('runner-a');
    fake!.clearFaults();
    const b = spawnSender({ ...env, INSTANCE_ID: 'runner-b', LEASE_MS: '1500' });
    expect((await b.exited).code, b.output()).toBe(0);
    assertExactlyOnce(emails);
  }, 120_000);
});

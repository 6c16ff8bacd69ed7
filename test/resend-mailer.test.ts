// The Resend adapter of the Mailer port, run through the real SDK against the fake API: every outcome is a typed result.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Resend } from 'resend';
import { decodeBatchBody, encodeBatchBody } from '../src/mail/batch-body.js';
import type { OutgoingEmail, SendBatchResult } from '../src/mail/mailer.js';
import { createResendMailer, type ResendMailerOptions } from '../src/mail/resend-mailer.js';
import { startFakeResend, type FakeResend, type FakeResendOptions } from './fake-resend/server.js';

let fake: FakeResend | undefined;
let savedBaseUrl: string | undefined;

beforeEach(() => {
  savedBaseUrl = process.env.RESEND_BASE_URL;
});

afterEach(async () => {
  if (savedBaseUrl === undefined) delete process.env.RESEND_BASE_URL;
  else process.env.RESEND_BASE_URL = savedBaseUrl;
  await fake?.close();
  fake = undefined;
});

/** The mailer finds the fake the way production would find Resend: RESEND_BASE_URL, read at construction. */
async function setup(fakeOptions: FakeResendOptions = {}, mailerOptions: Partial<ResendMailerOptions> = {}) {
  fake = await startFakeResend(fakeOptions);
  process.env.RESEND_BASE_URL = fake.url;
  const mailer = createResendMailer({ apiKey: 're_test_key', timeoutMs: 2000, ...mailerOptions });
  return { fake, mailer };
}

function message(i: number, overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    from: 'Weekly AI Recap <recap@example.com>',
    to: [`reader${i}@example.com`],
    subject: 'Weekly AI Recap — week 10',
    html: `<p>Hi reader ${i}</p>`,
    text: `Hi reader ${i}`,
    headers: {
      'List-Unsubscribe': `<https://recap.test/unsubscribe/t${i}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    tags: [
      { name: 'issue', value: '2026-W10' },
      { name: 'delivery', value: String(1000 + i) },
    ],
    ...overrides,
  };
}

const batch = (n: number, from = 0) => Array.from({ length: n }, (_, i) => message(from + i));

function expectFailure(result: SendBatchResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe('resend mailer: accepted batches', () => {
  it('sends a batch and returns one id per message, in input order, with rate hints', async () => {
    const { fake, mailer } = await setup();
    const messages = batch(3);
    const result = await mailer.sendBatch(messages, { idempotencyKey: 'issue-1/batch-0' });
    expect(result).toMatchObject({ ok: true, errors: [], rate: { limit: 5, remaining: 4 } });
    if (!result.ok) return;
    expect(result.ids.map((id) => fake.state.emailById(id!)?.to)).toEqual(messages.map((m) => m.to));
    expect(fake.state.emails[0]).toMatchObject({
      headers: messages[0].headers,
      tags: messages[0].tags,
      text: messages[0].text,
      idempotencyKey: 'issue-1/batch-0',
    });
    expect(fake.state.requests[0].batchValidation).toBe('permissive');
  });

  it('gets the same ids back and sends nothing new when a batch is retried with its key', async () => {
    const { fake, mailer } = await setup();
    const first = await mailer.sendBatch(batch(3), { idempotencyKey: 'issue-1/batch-1' });
    const retry = await mailer.sendBatch(batch(3), { idempotencyKey: 'issue-1/batch-1' });
    expect(retry).toEqual(expect.objectContaining({ ok: true, ids: (first as { ids: string[] }).ids }));
    expect(fake.state.emails).toHaveLength(3);
  });

  it('maps a refused recipient to an error at its index and keeps the other ids aligned', async () => {
    const { fake, mailer } = await setup({ rejectRecipients: ['reader2@example.com'] });
    const messages = batch(4);
    const result = await mailer.sendBatch(messages, { idempotencyKey: 'issue-1/batch-2' });
    if (!result.ok) throw new Error(result.message);
    expect(result.errors).toEqual([{ index: 2, message: expect.stringContaining('reader2@example.com') }]);
    expect(result.ids[2]).toBeNull();
    for (const i of [0, 1, 3]) expect(fake.state.emailById(result.ids[i]!)?.to).toEqual(messages[i].to);
  });

  it('in strict mode fails the whole batch as invalid for one refused recipient', async () => {
    const { fake, mailer } = await setup({ rejectRecipients: ['reader2@example.com'] }, { batchValidation: 'strict' });
    const failure = expectFailure(await mailer.sendBatch(batch(4), { idempotencyKey: 'strict-1' }));
    expect(failure.kind).toBe('invalid');
    expect(fake.state.emails).toHaveLength(0);
  });

  it('posts a serialised batch body byte for byte, as batch.send would serialise the same messages', async () => {
    // A bare server that keeps the raw body: the fake compares requests by meaning, this checks the bytes themselves.
    const raw: { body: Buffer; headers: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        raw.push({ body: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ id: 'e1' }, { id: 'e2' }], errors: [] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const mailer = createResendMailer({ apiKey: 're_test_key', timeoutMs: 2000, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      const body = encodeBatchBody(batch(2, 0).map((m, i) => (i === 1 ? { ...m, replyTo: 'Replies <r@example.com>', subject: 'Ünïcode — “quoted” ✓' } : m)));
      expect(await mailer.sendBody(body, { idempotencyKey: 'bytes-1' })).toMatchObject({ ok: true, ids: ['e1', 'e2'] });
      expect(raw[0].body.equals(Buffer.from(body.json, 'utf8'))).toBe(true);
      expect(raw[0].headers).toMatchObject({ 'idempotency-key': 'bytes-1', 'x-batch-validation': 'permissive', 'content-type': 'application/json' });
      // The SDK's own batch.send serialises the same messages to the same bytes (a retry across the two still replays).
      const sdk = new Resend('re_test_key', { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await sdk.batch.send(decodeBatchBody(body), { idempotencyKey: 'bytes-2', batchValidation: 'permissive' });
      expect(raw[1].body.equals(raw[0].body)).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses more than 100 messages without calling Resend', async () => {
    const { fake, mailer } = await setup();
    const failure = expectFailure(await mailer.sendBatch(batch(101), { idempotencyKey: 'too-big' }));
    expect(failure.kind).toBe('invalid');
    expect(fake.state.requests).toHaveLength(0);
  });
});

describe('resend mailer: provider refusals', () => {
  it('maps 429 rate_limit_exceeded to rate_limited with retry-after in ms', async () => {
    const { mailer } = await setup({ ratePerSecond: 1 });
    await mailer.sendBatch(batch(1), { idempotencyKey: 'r-1' });
    const failure = expectFailure(await mailer.sendBatch(batch(1, 1), { idempotencyKey: 'r-2' }));
    expect(failure).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000, rate: { limit: 1, remaining: 0 } });
  });

  it('maps daily and monthly quota errors to quota', async () => {
    const { fake, mailer } = await setup({ dailyQuota: 1 });
    expect(expectFailure(await mailer.sendBatch(batch(2), { idempotencyKey: 'q-1' })).kind).toBe('quota');
    fake.setQuota({ monthly: 0 });
    expect(expectFailure(await mailer.sendBatch(batch(1), { idempotencyKey: 'q-2' }))).toMatchObject({
      kind: 'quota',
      message: expect.stringContaining('monthly_quota_exceeded'),
    });
  });

  it('maps a reused key with another body to conflict (an earlier request reached Resend), with no retry hint', async () => {
    const { mailer } = await setup();
    await mailer.sendBatch(batch(2), { idempotencyKey: 'c-1' });
    const failure = expectFailure(await mailer.sendBatch(batch(2, 5), { idempotencyKey: 'c-1' }));
    expect(failure).toMatchObject({ kind: 'conflict', message: expect.stringContaining('invalid_idempotent_request') });
    expect(failure.retryAfterMs).toBeUndefined();
  });

  it('maps a bad API key to auth', async () => {
    const { mailer } = await setup({ apiKeys: ['re_other'] });
    expect(expectFailure(await mailer.sendBatch(batch(1), { idempotencyKey: 'a-1' })).kind).toBe('auth');
  });

  it('maps a field Resend refuses for every message to invalid', async () => {
    const { mailer } = await setup();
    const bad = batch(2).map((m) => ({ ...m, from: 'not an address' }));
    const result = await mailer.sendBatch(bad, { idempotencyKey: 'v-1' });
    // Permissive mode: both are refused individually, nothing is created.
    expect(result).toMatchObject({ ok: true, ids: [null, null], errors: [{ index: 0 }, { index: 1 }] });
  });

  it('maps an over-long idempotency key to invalid', async () => {
    const { mailer } = await setup();
    expect(expectFailure(await mailer.sendBatch(batch(1), { idempotencyKey: 'k'.repeat(300) })).kind).toBe('invalid');
  });
});

describe('resend mailer: transport failures are transient and never throw', () => {
  it.each([
    ['a 500 with a JSON body', { kind: 'error500' as const }],
    ['a 502 with an HTML body', { kind: 'html502' as const }],
    ['a connection reset', { kind: 'reset' as const }],
  ])('maps %s to transient', async (_label, fault) => {
    const { fake, mailer } = await setup();
    fake.setFaults(fault);
    const failure = expectFailure(await mailer.sendBatch(batch(2), { idempotencyKey: `t-${fault.kind}` }));
    expect(failure.kind).toBe('transient');
    expect(fake.state.emails).toHaveLength(0);
  });

  it('times out a slow call, then a retry with the same key gets 409 while it runs and the original ids after', async () => {
    const { fake, mailer } = await setup({}, { timeoutMs: 150 });
    fake.setFaults({ kind: 'delay', ms: 600 });
    const started = Date.now();
    const timedOut = expectFailure(await mailer.sendBatch(batch(2), { idempotencyKey: 'slow-1' }));
    expect(Date.now() - started).toBeLessThan(550);
    expect(timedOut).toMatchObject({ kind: 'transient', message: expect.stringContaining('timed out after 150 ms') });

    const whileRunning = expectFailure(await mailer.sendBatch(batch(2), { idempotencyKey: 'slow-1' }));
    // Not a conflict: the first request is still running, so the same request may be retried later.
    expect(whileRunning).toMatchObject({ kind: 'in_progress', retryAfterMs: 1000, message: expect.stringContaining('concurrent_idempotent_requests') });

    await waitFor(() => fake.state.emails.length === 2);
    const replay = await mailer.sendBatch(batch(2), { idempotencyKey: 'slow-1' });
    expect(replay).toMatchObject({ ok: true, ids: fake.state.emails.map((e) => e.id) });
    expect(fake.state.emails).toHaveLength(2);
  });

  it('times out a call that is never answered', async () => {
    const { fake, mailer } = await setup({}, { timeoutMs: 150 });
    fake.setFaults({ kind: 'hang' });
    const failure = expectFailure(await mailer.sendBatch(batch(1), { idempotencyKey: 'hang-1' }));
    expect(failure).toMatchObject({ kind: 'transient', message: expect.stringContaining('timed out') });
    // The request is really cancelled (the SDK forwards the signal to fetch), not left running in the background.
    await waitFor(() => fake.inFlight() === 0, 1000);
  });

  it("honours the caller's abort signal", async () => {
    const { fake, mailer } = await setup({}, { timeoutMs: 5000 });
    fake.setFaults({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const failure = expectFailure(await mailer.sendBatch(batch(1), { idempotencyKey: 'abort-1', signal: controller.signal }));
    expect(failure).toMatchObject({ kind: 'transient', message: expect.stringContaining('aborted by caller') });
  });

  it('maps a refused connection (provider down) to transient', async () => {
    const { fake, mailer } = await setup();
    await fake.close();
    const failure = expectFailure(await mailer.sendBatch(batch(1), { idempotencyKey: 'down-1' }));
    expect(failure).toMatchObject({ kind: 'transient', message: expect.stringContaining('network error') });
  });

  it('survives a random mix of faults without throwing or sending anyone twice', async () => {
    const { fake, mailer } = await setup({ ratePerSecond: false }, { timeoutMs: 200 });
    fake.setFaultRate({
      probability: 0.5,
      seed: 7,
      faults: [{ kind: 'error500' }, { kind: 'html502' }, { kind: 'reset', afterAccept: true }, { kind: 'reset' }],
    });
    const pending = Array.from({ length: 5 }, (_, b) => b);
    for (let round = 0; round < 40 && pending.length; round++) {
      const b = pending[0];
      const result = await mailer.sendBatch(batch(3, b * 3), { idempotencyKey: `mix-${b}` });
      if (result.ok) pending.shift();
      else expect(result.kind).toBe('transient');
    }
    expect(pending).toEqual([]);
    // The seed must really have hit: some batches failed, and at least one was accepted but its answer lost.
    expect(fake.state.requests.filter((r) => r.fault).length).toBeGreaterThan(2);
    expect(fake.state.requests.some((r) => r.fault === 'reset' && r.accepted > 0)).toBe(true);
    const counts = fake.state.countByRecipient();
    expect(counts.size).toBe(15);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

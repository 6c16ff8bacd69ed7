// Pins the fake Resend API to the real SDK's wire format, so delivery tests built on it test something true.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Resend } from 'resend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEmailEvent, createWebhookSecret, signWebhook, startFakeResend, type FakeResend, type FakeResendOptions } from './fake-resend/server.js';

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

/** Start a fake and point a real SDK client at it the way production config does: RESEND_BASE_URL. */
async function setup(options: FakeResendOptions = {}, apiKey = 're_test_key') {
  fake = await startFakeResend(options);
  process.env.RESEND_BASE_URL = fake.url;
  return { fake, resend: new Resend(apiKey) };
}

function email(i: number, overrides: Record<string, unknown> = {}) {
  return {
    from: 'Weekly AI Recap <recap@example.com>',
    to: [`reader${i}@example.com`],
    subject: `Recap #${i}`,
    html: `<p>Hello ${i}</p>`,
    text: `Hello ${i}`,
    headers: { 'List-Unsubscribe': `<https://recap.test/unsubscribe/t${i}>` },
    tags: [{ name: 'issue', value: '2026-W10' }],
    ...overrides,
  };
}

const emails = (n: number, from = 0) => Array.from({ length: n }, (_, i) => email(from + i));

describe('fake Resend: batch sending', () => {
  it('is reached through RESEND_BASE_URL read when the client is constructed', async () => {
    const { fake, resend } = await setup();
    expect(resend.baseUrl).toBe(fake.url);
  });

  it('accepts a batch, answers ids in order and records every field', async () => {
    const { fake, resend } = await setup();
    const res = await resend.batch.send(emails(3), { idempotencyKey: 'batch-1' });
    expect(res.error).toBeNull();
    const ids = res.data!.data.map((d) => d.id);
    expect(ids).toHaveLength(3);
    expect(fake.state.emails.map((e) => e.id)).toEqual(ids);
    const first = fake.state.emails[0];
    expect(first).toMatchObject({
      to: ['reader0@example.com'],
      subject: 'Recap #0',
      html: '<p>Hello 0</p>',
      text: 'Hello 0',
      headers: { 'List-Unsubscribe': '<https://recap.test/unsubscribe/t0>' },
      tags: [{ name: 'issue', value: '2026-W10' }],
      idempotencyKey: 'batch-1',
      endpoint: '/emails/batch',
      batchIndex: 0,
    });
    expect(fake.state.requests[0].batchValidation).toBe('strict');
    expect(res.headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-remaining': '4' });
  });

  it('accepts POST /emails with the same rules', async () => {
    const { fake, resend } = await setup();
    const res = await resend.emails.send({ ...email(1), to: 'one@example.com' }, { idempotencyKey: 'single-1' });
    expect(res.error).toBeNull();
    expect(fake.state.emailById(res.data!.id)?.to).toEqual(['one@example.com']);
  });

  it('rejects more than 100 emails per batch and more than 50 recipients per email', async () => {
    const { fake, resend } = await setup();
    const tooMany = await resend.batch.send(emails(101));
    expect(tooMany.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    const wide = await resend.batch.send([email(0, { to: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) })]);
    expect(wide.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(fake.state.emails).toHaveLength(0);
  });

  it('names missing fields, and strict mode creates nothing when one email is bad', async () => {
    const { fake, resend } = await setup();
    const bad = [email(0), email(1, { subject: '' })];
    const res = await resend.batch.send(bad as never);
    expect(res.error).toMatchObject({ statusCode: 422, name: 'missing_required_field' });
    expect(res.error!.message).toContain('emails[1]');
    expect(fake.state.emails).toHaveLength(0);
  });

  it('refuses tags Resend would refuse (only letters, digits, _ and -)', async () => {
    const { resend } = await setup();
    const res = await resend.batch.send([email(0, { tags: [{ name: 'issue', value: '2026:W10' }] })]);
    expect(res.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
  });

  it('in permissive mode creates the valid emails and lists a rejected recipient by its input index', async () => {
    const { fake, resend } = await setup({ rejectRecipients: ['Reader1@Example.com'] });
    const res = await resend.batch.send(emails(3), { batchValidation: 'permissive', idempotencyKey: 'perm-1' });
    expect(res.error).toBeNull();
    const body = res.data as unknown as { data: { id: string }[]; errors: { index: number; message: string }[] };
    expect(body.errors).toEqual([{ index: 1, message: expect.stringContaining('reader1@example.com') }]);
    expect(body.data).toHaveLength(2);
    expect(body.data.map((d) => fake.state.emailById(d.id)!.to[0])).toEqual(['reader0@example.com', 'reader2@example.com']);
    expect(fake.state.requests[0].batchValidation).toBe('permissive');
  });

  it('in strict mode fails the whole batch for one rejected recipient', async () => {
    const { fake, resend } = await setup({ rejectRecipients: ['reader1@example.com'] });
    const res = await resend.batch.send(emails(3));
    expect(res.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(fake.state.emails).toHaveLength(0);
  });
});

describe('fake Resend: idempotency', () => {
  it('replays the first answer for the same key and body, creating nothing new', async () => {
    const { fake, resend } = await setup();
    const first = await resend.batch.send(emails(2), { idempotencyKey: 'k-1' });
    const again = await resend.batch.send(emails(2), { idempotencyKey: 'k-1' });
    expect(again.error).toBeNull();
    expect(again.data).toEqual(first.data);
    expect(fake.state.emails).toHaveLength(2);
    expect(fake.state.requests.map((r) => r.outcome)).toEqual(['accepted', 'replayed']);
  });

  it('answers 409 invalid_idempotent_request when the body changed', async () => {
    const { fake, resend } = await setup();
    await resend.batch.send(emails(2), { idempotencyKey: 'k-2' });
    const changed = await resend.batch.send(emails(2, 10), { idempotencyKey: 'k-2' });
    expect(changed.error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
    expect(fake.state.emails).toHaveLength(2);
  });

  it('answers 409 concurrent_idempotent_requests while the first request is still running', async () => {
    const { fake, resend } = await setup();
    fake.setFaults({ kind: 'delay', ms: 400 });
    const slow = resend.batch.send(emails(2), { idempotencyKey: 'k-3' });
    await waitFor(() => fake.state.requests.length === 1);
    const racing = await resend.batch.send(emails(2), { idempotencyKey: 'k-3' });
    expect(racing.error).toMatchObject({ statusCode: 409, name: 'concurrent_idempotent_requests' });
    const first = await slow;
    expect(first.error).toBeNull();
    const after = await resend.batch.send(emails(2), { idempotencyKey: 'k-3' });
    expect(after.data).toEqual(first.data);
    expect(fake.state.emails).toHaveLength(2);
  });

  it('answers 400 invalid_idempotency_key for a key over 256 characters or an empty one', async () => {
    const { fake, resend } = await setup();
    const long = await resend.batch.send(emails(1), { idempotencyKey: 'x'.repeat(257) });
    expect(long.error).toMatchObject({ statusCode: 400, name: 'invalid_idempotency_key' });
    const ok = await resend.batch.send(emails(1), { idempotencyKey: 'x'.repeat(256) });
    expect(ok.error).toBeNull();
    // The SDK drops an empty key (it tests `if (idempotencyKey)`), so send that one by hand.
    const empty = await fetch(`${fake.url}/emails/batch`, {
      method: 'POST',
      headers: { authorization: 'Bearer re_test_key', 'content-type': 'application/json', 'idempotency-key': '' },
      body: JSON.stringify(emails(1)),
    });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ name: 'invalid_idempotency_key' });
  });

  it('forgets keys after their time to live', async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    const { fake, resend } = await setup({ now: () => now, ratePerSecond: false });
    await resend.batch.send(emails(1), { idempotencyKey: 'k-ttl' });
    now += 24 * 3600_000 - 1;
    await resend.batch.send(emails(1), { idempotencyKey: 'k-ttl' });
    expect(fake.state.emails).toHaveLength(1);
    now += 2;
    await resend.batch.send(emails(1), { idempotencyKey: 'k-ttl' });
    expect(fake.state.emails).toHaveLength(2);
  });
});

describe('fake Resend: limits and auth', () => {
  it('limits requests per second with ratelimit-* and retry-after headers', async () => {
    const { fake, resend } = await setup({ ratePerSecond: 2 });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await resend.batch.send([email(i)]));
    expect(results.map((r) => r.error?.name ?? 'ok')).toEqual(['ok', 'ok', 'rate_limit_exceeded']);
    expect(results[2].error!.statusCode).toBe(429);
    expect(results[2].headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'retry-after': '1' });
    expect(fake.state.maxRequestsInWindow(1000)).toBe(3);
    expect(fake.state.maxRequestsInWindow(1000, (r) => r.status === 200)).toBe(2);
  });

  it('stops at the daily quota with daily_quota_exceeded, and at the monthly one', async () => {
    const { fake, resend } = await setup({ dailyQuota: 3, ratePerSecond: false });
    expect((await resend.batch.send(emails(2))).error).toBeNull();
    const over = await resend.batch.send(emails(2, 2));
    expect(over.error).toMatchObject({ statusCode: 429, name: 'daily_quota_exceeded' });
    fake.setQuota({ monthly: 2 });
    const monthly = await resend.batch.send(emails(1, 9));
    expect(monthly.error).toMatchObject({ statusCode: 429, name: 'monthly_quota_exceeded' });
    expect(fake.state.emails).toHaveLength(2);
  });

  it('answers 403 invalid_api_key for an unknown key and 401 missing_api_key without one', async () => {
    const { fake, resend } = await setup({ apiKeys: ['re_good'] }, 're_wrong');
    const res = await resend.batch.send(emails(1));
    expect(res.error).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
    const anonymous = await fetch(`${fake.url}/emails`, { method: 'POST', body: JSON.stringify(email(1)) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, name: 'missing_api_key' });
  });
});

describe('fake Resend: faults', () => {
  it('answers 500 with a JSON body and 502 with an HTML one', async () => {
    const { fake, resend } = await setup();
    fake.setFaults({ kind: 'error500' }, { kind: 'html502' });
    const a = await resend.batch.send(emails(1));
    expect(a.error).toMatchObject({ statusCode: 500, name: 'internal_server_error' });
    const b = await resend.batch.send(emails(1));
    // The SDK cannot parse the HTML and reports it as application_error with the real status.
    expect(b.error).toMatchObject({ statusCode: 502, name: 'application_error' });
    expect(fake.state.emails).toHaveLength(0);
  });

  it('resets the connection, which the SDK reports with a null statusCode', async () => {
    const { fake, resend } = await setup();
    fake.setFaults({ kind: 'reset' });
    const res = await resend.batch.send(emails(1));
    expect(res.error).toMatchObject({ statusCode: null, name: 'application_error' });
    expect(fake.state.emails).toHaveLength(0);
  });

  it('can accept a batch and then drop the answer; the retry with the same key gets the original ids', async () => {
    const { fake, resend } = await setup();
    fake.setFaults({ kind: 'reset', afterAccept: true });
    const lost = await resend.batch.send(emails(2), { idempotencyKey: 'k-lost' });
    expect(lost.error?.statusCode).toBeNull();
    expect(fake.state.emails).toHaveLength(2);
    const retry = await resend.batch.send(emails(2), { idempotencyKey: 'k-lost' });
    expect(retry.data!.data.map((d) => d.id)).toEqual(fake.state.emails.map((e) => e.id));
    expect(fake.state.emails).toHaveLength(2);
  });

  it('can hang until the client gives up (the SDK passes its AbortSignal to fetch)', async () => {
    const { fake, resend } = await setup();
    fake.setFaults({ kind: 'hang' });
    const started = Date.now();
    const res = await resend.batch.send(emails(1), { signal: AbortSignal.timeout(200) });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.error).toMatchObject({ statusCode: null, name: 'application_error' });
    expect(fake.state.requests[0]).toMatchObject({ status: null, outcome: 'faulted', fault: 'hang' });
  });

  it('draws random faults from a seed, the same way on every run', async () => {
    const { fake, resend } = await setup({ ratePerSecond: false });
    const run = async () => {
      fake.reset();
      fake.setFaultRate({ probability: 0.5, faults: [{ kind: 'error500' }], seed: 42 });
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await resend.batch.send([email(i)])).error?.statusCode ?? 200);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});

describe('fake Resend: state helpers', () => {
  it('counts accepted emails per recipient address', async () => {
    const { fake, resend } = await setup();
    await resend.batch.send([email(1), email(2), email(1, { to: ['Reader 1 <READER1@example.com>'] })]);
    expect(fake.state.countByRecipient().get('reader1@example.com')).toBe(2);
    expect(fake.state.emailsTo('reader2@example.com')).toHaveLength(1);
  });
});

describe('fake Resend: webhooks', () => {
  it('signs events so that the SDK verifies them, and rejects a tampered body', async () => {
    const { fake, resend } = await setup();
    const sent = await resend.batch.send([email(7)]);
    const accepted = fake.state.emailById(sent.data!.data[0].id)!;
    const secret = createWebhookSecret();
    const event = buildEmailEvent('email.bounced', accepted, { bounceType: 'Permanent' });
    const { headers, body } = signWebhook(secret, event);

    const verified = resend.webhooks.verify({
      payload: body,
      headers: { id: headers['svix-id'], timestamp: headers['svix-timestamp'], signature: headers['svix-signature'] },
      webhookSecret: secret,
    });
    expect(verified).toMatchObject({
      type: 'email.bounced',
      data: { email_id: accepted.id, to: ['reader7@example.com'], tags: { issue: '2026-W10' }, bounce: { type: 'Permanent' } },
    });
    const tampered = () =>
      resend.webhooks.verify({
        payload: body.replace('Permanent', 'Transient'),
        headers: { id: headers['svix-id'], timestamp: headers['svix-timestamp'], signature: headers['svix-signature'] },
        webhookSecret: secret,
      });
    expect(tampered).toThrow(/signature/i);
  });

  it('builds the payload of every email event Resend posts', () => {
    const mail = { id: 'em_1', from: 'a@example.com', to: ['b@example.com'], subject: 'S', tags: [{ name: 'kind', value: 'recap' }] };
    for (const type of ['email.sent', 'email.delivered', 'email.delivery_delayed', 'email.complained'] as const) {
      expect(buildEmailEvent(type, mail)).toMatchObject({ type, data: { email_id: 'em_1', tags: { kind: 'recap' } } });
    }
    expect(buildEmailEvent('email.bounced', mail, { bounceType: 'Transient' }).data.bounce).toMatchObject({ type: 'Transient' });
    expect(buildEmailEvent('email.failed', mail).data.failed).toHaveProperty('reason');
    expect(buildEmailEvent('email.suppressed', mail).data.suppressed).toHaveProperty('type');
  });
});

describe('fake Resend: as its own process', () => {
  it('starts from the CLI, prints its URL and exposes its state over HTTP', async () => {
    const main = fileURLToPath(new URL('./fake-resend/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--rate', 'off'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      process.env.RESEND_BASE_URL = url;
      const res = await new Resend('re_cli').batch.send(emails(2));
      expect(res.error).toBeNull();
      const state = (await (await fetch(`${url}/__fake/state`)).json()) as { emails: unknown[]; countByRecipient: Record<string, number> };
      expect(state.emails).toHaveLength(2);
      expect(state.countByRecipient['reader0@example.com']).toBe(1);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

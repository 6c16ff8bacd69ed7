// GET /metrics and GET /health/ready: the real server (src/entry/node.ts, as `npm start` runs it) signs a reader up,
// confirms, sends an issue through the real sender to the fake Resend, and its scrape, parsed strictly, moved by
// exactly what happened; plus the access rules, the label hygiene and the plans of the scrape-time queries.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueMail } from '../src/core/send/enqueue-mail.js';
import { LANE_QUERY, outboxDepth } from '../src/db/repos/outbox-depth.js';
import { readMigrations } from '../src/db/sqlite/migrate.js';
import { createPromMetrics } from '../src/entry/node/prom-metrics.js';
import { createApp } from '../src/http/app.js';
import { tempDir } from './helpers/db.js';
import { makeDeps } from './helpers/deps.js';
import { parsePrometheusText, type Exposition } from './helpers/prom-text.js';
import { startServer } from './helpers/server.js';
import { buildEmailEvent, createWebhookSecret, postWebhook, startFakeResend, type AcceptedEmail, type FakeResend } from './fake-resend/server.js';
import { freePort } from './helpers/server.js';

const API_TOKEN = 'metrics-test-api-token-0123456789';
const METRICS_TOKEN = 'metrics-test-scrape-token-0123456789';
const APP_SECRET = 'metrics-test-app-secret-0123456789abcdef';
const READER = 'metrics-reader@example.org';
const SECOND_READER = 'metrics-second@example.org';
const REFUSED = 'metrics-refused@example.org';
const TEST_TO = 'metrics-test-send@example.org';

const children: ChildProcess[] = [];
const dirs: string[] = [];
const fakes: FakeResend[] = [];
afterAll(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const f of fakes.splice(0)) await f.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const kindOf = (e: AcceptedEmail) => e.tags.find((t) => t.name === 'kind')?.value ?? (e.tags.some((t) => t.name === 'issue') ? 'recap' : 'unknown');
const mailsTo = (fake: FakeResend, to: string, kind?: string) =>
  fake.state.emails.filter((e) => e.to.some((a) => a.includes(to)) && (!kind || kindOf(e) === kind));

describe('GET /metrics on the real server', () => {
  it('counts signups, confirmations, mails, provider calls, retries, 429s, webhooks and requests by exactly what happened', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = join(dir, 'data', 'recap.db');
    const fake = await startFakeResend({ ratePerSecond: false });
    fakes.push(fake);
    const webhookSecret = createWebhookSecret();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_FORMAT: 'json',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        DATABASE_PATH: dbPath,
        APP_SECRET,
        EDITOR_API_TOKEN: API_TOKEN,
        METRICS_TOKEN,
        RESEND_API_KEY: 're_metrics_test',
        RESEND_BASE_URL: fake.url,
        RESEND_WEBHOOK_SECRET: webhookSecret,
        RESEND_RATE_PER_SEC: '100',
        SIGNUP_RATE_PER_MIN: '0',
        EDITOR_EMAILS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => (out += `\n[exited ${code}]`));
    await waitFor(`the server to answer /health\n${out}`, async () => (await fetch(`${base}/health`).catch(() => null))?.ok, 40_000);

    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const scrape = async (token = METRICS_TOKEN): Promise<Exposition> => {
      const res = await fetch(`${base}/metrics`, { headers: auth(token) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parsePrometheusText(await res.text());
    };
    const api = (path: string, body?: unknown) =>
      fetch(`${base}/api/editor${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...auth(API_TOKEN), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const ready = async () => (await fetch(`${base}/health/ready`)).json() as Promise<{ scheduler: { jobs: { name: string; running: boolean }[] } }>;
    const dispatchIdle = () => waitFor('dispatch to finish', async () => (await ready()).scheduler.jobs.find((j) => j.name === 'dispatch')?.running === false);
    const signup = (email: string) =>
      fetch(`${base}/api/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });

    await dispatchIdle();
    const before = await scrape();
    const http = (e: Exposition, method: string, route: string, cls: string) => e.sum('recap_http_requests_total', { method, route, status_class: cls });

    // A visitor signs up and confirms: GET shows the button (scanners fetch links), POST with its CSRF token confirms.
    expect((await signup(READER)).status).toBe(202);
    const confirmMail = await waitFor('the confirmation mail', () => mailsTo(fake, READER, 'confirm')[0]);
    const confirmUrl = /http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_.~%-]+/.exec(confirmMail.text ?? '')?.[0];
    expect(confirmUrl).toBeDefined();
    const confirmToken = decodeURIComponent(new URL(confirmUrl!).pathname.split('/')[2]);
    const page = await fetch(confirmUrl!);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    const cookie = /wr_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
    expect(csrf && cookie).toBeTruthy();
    const pressed = await fetch(confirmUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `wr_csrf=${cookie}` },
      body: new URLSearchParams({ csrf: csrf!.replace(/&amp;/g, '&') }),
    });
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toMatch(/confirmed|subscribed/i);
    await waitFor('the welcome mail', () => mailsTo(fake, READER, 'welcome')[0]);
    await dispatchIdle();

    // The issue goes out through the real sender; its first call meets a 500, so the batch is retried under its key.
    const built = await api('/issues', {});
    expect([200, 201]).toContain(built.status);
    const issueId = ((await built.json()) as { id: string }).id;
    fake.setFaults({ kind: 'error500' });
    expect((await api(`/issues/${issueId}/send`, {})).status).toBe(202);
    await waitFor('the failed first attempt', () => fake.state.requests.some((r) => r.fault === 'error500'));
    await dispatchIdle();
    await new Promise((r) => setTimeout(r, 600)); // the retry's backoff (at most 500 ms for a first retry)
    // A second signup wakes the sender: its confirmation goes first, then the recap batch that came due.
    expect((await signup(SECOND_READER)).status).toBe(202);
    const recap = await waitFor('the recap', () => mailsTo(fake, READER, 'recap')[0]);
    await waitFor('the second confirmation', () => mailsTo(fake, SECOND_READER, 'confirm')[0]);
    await waitFor('the issue to be sent', async () => ((await (await api(`/issues/${issueId}`)).json()) as { status: string }).status === 'sent');

    // Resend reports the recap delivered; a forged event is refused.
    expect((await postWebhook(`${base}/webhooks/resend`, webhookSecret, buildEmailEvent('email.delivered', recap))).status).toBe(200);
    expect((await postWebhook(`${base}/webhooks/resend`, createWebhookSecret(), buildEmailEvent('email.delivered', recap))).status).toBe(401);

    // 429s: Resend refuses every call for a moment; the test send waits its retry-after and goes out on the next wake,
    // together with a test send to an address Resend refuses for good.
    await dispatchIdle();
    fake.setRateLimit(0);
    expect((await api(`/issues/${issueId}/test`, { to: TEST_TO })).status).toBe(202);
    await waitFor('a 429', () => fake.state.requests.some((r) => r.status === 429));
    await dispatchIdle();
    fake.setRateLimit(false);
    fake.setRejectedRecipients([REFUSED]);
    await new Promise((r) => setTimeout(r, 1100)); // retry-after: 1
    expect((await api(`/issues/${issueId}/test`, { to: REFUSED })).status).toBe(202);
    await waitFor('the test send after the 429', () => mailsTo(fake, TEST_TO, 'test')[0]);
    await waitFor('the refused test send', () => fake.state.requests.filter((r) => r.status === 200).length >= 6);
    await dispatchIdle();

    // A path no route knows, carrying a token-like segment, and a personal link with a made-up token.
    expect((await fetch(`${base}/nothing-here/${confirmToken}`)).status).toBe(404);
    await fetch(`${base}/unsubscribe/${confirmToken}`);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => after.sum(name, labels) - before.sum(name, labels);

    expect(moved('recap_signups_total', { source: 'api', result: 'new' })).toBe(2);
    expect(moved('recap_signups_total')).toBe(2);
    expect(moved('recap_confirmations_total')).toBe(1);
    expect(moved('recap_mails_total', { kind: 'confirm', outcome: 'sent' })).toBe(2);
    expect(moved('recap_mails_total', { kind: 'welcome', outcome: 'sent' })).toBe(1);
    expect(moved('recap_mails_total', { kind: 'recap', outcome: 'sent' })).toBe(1);
    expect(moved('recap_mails_total', { kind: 'test', outcome: 'sent' })).toBe(1);
    expect(moved('recap_mails_total', { kind: 'test', outcome: 'failed' })).toBe(1);
    expect(moved('recap_mails_total', { outcome: 'held' })).toBe(0);
    expect(moved('recap_mails_total')).toBe(6);
    // every provider call is in the histogram, with the result the fake gave it
    const answered = (status: number) => fake.state.requests.filter((r) => r.path === '/emails/batch' && r.status === status).length;
    expect(moved('recap_provider_request_duration_seconds_count', { provider: 'resend', result: 'ok' })).toBe(answered(200));
    expect(answered(200)).toBe(6);
    expect(moved('recap_provider_request_duration_seconds_count', { provider: 'resend', result: 'transient' })).toBe(1);
    expect(moved('recap_provider_request_duration_seconds_count', { provider: 'resend', result: 'rate_limited' })).toBe(answered(429));
    expect(moved('recap_provider_rate_limited_total', { provider: 'resend', reason: 'rate_limit' })).toBe(answered(429));
    expect(answered(429)).toBeGreaterThanOrEqual(1);
    expect(moved('recap_provider_retries_total', { lane: 'recap' })).toBe(1);
    expect(moved('recap_provider_retries_total', { lane: 'transactional' })).toBe(answered(429));
    expect(moved('recap_provider_events_total', { type: 'email.delivered', result: 'applied' })).toBe(1);
    expect(moved('recap_provider_events_total', { type: 'unverified', result: 'rejected' })).toBe(1);
    // requests by route pattern and status class
    expect(http(after, 'POST', '/api/subscribe', '2xx') - http(before, 'POST', '/api/subscribe', '2xx')).toBe(2);
    expect(http(after, 'GET', '/confirm/:token', '2xx') - http(before, 'GET', '/confirm/:token', '2xx')).toBe(1);
    expect(http(after, 'POST', '/confirm/:token', '2xx') - http(before, 'POST', '/confirm/:token', '2xx')).toBe(1);
    expect(http(after, 'POST', '/webhooks/resend', '4xx') - http(before, 'POST', '/webhooks/resend', '4xx')).toBe(1);
    expect(http(after, 'GET', '(unmatched)', '4xx') - http(before, 'GET', '(unmatched)', '4xx')).toBe(1);
    expect(http(after, 'GET', '/unsubscribe/:token', '2xx') + http(after, 'GET', '/unsubscribe/:token', '4xx')).toBeGreaterThanOrEqual(1);
    expect(moved('recap_http_request_duration_seconds_count', { method: 'POST', route: '/api/subscribe' })).toBe(2);
    // the scheduler: ran dispatch at start and on wake-ups; nothing is queued now, and nobody holds the lease
    expect(after.sum('recap_scheduler_runs_total', { job: 'dispatch', trigger: 'start', result: 'ok' })).toBe(1);
    expect(moved('recap_scheduler_runs_total', { job: 'dispatch', trigger: 'wake' })).toBeGreaterThanOrEqual(2);
    expect(after.get('recap_scheduler_last_run_timestamp_seconds', { job: 'dispatch' })).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(after.get('recap_scheduler_job_running', { job: 'dispatch' })).toBe(0);
    expect(after.get('recap_outbox_queued', { lane: 'transactional' })).toBe(0);
    expect(after.get('recap_outbox_queued', { lane: 'recap' })).toBe(0);
    expect(after.get('recap_outbox_oldest_queued_age_seconds', { lane: 'transactional' })).toBe(0);
    expect(after.get('recap_dispatch_lease_held')).toBe(0);
    expect(after.get('recap_sqlite_database_bytes')).toBeGreaterThan(4096);
    expect(after.get('recap_sqlite_wal_bytes')).toBeGreaterThanOrEqual(0);
    // default process metrics, on this app's own registry
    expect(after.get('process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(after.families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');

    // No label value is a path with a token in it, nor an address.
    const values = after.samples.flatMap((s) => Object.values(s.labels));
    for (const v of values) {
      expect(v).not.toContain(confirmToken);
      expect(v).not.toMatch(/@/);
      expect(v).not.toMatch(/^\/(confirm|unsubscribe|preferences|r)\/(?!:token$)/);
    }
    const routes = new Set(after.samples.map((s) => s.labels.route).filter(Boolean));
    expect([...routes].every((r) => r === '(unmatched)' || r.startsWith('/') || r === '*')).toBe(true);
    // and the scrape itself leaves no token in the log
    expect(out).not.toContain(METRICS_TOKEN);
    expect(out).not.toContain(API_TOKEN);

    // Access: no token 401, a wrong one 401, the API token and METRICS_TOKEN both work.
    const bare = await fetch(`${base}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await fetch(`${base}/metrics`, { headers: auth('not-the-token-0123456789') })).status).toBe(401);
    expect((await scrape(API_TOKEN)).sum('recap_confirmations_total')).toBe(after.sum('recap_confirmations_total'));
    expect((await scrape(METRICS_TOKEN)).families.has('recap_mails_total')).toBe(true);

    // /health/ready: ready with every migration applied; 503 naming the one the ledger lacks.
    const ok = await fetch(`${base}/health/ready`);
    expect(ok.status).toBe(200);
    const report = (await ok.json()) as {
      ready: boolean;
      database: { ok: boolean };
      migrations: { ok: boolean; applied: number; known: number; missing: string[] };
      scheduler: { ok: boolean; running: boolean; jobs: { name: string; lastStartedAt: string | null; lastResult: string | null }[] };
    };
    const files = readMigrations().map((m) => m.name);
    expect(report).toMatchObject({ ready: true, database: { ok: true }, migrations: { ok: true, applied: files.length, known: files.length, missing: [] } });
    expect(report.scheduler).toMatchObject({ ok: true, running: true });
    expect(report.scheduler.jobs.find((j) => j.name === 'dispatch')).toMatchObject({ lastResult: 'ok' });
    expect(report.scheduler.jobs.find((j) => j.name === 'dispatch')?.lastStartedAt).toMatch(/^\d{4}-/);
    const db = new BetterSqlite3(dbPath);
    db.pragma('busy_timeout = 5000');
    db.prepare('DELETE FROM d1_migrations WHERE name = ?').run(files[files.length - 1]);
    db.close();
    const notReady = await fetch(`${base}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, database: { ok: true }, migrations: { ok: false, missing: [files[files.length - 1]] } });
    // /health stays the cheap liveness answer
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });

    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }, 120_000);
});

describe('GET /metrics and /health/ready in-process (own registry each)', () => {
  it('refuses everyone when neither METRICS_TOKEN nor EDITOR_API_TOKEN is set', async () => {
    const deps = makeDeps({ config: { editorApiToken: undefined, metricsToken: undefined } });
    const server = await startServer(createApp(deps, { metrics: createPromMetrics().exposition }));
    try {
      for (const headers of [{}, { authorization: 'Bearer anything-at-all-0123456789' }] as Record<string, string>[]) {
        const res = await fetch(`${server.url}/metrics`, { headers });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toMatch(/METRICS_TOKEN/);
      }
    } finally {
      await server.close();
      await deps.cleanup();
    }
  });

  it('answers 501 with a JSON error where no metrics are collected (Workers), and /health/ready still checks the database', async () => {
    const deps = makeDeps({ config: { metricsToken: METRICS_TOKEN } });
    const server = await startServer(createApp(deps));
    try {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(501);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_implemented');
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, database: { ok: true }, migrations: { ok: true, known: null }, scheduler: null });
    } finally {
      await server.close();
      await deps.cleanup();
    }
  });

  it('is not ready when the code ships a migration the database has not applied, or the scheduler has stopped', async () => {
    const deps = makeDeps();
    const known = [...readMigrations().map((m) => m.name), '9999_from_the_future.sql'];
    let running = true;
    const app = createApp(deps, { readiness: { knownMigrations: known, scheduler: () => ({ running, startedAt: deps.clock.now().toISOString(), jobs: [] }) } });
    try {
      const missing = await app.request('/health/ready');
      expect(missing.status).toBe(503);
      expect(await missing.json()).toMatchObject({ ready: false, migrations: { ok: false, missing: ['9999_from_the_future.sql'] }, scheduler: { ok: true } });
      const fine = createApp(deps, {
        readiness: { knownMigrations: known.slice(0, -1), scheduler: () => ({ running, startedAt: deps.clock.now().toISOString(), jobs: [] }) },
      });
      expect((await fine.request('/health/ready')).status).toBe(200);
      running = false;
      const stopped = await fine.request('/health/ready');
      expect(stopped.status).toBe(503);
      expect(await stopped.json()).toMatchObject({ scheduler: { ok: false, running: false } });
    } finally {
      await deps.cleanup();
    }
  });

  it('reads outbox depth through the partial covering indexes, never a scan of sent history', async () => {
    const deps = makeDeps();
    try {
      for (const lane of ['transactional', 'recap'] as const) {
        const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT count(*) AS n, min(id) AS first ${LANE_QUERY[lane]}`.execute(deps.db);
        const detail = plan.rows.map((r) => r.detail).join(' | ');
        expect(detail).toMatch(lane === 'transactional' ? /USING (COVERING )?INDEX deliveries_tx_queue\b/ : /USING COVERING INDEX deliveries_recap_queued\b/);
        expect(detail).not.toMatch(/SCAN deliveries(?! USING)/);
      }
      expect(await outboxDepth(deps.db)).toEqual([
        { lane: 'transactional', queued: 0, oldestQueuedAt: null },
        { lane: 'recap', queued: 0, oldestQueuedAt: null },
      ]);
      const first = deps.clock.now().toISOString();
      await enqueueMail(deps, { kind: 'test', to: 'depth-a@example.org', subject: 's', html: '<p>h</p>', text: 't' });
      deps.clock.advance(90_000);
      await enqueueMail(deps, { kind: 'test', to: 'depth-b@example.org', subject: 's', html: '<p>h</p>', text: 't' });
      const [tx] = await outboxDepth(deps.db);
      expect(tx).toEqual({ lane: 'transactional', queued: 2, oldestQueuedAt: first });
    } finally {
      await deps.cleanup();
    }
  });

  it('labels a request by its route pattern and never by a path with a token in it', async () => {
    const deps = makeDeps({ config: { metricsToken: METRICS_TOKEN } });
    const metrics = createPromMetrics();
    deps.metrics = metrics;
    const app = createApp(deps, { metrics: metrics.exposition });
    const token = 'tok_SECRET_LOOKING_0123456789abcdef';
    await app.request(`/unsubscribe/${token}`);
    await app.request(`/preferences/${token}`);
    await app.request(`/no/such/route/${token}`);
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    expect(text).not.toContain(token);
    const e = parsePrometheusText(text);
    expect(e.sum('recap_http_requests_total', { route: '/unsubscribe/:token' })).toBe(1);
    expect(e.sum('recap_http_requests_total', { route: '/preferences/:token' })).toBe(1);
    expect(e.sum('recap_http_requests_total', { route: '(unmatched)', status_class: '4xx' })).toBe(1);
    await deps.cleanup();
  });
});

describe('the Prometheus text parser used above', () => {
  const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 3\n';
  it('reads a well-formed exposition', () => {
    expect(parsePrometheusText(ok).get('a_total', { x: '1' })).toBe(3);
  });
  it.each([
    ['no final newline', ok.trimEnd()],
    ['a sample before its TYPE', 'a_total 1\n# TYPE a_total counter\n'],
    ['an unquoted label value', '# TYPE a_total counter\na_total{x=1} 3\n'],
    ['a missing value', '# TYPE a_total counter\na_total{x="1"}\n'],
    ['a value that is not a number', '# TYPE a_total counter\na_total 3x\n'],
    ['the same series twice', '# TYPE a_total counter\na_total 1\na_total 2\n'],
    ['a negative counter', '# TYPE a_total counter\na_total -1\n'],
    ['a bad escape', '# TYPE a_total counter\na_total{x="\\q"} 1\n'],
    ['a malformed TYPE line', '# TYPE a_total\na_total 1\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['a histogram whose +Inf is not its count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n'],
  ])('rejects %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});

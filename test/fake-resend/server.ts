// A local stand-in for api.resend.com that the real `resend` SDK talks to (via RESEND_BASE_URL), with faults on demand.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin.js';
import { handleEmailsRequest, type ApiAnswer } from './emails-api.js';
import { buildResendError, type ResendErrorBody } from './errors.js';
import { answerWithFault, createFaultPlan, type Fault, type FaultRate } from './faults.js';
import { createIdempotencyStore, fingerprintRequest, isValidIdempotencyKey } from './idempotency.js';
import { createQuota, createRateLimiter, rateHeaders, type QuotaLimits, type RateDecision } from './limits.js';
import { createFakeState, type FakeState, type RequestRecord } from './state.js';
import { extractAddress } from './validate.js';

export interface FakeResendOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number;
  /** Accepted API keys; default: any key that starts with `re_`. Others get 403 invalid_api_key. */
  apiKeys?: string[];
  /** Requests per second per API key (default 5, Resend's default); `false` disables limiting and its headers. */
  ratePerSecond?: number | false;
  dailyQuota?: number;
  monthlyQuota?: number;
  /** Addresses Resend refuses permanently: strict batches fail whole, permissive ones list them in `errors`. */
  rejectRecipients?: Iterable<string>;
  /** Sending domains verified on the account; a `from` on any other domain gets 403 validation_error. Default: any. */
  verifiedDomains?: Iterable<string>;
  /** The fake's clock (epoch ms) for rate windows, quotas, key expiry and timestamps. */
  now?: () => number;
  idempotencyTtlMs?: number;
}

export interface FakeResend {
  url: string;
  port: number;
  state: FakeState;
  /** Queue faults for the next API requests (replaces any queued ones). */
  setFaults(...faults: Fault[]): void;
  /** Fail a share of API requests at random (seeded), or stop with `null`. */
  setFaultRate(rate: FaultRate | null): void;
  clearFaults(): void;
  setRateLimit(perSecond: number | false): void;
  setQuota(limits: QuotaLimits): void;
  setRejectedRecipients(addresses: Iterable<string>): void;
  /** Sending domains verified from now on; null: any domain. */
  setVerifiedDomains(domains: Iterable<string> | null): void;
  /** Requests being handled or held (delay/hang) right now. */
  inFlight(): number;
  /** Forget emails, requests, idempotency keys, quota usage and faults. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const now = options.now ?? Date.now;
  const state = createFakeState();
  const faults = createFaultPlan();
  const limiter = createRateLimiter(now, options.ratePerSecond ?? 5);
  const quota = createQuota(now, { daily: options.dailyQuota, monthly: options.monthlyQuota });
  const idempotency = createIdempotencyStore(now, options.idempotencyTtlMs);
  let rejected = toAddressSet(options.rejectRecipients ?? []);
  let verifiedDomains = toDomainSet(options.verifiedDomains ?? null);
  let inFlight = 0;
  let closed = false;
  const timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();

  const isKnownKey = (key: string) => (options.apiKeys ? options.apiKeys.includes(key) : key.startsWith('re_'));
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), done: resolve };
      timers.add(entry);
    });

  const fake: FakeResend = {
    url: '',
    port: 0,
    state,
    setFaults: (...f) => faults.set(...f),
    setFaultRate: (r) => faults.setRate(r),
    clearFaults: () => faults.clear(),
    setRateLimit: (perSecond) => limiter.setLimit(perSecond),
    setQuota: (limits) => quota.setLimits(limits),
    setRejectedRecipients: (addresses) => {
      rejected = toAddressSet(addresses);
    },
    setVerifiedDomains: (domains) => {
      verifiedDomains = toDomainSet(domains);
    },
    inFlight: () => inFlight,
    reset: () => {
      state.clear();
      idempotency.clear();
      quota.clear();
      faults.clear();
    },
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t.timer), t.done();
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, raw: string): Promise<void> {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : null);
    const record: RequestRecord = {
      at: now(),
      method: req.method ?? 'GET',
      path,
      apiKey: null,
      idempotencyKey: header('idempotency-key'),
      batchValidation: header('x-batch-validation'),
      status: null,
      outcome: 'pending',
      accepted: 0,
    };
    state.requests.push(record);
    let rate: RateDecision | null = null;
    const send = (answer: ApiAnswer, outcome: RequestRecord['outcome']) => {
      record.status = answer.status;
      record.outcome = outcome;
      const error = answer.body as Partial<ResendErrorBody>;
      if (answer.status >= 400 && error?.name) record.errorName = error.name;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...rateHeaders(rate) });
      res.end(JSON.stringify(answer.body));
    };
    const refuse = (error: ResendErrorBody) => send({ status: error.statusCode, body: error, accepted: 0 }, 'rejected');

    const fault = faults.next();
    if (fault) record.fault = fault.kind;
    if (fault && fault.kind !== 'delay' && !fault.afterAccept) return answerWithFault(fault, req, res, record);

    const auth = header('authorization');
    const apiKey = auth && /^Bearer\s+\S/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : null;
    if (!apiKey) return refuse(buildResendError('missing_api_key'));
    record.apiKey = apiKey;
    if (!isKnownKey(apiKey)) return refuse(buildResendError('invalid_api_key'));
    rate = limiter.take(apiKey);
    if (rate && !rate.allowed) return refuse(buildResendError('rate_limit_exceeded'));
    if (path !== '/emails' && path !== '/emails/batch') return refuse(buildResendError('not_found'));
    if (req.method !== 'POST') return refuse(buildResendError('method_not_allowed'));

    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse(buildResendError('validation_error', 'The request body is not valid JSON.', 400));
    }

    const key = record.idempotencyKey;
    if (key !== null) {
      if (!isValidIdempotencyKey(key)) return refuse(buildResendError('invalid_idempotency_key'));
      const fingerprint = fingerprintRequest(path, body);
      const found = idempotency.lookup(apiKey, key, fingerprint);
      if (found.kind === 'in_flight') return refuse(buildResendError('concurrent_idempotent_requests'));
      if (found.kind === 'different_payload') return refuse(buildResendError('invalid_idempotent_request'));
      if (found.kind === 'replay') {
        if (fault?.afterAccept) return answerWithFault(fault, req, res, record);
        return send({ ...found.response, accepted: 0 }, 'replayed');
      }
      idempotency.begin(apiKey, key, fingerprint);
    }

    let answer: ApiAnswer = { status: 500, body: buildResendError('internal_server_error'), accepted: 0 };
    try {
      // A slow request keeps its key "in progress", which is what makes a concurrent retry a 409.
      if (fault?.kind === 'delay') await sleep(fault.ms ?? 1000);
      if (closed) return;
      answer = handleEmailsRequest(
        { state, quota, rejected, verifiedDomains, now },
        { path, body, apiKey, idempotencyKey: key, batchValidation: record.batchValidation },
      );
    } finally {
      if (key !== null) idempotency.finish(apiKey, key, { status: answer.status, body: answer.body });
    }
    record.accepted = answer.accepted;
    if (fault?.afterAccept) return answerWithFault(fault, req, res, record);
    send(answer, answer.status < 300 ? 'accepted' : 'rejected');
  }

  const server = createServer((req, res) => {
    req.on('error', () => {});
    res.on('error', () => {});
    inFlight += 1;
    res.on('close', () => (inFlight -= 1));
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '') || '/';
    readBody(req)
      .then((raw) => (path.startsWith('/__fake/') ? handleAdminRequest(fake, req.method ?? 'GET', path, raw, res) : handleApi(req, res, path, raw)))
      .catch((err: unknown) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(buildResendError('internal_server_error', `fake-resend: ${String(err)}`)));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toDomainSet(domains: Iterable<string> | null): Set<string> | null {
  return domains === null ? null : new Set([...domains].map((d) => d.trim().toLowerCase()));
}

function toAddressSet(addresses: Iterable<string>): Set<string> {
  return new Set([...addresses].map((a) => extractAddress(a) ?? a.toLowerCase()));
}

export type { Fault, FaultKind, FaultRate } from './faults.js';
export type { AcceptedEmail, RequestRecord } from './state.js';
export { buildEmailEvent, createWebhookSecret, postWebhook, signWebhook } from './webhooks.js';

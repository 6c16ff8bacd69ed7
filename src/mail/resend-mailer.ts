// The Mailer port over Resend's batch API through the official SDK: every outcome becomes a typed result, never a throw.
import { Resend } from 'resend';
import { encodeBatchBody, type BatchBody } from './batch-body.js';
import type { Mailer, OutgoingEmail, RateInfo, RecipientError, SendBatchOptions, SendBatchResult, SendFailureKind } from './mailer.js';

export const RESEND_MAX_BATCH = 100;

export interface ResendMailerOptions {
  apiKey: string;
  /** Upper bound for one batch call, enforced with an AbortSignal the SDK hands to fetch. */
  timeoutMs: number;
  /**
   * Default 'permissive': one malformed or refused address must fail only its own delivery. In 'strict' mode Resend
   * rejects the whole batch for it, and since the batch is retried with the same body and key, the other 99
   * recipients would never get the mail.
   */
  batchValidation?: 'strict' | 'permissive';
  /** Normally unset: the SDK then reads RESEND_BASE_URL when the client is constructed (tests point it at the fake). */
  baseUrl?: string;
}

type Failure = Extract<SendBatchResult, { ok: false }>;
interface ProviderError {
  name?: string;
  statusCode?: number | null;
  message?: string;
}
type Headers = Record<string, string> | null;

export function createResendMailer(options: ResendMailerOptions): Mailer {
  const client = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const batchValidation = options.batchValidation ?? 'permissive';

  /**
   * Settles one call; it is handed the SDK's promise, never the messages, so nothing here keeps the bodies alive.
   * The SDK never throws for HTTP or network failures; it spreads these options into fetch(), so `signal` really
   * cancels the request (an abort comes back as error.name 'application_error', statusCode null). The race is a
   * second guard in case a future SDK stops forwarding the signal: we return on time anyway.
   */
  async function settle(call: Promise<BatchAnswer>, count: number, deadline: Deadline): Promise<SendBatchResult> {
    try {
      const res = await Promise.race([call, deadline.expired]);
      if (res === 'expired') return mapError({ statusCode: null }, null, undefined, deadline.reason(), options.timeoutMs);
      const rate = readRateInfo(res.headers);
      if (res.error) return mapError(res.error, res.headers, rate, deadline.reason(), options.timeoutMs);
      return mapAccepted(res.data, count, rate);
    } catch (err) {
      // Only reachable through an SDK bug or a throwing fetch polyfill; the port promises no throws.
      return { ok: false, kind: 'transient', message: `resend SDK threw: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      deadline.clear();
    }
  }

  return {
    name: 'resend',
    // Serialised at once and not kept: `messages` must not stay referenced while the call is in flight. The SDK's
    // batch.send would keep its argument for the whole round trip, which at SEND_CONCURRENCY batches in flight is
    // every personalised body held until Resend answers.
    sendBatch: (messages: OutgoingEmail[], options: SendBatchOptions) => sendBody(encodeBatchBody(messages), options),
    sendBody,
  };

  // client.post is the same request batch.send makes (path, x-batch-validation, Idempotency-Key), with our JSON as
  // the body: post() spreads its options over the request after setting `body` (resend 6.38.0, as it does `signal`),
  // so the entity it serialises is a placeholder. test/resend-mailer.test.ts checks the bytes Resend receives.
  function sendBody({ json, bytes, count }: BatchBody, { idempotencyKey, signal }: SendBatchOptions): Promise<SendBatchResult> {
    if (count === 0) return Promise.resolve({ ok: true, ids: [], errors: [] });
    if (count > RESEND_MAX_BATCH) {
      return Promise.resolve({ ok: false, kind: 'invalid', message: `a Resend batch takes at most ${RESEND_MAX_BATCH} emails, got ${count}` });
    }
    const deadline = startDeadline(options.timeoutMs, signal);
    const requestOptions = { idempotencyKey, headers: { 'x-batch-validation': batchValidation }, signal: deadline.signal, body: bytes ?? json };
    const call = client.post<unknown>('/emails/batch', null, requestOptions);
    return settle(call, count, deadline);
  }
}

type BatchAnswer = Awaited<ReturnType<Resend['post']>>; // { data, error, headers }, like batch.send's
type Deadline = ReturnType<typeof startDeadline>;

/**
 * Turn Resend's answer into one id per input message. In permissive mode `data` lists only the emails that were
 * created, in request order, and `errors[].index` points into the request; so the ids fill the indices that are not
 * in `errors`, in order. If the counts do not add up we cannot pair them and leave the ids null rather than guess:
 * the batch was still accepted and must not be sent again.
 */
function mapAccepted(data: unknown, count: number, rate: RateInfo | undefined): SendBatchResult {
  const body = (data ?? {}) as { data?: unknown; errors?: unknown };
  const errors: RecipientError[] = [];
  const failed = new Set<number>();
  for (const e of Array.isArray(body.errors) ? body.errors : []) {
    const { index, message } = (e ?? {}) as { index?: unknown; message?: unknown };
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || failed.has(index)) continue;
    failed.add(index);
    errors.push({ index, message: typeof message === 'string' ? message : 'rejected by Resend' });
  }
  errors.sort((a, b) => a.index - b.index);

  const created = Array.isArray(body.data) ? body.data.map((d) => (d as { id?: unknown } | null)?.id) : [];
  const ids: (string | null)[] = new Array(count).fill(null);
  if (created.length === count - failed.size && created.every((id) => typeof id === 'string')) {
    let next = 0;
    for (let i = 0; i < count; i++) if (!failed.has(i)) ids[i] = created[next++] as string;
  }
  return { ok: true, ids, errors, ...(rate ? { rate } : {}) };
}

function mapError(error: ProviderError, headers: Headers, rate: RateInfo | undefined, aborted: 'timeout' | 'caller' | null, timeoutMs: number): Failure {
  const status = typeof error.statusCode === 'number' ? error.statusCode : null;
  const name = error.name ?? 'unknown_error';
  const base = { ...(rate ? { rate } : {}) };
  if (status === null) {
    // No HTTP answer at all: refused, reset, timed out or aborted. Resend may still have accepted the batch, so the
    // caller must retry with the same idempotency key (it will replay, or 409 while the first call is still running).
    const why =
      aborted === 'timeout'
        ? `timed out after ${timeoutMs} ms (outcome unknown)`
        : aborted === 'caller'
          ? 'aborted by caller (outcome unknown)'
          : headers
            ? `unrecognised error answer: ${JSON.stringify(error).slice(0, 200)}`
            : `network error: ${error.message ?? 'no response'} (outcome unknown)`;
    return { ok: false, kind: 'transient', message: why, ...base };
  }
  const kind = classify(name, status);
  const result: Failure = { ok: false, kind, message: `${name} (${status}): ${error.message ?? ''}`.trim(), ...base };
  if (kind === 'rate_limited') result.retryAfterMs = readRetryAfterMs(headers) ?? rate?.resetMs ?? 1000;
  // "Still in progress" is safe to retry later with the same key (Resend's advice); a changed body is not.
  if (kind === 'in_progress') result.retryAfterMs = readRetryAfterMs(headers) ?? 1000;
  return result;
}

function classify(name: string, status: number): SendFailureKind {
  switch (name) {
    case 'rate_limit_exceeded':
      return 'rate_limited';
    case 'daily_quota_exceeded':
    case 'monthly_quota_exceeded':
      return 'quota';
    // Resend tells the two 409s apart by name: the key's first request is still running (retry later), or the key
    // already carries another body (an earlier attempt reached Resend; retrying cannot help, only a new key would).
    case 'concurrent_idempotent_requests':
      return 'in_progress';
    case 'invalid_idempotent_request':
      return 'conflict';
    case 'missing_api_key':
    case 'invalid_api_key':
    case 'restricted_api_key':
      return 'auth';
    case 'application_error':
    case 'internal_server_error':
      return 'transient';
  }
  if (status === 429) return 'rate_limited';
  if (status === 409) return 'conflict'; // an unnamed 409: assume the worse case, never a blind retry
  // 403 validation_error means an unverified domain or a test-only account: every batch would fail the same way,
  // so it is treated like a bad key (stop and tell someone), not like one bad batch.
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status >= 500) return 'transient';
  if (status >= 400) return 'invalid';
  return 'transient';
}

/** `ratelimit-*` headers come back on every answer (the SDK returns them as a lower-cased record). */
function readRateInfo(headers: Headers): RateInfo | undefined {
  if (!headers) return undefined;
  const num = (key: string) => {
    const v = headers[key];
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const limit = num('ratelimit-limit');
  const remaining = num('ratelimit-remaining');
  const reset = num('ratelimit-reset');
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(reset !== undefined ? { resetMs: reset * 1000 } : {}),
  };
}

/** `retry-after` is seconds (what Resend sends) or an HTTP date. */
function readRetryAfterMs(headers: Headers): number | undefined {
  const v = headers?.['retry-after']?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** One signal that fires on our timeout or the caller's abort, remembering which one it was. */
function startDeadline(timeoutMs: number, outer?: AbortSignal) {
  const controller = new AbortController();
  let reason: 'timeout' | 'caller' | null = null;
  let expire: (v: 'expired') => void = () => {};
  let fallback: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => (expire = resolve));
  const abort = (why: 'timeout' | 'caller') => {
    if (reason) return;
    reason = why;
    controller.abort(new Error(why === 'timeout' ? `Resend call timed out after ${timeoutMs} ms` : 'aborted by caller'));
    // Let the SDK's own abort handling answer first; this only wins if the SDK ignored the signal.
    fallback = setTimeout(() => expire('expired'), 50);
  };
  const timer = setTimeout(() => abort('timeout'), timeoutMs);
  const onAbort = () => abort('caller');
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    expired,
    reason: () => reason,
    clear() {
      clearTimeout(timer);
      clearTimeout(fallback);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

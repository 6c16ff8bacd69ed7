// The sender: claims batches (transactional first), hands each to the Mailer under its own idempotency key,
// and records the outcome. Exactly-once rests on: claim before send, attempt recorded before the call (with the
// request or frame the retries reuse, so a deploy in between cannot change the body under the same key),
// "sent" only with the provider's id in hand, and a 409 for a changed body held for an editor, never retried.
import type { DeliveryBatchRow } from '../../db/schema.js';
import type { BatchBody } from '../../mail/batch-body.js';
import type { SendBatchResult } from '../../mail/mailer.js';
import type { Deps } from '../deps.js';
import { measureClosedBatch, measureSentMails } from '../measure.js';
import { batchRequest, requestToKeep } from './batch-request.js';
import { outboxStoreFor, type OutboxStore } from './outbox-store.js';
import { backoffMs, type ProviderPacer } from './provider-pacer.js';
import { sendableIssues } from './sendable-issues.js';

export const BATCH_SIZE = 100;
/** Resend keeps idempotency keys for 24 h; past this an unconfirmed batch is held for an editor, not re-sent. */
export const HOLD_AFTER_MS = 23 * 3600_000;
const QUOTA_PAUSE_MS = 3600_000;
const AUTH_PAUSE_MS = 10 * 60_000;

export interface OutboxOptions {
  owner: string;
  limiter: ProviderPacer;
  leaseMs: number;
  concurrency?: number;
  batchSize?: number;
  /** Stop taking new batches after this time (epoch ms); Workers invocations are short. */
  deadline?: number;
  /** Take no new batch once this is true (a Workers invocation's call or query budget is spent, or `abort`). */
  shouldStop?: () => boolean;
  /**
   * Stop at once (lost the dispatch lease, shutdown): no batch is claimed or attempted once it is true; a batch already
   * claimed but not handed to the provider is released (OutboxStore.releaseBatch); provider calls in flight finish.
   * Apart from shouldStop because a budget that the claim itself uses up must still let that batch go out.
   */
  abort?: () => boolean;
}

export interface OutboxStats {
  batches: number;
  sent: number;
  failed: number;
  deferred: number;
}

type SendDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log' | 'mailer' | 'metrics'>;

const iso = (ms: number) => new Date(ms).toISOString();

export async function runOutbox(deps: SendDeps, opts: OutboxOptions): Promise<OutboxStats> {
  const stats: OutboxStats = { batches: 0, sent: 0, failed: 0, deferred: 0 };
  const store = outboxStoreFor(deps.db);
  const stop = () => opts.shouldStop?.() === true || opts.abort?.() === true || (opts.deadline !== undefined && deps.clock.now().getTime() >= opts.deadline);
  const inFlight = new Set<number>();
  const worker = async () => {
    while (!stop()) {
      const batch = await nextBatch(deps, store, opts, inFlight);
      if (!batch) return;
      if (opts.abort?.()) {
        // told to stop while claiming: the batch goes back as it is, for the next start to send under its key
        await store.releaseBatch(batch.id, opts.owner);
        return;
      }
      inFlight.add(batch.id);
      try {
        await processBatch(deps, store, opts, batch, stats);
      } finally {
        inFlight.delete(batch.id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  await finishIssues(deps, store);
  return stats;
}

/** Transactional mail first, then retries that came due, then fresh rows of the sendable issues. */
async function nextBatch(deps: SendDeps, store: OutboxStore, opts: OutboxOptions, inFlight: Set<number>): Promise<DeliveryBatchRow | null> {
  const now = deps.clock.now().getTime();
  const base = { owner: opts.owner, leaseUntilIso: iso(now + opts.leaseMs), nowIso: iso(now), limit: opts.batchSize ?? BATCH_SIZE };
  if (await store.hasQueued(null)) {
    const b = await store.claimBatch({ ...base, issueId: null, keyPrefix: `wr-tx-${now.toString(36)}` });
    if (b && b.status === 'pending') return b;
  }
  const due = await store.leaseDueBatch(opts.owner, base.nowIso, base.leaseUntilIso, [...inFlight]);
  if (due) return due;
  for await (const issue of sendableIssues(deps, store)) {
    if (!(await store.hasQueued(issue.id))) continue;
    const startedMs = Date.parse(issue.started_at ?? base.nowIso);
    const b = await store.claimBatch({ ...base, issueId: issue.id, keyPrefix: `wr-${issue.id}-${startedMs.toString(36)}` });
    if (b && b.status === 'pending') return b;
    if (b) return nextBatch(deps, store, opts, inFlight); // everything in it was suppressed: take the next one
  }
  return null;
}

async function processBatch(deps: SendDeps, store: OutboxStore, opts: OutboxOptions, batch: DeliveryBatchRow, stats: OutboxStats): Promise<void> {
  const nowMs = deps.clock.now().getTime();
  if (batch.first_attempt_at && nowMs - Date.parse(batch.first_attempt_at) > HOLD_AFTER_MS) {
    await store.holdBatch(batch.id, 'unconfirmed for longer than the provider keeps idempotency keys; an editor must decide', iso(nowMs));
    await measureClosedBatch(deps, batch.id, 'held');
    deps.log.warn(`Batch ${batch.id} held: its outcome is unknown and its idempotency key has expired`);
    return;
  }
  // first_attempt_at is set while some attempt may have reached the provider (cleared when all were refused outright)
  const handedOver = batch.first_attempt_at !== null;
  if (!handedOver) await store.resuppressUnattempted(batch, iso(nowMs));
  const claimed = await store.batchMembers(batch.id);
  if (handedOver && claimed.length < batch.size) {
    // A reader erased their data after the first attempt: the body can no longer be rebuilt byte-identically,
    // and a new key could double-send the others if the first attempt was accepted. An editor decides.
    await store.holdBatch(batch.id, 'a recipient erased their data while this batch was in flight', iso(nowMs));
    await measureClosedBatch(deps, batch.id, 'held');
    deps.log.warn(`Batch ${batch.id} held: a recipient was erased mid-send`);
    return;
  }
  if (claimed.length === 0) {
    await store.recordResults(batch.id, [], iso(nowMs));
    return;
  }
  const issue = batch.issue_id ? await store.getIssue(batch.issue_id) : undefined;
  if (batch.issue_id && (!issue || issue.html_snapshot === null)) {
    await store.deferBatch(batch.id, iso(nowMs + 1000), 'issue snapshot missing');
    return;
  }
  const request = await batchRequest(deps, store, batch, issue, claimed);
  if (!request.ok) {
    await store.holdBatch(batch.id, request.hold, iso(nowMs));
    await measureClosedBatch(deps, batch.id, 'held');
    deps.log.warn(`Batch ${batch.id} held: ${request.hold}`);
    return;
  }
  const { members } = request;

  await opts.limiter.acquire();
  if (opts.abort?.()) {
    // stopping (SIGTERM, lease lost) while waiting for the provider's turn: nothing was handed over in this attempt,
    // so the batch is released, not sent; the next runner sends it under the same key
    await store.releaseBatch(batch.id, opts.owner);
    return;
  }
  const startMs = deps.clock.now().getTime();
  if (!(await store.recordAttempt(batch.id, opts.owner, iso(startMs), iso(startMs + opts.leaseMs), request.frozen))) return; // lease lost
  // Handed over, not kept: this frame lives until the provider answers, and the bytes (and the stored copy, now
  // written) are garbage once sent; a recap whose outcome turns out unknown is rebuilt rather than held meanwhile.
  request.frozen = {};
  if (batch.attempts > 0) deps.metrics?.count('provider_retries_total', { lane: batch.kind });
  const res = await deps.mailer.sendBody(handOver(request), { idempotencyKey: batch.idempotency_key });
  opts.limiter.observe(res.rate);
  stats.batches += 1;
  const doneMs = deps.clock.now().getTime();

  if (res.ok) {
    const errors = new Map(res.errors.map((e) => [e.index, e.message]));
    const results = members.map((m, i) => {
      const error = errors.get(i) ?? (res.ids[i] ? null : 'provider returned no id for this recipient');
      return { deliveryId: m.deliveryId, resendId: error ? null : res.ids[i], error };
    });
    await store.recordResults(batch.id, results, iso(doneMs));
    measureSentMails(deps, members, results);
    stats.sent += results.filter((r) => !r.error).length;
    stats.failed += results.filter((r) => r.error).length;
    if (issue?.paused_reason) await store.clearIssuePause(issue.id);
    return;
  }
  // Outcome unknown and nothing stored yet (a recap): keep the request just sent, rebuilt from the same inputs in this
  // process, so a retry after a deploy that changed the code or APP_SECRET still sends these bytes.
  const keep = res.kind === 'transient' && request.rebuild ? await requestToKeep(deps, batch.id, await request.rebuild()) : undefined;
  await handleFailure(deps, store, opts, batch, res, doneMs, stats, { handedOver, keep });
}

function handOver(request: { body: BatchBody | null }): BatchBody {
  const body = request.body!;
  request.body = null;
  return body;
}

async function handleFailure(
  deps: SendDeps,
  store: OutboxStore,
  opts: OutboxOptions,
  batch: DeliveryBatchRow,
  res: Extract<SendBatchResult, { ok: false }>,
  nowMs: number,
  stats: OutboxStats,
  attempt: { handedOver: boolean; keep: string | Uint8Array | undefined },
) {
  const attempts = batch.attempts + 1;
  const msg = `${res.kind}: ${res.message}`.slice(0, 500);
  const pauseIssue = async (reason: string, untilMs: number) => {
    if (batch.issue_id) await store.pauseIssue(batch.issue_id, reason, iso(untilMs));
  };
  // Refused outright (429, quota, auth): the provider created nothing and keeps no key for it. If no earlier attempt
  // may have got through either, the batch is back to never handed over: what it stored goes, and the next attempt
  // is built from the config of that day (a MAIL_FROM fixed after a 403 takes effect instead of being replayed).
  const deferRefused = (untilMs: number) =>
    attempt.handedOver ? store.deferBatch(batch.id, iso(untilMs), msg) : store.deferRefused(batch.id, attempts, iso(untilMs), msg);
  if (res.kind !== 'conflict') stats.deferred += 1;
  switch (res.kind) {
    case 'rate_limited': {
      const wait = Math.max(250, res.retryAfterMs ?? 1000);
      opts.limiter.pauseUntil(nowMs + wait);
      await deferRefused(nowMs + wait);
      return;
    }
    case 'quota':
      // the issue (or the transactional batch) waits; other work may still go out
      await pauseIssue(`Sending paused: the provider's sending quota is used up (${res.message}). It resumes automatically.`, nowMs + QUOTA_PAUSE_MS);
      await deferRefused(nowMs + QUOTA_PAUSE_MS);
      deps.log.warn(`Provider quota reached; batch ${batch.id} retries at ${iso(nowMs + QUOTA_PAUSE_MS)}`);
      return;
    case 'auth':
      await pauseIssue(`Sending paused: the provider refused the API key (${res.message}).`, nowMs + AUTH_PAUSE_MS);
      await deferRefused(nowMs + AUTH_PAUSE_MS);
      deps.log.error('Provider refused the API key', { provider: res.message }); // a field: the logger scrubs addresses from it
      return;
    case 'invalid':
      await store.failBatch(batch.id, msg, iso(nowMs));
      await measureClosedBatch(deps, batch.id, 'failed');
      stats.failed += batch.size;
      deps.log.warn(`Batch ${batch.id} rejected by the provider`, { provider: res.message });
      return;
    case 'conflict': {
      // The key already carries another body, so an earlier attempt reached the provider and was most likely sent:
      // retrying cannot help (the provider keeps answering 409 until the key expires) and a new key could send twice.
      // With the request stored at the first attempt this cannot happen; it can for a batch attempted before that
      // (an older version) or a recap whose first attempt died mid-call before a deploy changed its code or APP_SECRET.
      const reason = `an earlier attempt with a different body reached the provider (it answered 409 for this batch's key), so its mails were most likely sent but their ids are unknown; an editor must decide (${msg})`;
      await store.holdBatch(batch.id, reason, iso(nowMs));
      await measureClosedBatch(deps, batch.id, 'held');
      deps.log.warn(`Batch ${batch.id} held: the provider already has a different request under its idempotency key`);
      return;
    }
    case 'in_progress':
      // the first request with this key is still running at the provider: ask again once it is done
      await store.deferBatch(batch.id, iso(nowMs + Math.max(res.retryAfterMs ?? 1000, backoffMs(attempts, 500, 60_000))), msg);
      return;
    default: // 'transient', and any outcome added later: retry with the same key
      await store.deferUnknownOutcome(batch.id, attempts, iso(nowMs + backoffMs(attempts, 500, 60_000)), msg, attempt.keep);
      return;
  }
}

/** Moves sending issues whose every delivery is settled to `sent`. */
export function finishCompletedIssues(deps: Pick<Deps, 'db' | 'clock' | 'log'>): Promise<string[]> {
  return finishIssues(deps, outboxStoreFor(deps.db));
}

async function finishIssues(deps: Pick<Deps, 'clock' | 'log'>, store: OutboxStore): Promise<string[]> {
  const done: string[] = [];
  for (const issue of await store.listSendingIssues()) {
    if (issue.audience_total === null) continue;
    if (!(await store.issueSendComplete(issue.id))) continue;
    const nowIso = deps.clock.now().toISOString();
    // conditional on 'sending': of two runners finishing at once, one logs and reports it
    if (await store.moveIssue(issue.id, ['sending'], 'sent', { sent_at: nowIso, updated_at: nowIso, paused_reason: null, resume_after: null })) {
      deps.log.info(`Issue ${issue.id} sent`);
      done.push(issue.id);
    }
  }
  return done;
}

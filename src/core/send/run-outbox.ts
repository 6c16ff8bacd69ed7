// The sender: claims batches (transactional first), hands each to the Mailer under its own idempotency key,
// and records the outcome. Exactly-once rests on: claim before send, attempt recorded before the call,
// the same key and byte-identical body on every retry, "sent" only with the provider's id in hand.
import {
  batchMembers,
  claimNewBatch,
  closeBatch,
  deferBatch,
  hasQueued,
  issueSendComplete,
  leaseDueBatch,
  markAttempt,
  recordBatchSent,
  resuppressUnattempted,
} from '../../db/repos/outbox.js';
import { getIssue, listIssuesInStatus, transitionIssueRow, updateIssue } from '../../db/repos/issues.js';
import type { DeliveryBatchRow } from '../../db/schema.js';
import type { SendBatchResult } from '../../mail/mailer.js';
import type { Deps } from '../deps.js';
import { buildRecapMessages, buildTransactionalMessages } from './build-messages.js';
import { prepareIssueSend } from './prepare-issue.js';
import { backoffMs, type RateLimiter } from './rate-limiter.js';

export const BATCH_SIZE = 100;
/** Resend keeps idempotency keys for 24 h; past this an unconfirmed batch is held for an editor, not re-sent. */
export const HOLD_AFTER_MS = 23 * 3600_000;
const QUOTA_PAUSE_MS = 3600_000;
const AUTH_PAUSE_MS = 10 * 60_000;

export interface OutboxOptions {
  owner: string;
  limiter: RateLimiter;
  leaseMs: number;
  concurrency?: number;
  batchSize?: number;
  /** Stop taking new batches after this time (epoch ms); Workers invocations are short. */
  deadline?: number;
  /** Stop early (lost the dispatch lease, shutdown). */
  shouldStop?: () => boolean;
}

export interface OutboxStats {
  batches: number;
  sent: number;
  failed: number;
  deferred: number;
}

type SendDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log' | 'mailer'>;

const iso = (ms: number) => new Date(ms).toISOString();

export async function runOutbox(deps: SendDeps, opts: OutboxOptions): Promise<OutboxStats> {
  const stats: OutboxStats = { batches: 0, sent: 0, failed: 0, deferred: 0 };
  const stop = () => opts.shouldStop?.() === true || (opts.deadline !== undefined && deps.clock.now().getTime() >= opts.deadline);
  const inFlight = new Set<number>();
  const worker = async () => {
    while (!stop()) {
      const batch = await nextBatch(deps, opts, inFlight);
      if (!batch) return;
      inFlight.add(batch.id);
      try {
        await processBatch(deps, opts, batch, stats);
      } finally {
        inFlight.delete(batch.id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  await finishCompletedIssues(deps);
  return stats;
}

async function nextBatch(deps: SendDeps, opts: OutboxOptions, inFlight: Set<number>): Promise<DeliveryBatchRow | null> {
  const now = deps.clock.now().getTime();
  const base = { owner: opts.owner, leaseUntilIso: iso(now + opts.leaseMs), nowIso: iso(now), limit: opts.batchSize ?? BATCH_SIZE };
  if (await hasQueued(deps.db, null)) {
    const b = await claimNewBatch(deps.db, { ...base, issueId: null, keyPrefix: `wr-tx-${now.toString(36)}` });
    if (b && b.status === 'pending') return b;
  }
  const due = await leaseDueBatch(deps.db, opts.owner, base.nowIso, base.leaseUntilIso, [...inFlight]);
  if (due) return due;
  for (const issue of await listIssuesInStatus(deps.db, 'sending')) {
    if (issue.resume_after && issue.resume_after > base.nowIso) continue;
    const ready = issue.audience_total === null || issue.html_snapshot === null ? await prepareIssueSend(deps, issue.id) : issue;
    if (!(await hasQueued(deps.db, ready.id))) continue;
    const startedMs = Date.parse(ready.started_at ?? base.nowIso);
    const b = await claimNewBatch(deps.db, { ...base, issueId: ready.id, keyPrefix: `wr-${ready.id}-${startedMs.toString(36)}` });
    if (b && b.status === 'pending') return b;
    if (b) return nextBatch(deps, opts, inFlight); // everything in it was suppressed: take the next one
  }
  return null;
}

async function processBatch(deps: SendDeps, opts: OutboxOptions, batch: DeliveryBatchRow, stats: OutboxStats): Promise<void> {
  const nowMs = deps.clock.now().getTime();
  if (batch.first_attempt_at && nowMs - Date.parse(batch.first_attempt_at) > HOLD_AFTER_MS) {
    await closeBatch(deps.db, batch.id, 'held', null, 'unconfirmed for longer than the provider keeps idempotency keys; an editor must decide', iso(nowMs));
    deps.log.warn(`Batch ${batch.id} held: its outcome is unknown and its idempotency key has expired`);
    return;
  }
  if (batch.attempts === 0) await resuppressUnattempted(deps.db, batch, iso(nowMs));
  const members = await batchMembers(deps.db, batch.id);
  if (batch.attempts > 0 && members.length < batch.size) {
    // A reader erased their data after the first attempt: the body can no longer be rebuilt byte-identically,
    // and a new key could double-send the others if the first attempt was accepted. An editor decides.
    await closeBatch(deps.db, batch.id, 'held', null, 'a recipient erased their data while this batch was in flight', iso(nowMs));
    deps.log.warn(`Batch ${batch.id} held: a recipient was erased mid-send`);
    return;
  }
  if (members.length === 0) {
    await recordBatchSent(deps.db, batch.id, [], iso(nowMs));
    return;
  }
  const issue = batch.issue_id ? await getIssue(deps.db, batch.issue_id) : undefined;
  if (batch.issue_id && (!issue || issue.html_snapshot === null)) {
    await deferBatch(deps.db, batch.id, iso(nowMs + 1000), 'issue snapshot missing');
    return;
  }
  const messages = issue ? await buildRecapMessages(deps.config, issue, members) : await buildTransactionalMessages(deps.config, members);

  await opts.limiter.acquire();
  const startMs = deps.clock.now().getTime();
  if (!(await markAttempt(deps.db, batch.id, opts.owner, iso(startMs), iso(startMs + opts.leaseMs)))) return; // lease lost
  // Handed over, not kept: this frame lives until the provider answers, and the bodies are garbage once the mailer
  // has serialised them; `splice(0)` passes them on and leaves `messages` empty.
  const res = await deps.mailer.sendBatch(messages.splice(0), { idempotencyKey: batch.idempotency_key });
  opts.limiter.observe(res.rate);
  stats.batches += 1;
  const doneMs = deps.clock.now().getTime();

  if (res.ok) {
    const errors = new Map(res.errors.map((e) => [e.index, e.message]));
    const results = members.map((m, i) => {
      const error = errors.get(i) ?? (res.ids[i] ? null : 'provider returned no id for this recipient');
      return { deliveryId: m.deliveryId, resendId: error ? null : res.ids[i], error };
    });
    await recordBatchSent(deps.db, batch.id, results, iso(doneMs));
    stats.sent += results.filter((r) => !r.error).length;
    stats.failed += results.filter((r) => r.error).length;
    if (issue?.paused_reason) await updateIssue(deps.db, issue.id, { paused_reason: null, resume_after: null });
    return;
  }
  await handleFailure(deps, opts, batch, res, doneMs, stats);
}

async function handleFailure(
  deps: SendDeps,
  opts: OutboxOptions,
  batch: DeliveryBatchRow,
  res: Extract<SendBatchResult, { ok: false }>,
  nowMs: number,
  stats: OutboxStats,
) {
  const attempts = batch.attempts + 1;
  const msg = `${res.kind}: ${res.message}`.slice(0, 500);
  const pauseIssue = async (reason: string, untilMs: number) => {
    if (batch.issue_id) await updateIssue(deps.db, batch.issue_id, { paused_reason: reason, resume_after: iso(untilMs) });
  };
  stats.deferred += 1;
  switch (res.kind) {
    case 'rate_limited': {
      const wait = Math.max(250, res.retryAfterMs ?? 1000);
      opts.limiter.pauseUntil(nowMs + wait);
      await deferBatch(deps.db, batch.id, iso(nowMs + wait), msg);
      return;
    }
    case 'quota':
      // the issue (or the transactional batch) waits; other work may still go out
      await pauseIssue(`Sending paused: the provider's sending quota is used up (${res.message}). It resumes automatically.`, nowMs + QUOTA_PAUSE_MS);
      await deferBatch(deps.db, batch.id, iso(nowMs + QUOTA_PAUSE_MS), msg);
      deps.log.warn(`Provider quota reached; batch ${batch.id} retries at ${iso(nowMs + QUOTA_PAUSE_MS)}`);
      return;
    case 'auth':
      await pauseIssue(`Sending paused: the provider refused the API key (${res.message}).`, nowMs + AUTH_PAUSE_MS);
      await deferBatch(deps.db, batch.id, iso(nowMs + AUTH_PAUSE_MS), msg);
      deps.log.error('Provider refused the API key', { provider: res.message }); // a field: the logger scrubs addresses from it
      return;
    case 'invalid':
      await closeBatch(deps.db, batch.id, 'failed', 'failed', msg, iso(nowMs));
      stats.failed += batch.size;
      deps.log.warn(`Batch ${batch.id} rejected by the provider`, { provider: res.message });
      return;
    case 'transient':
    case 'conflict':
    default:
      await deferBatch(deps.db, batch.id, iso(nowMs + backoffMs(attempts, 500, 60_000)), msg);
      return;
  }
}

/** Moves sending issues whose every delivery is settled to `sent`. */
export async function finishCompletedIssues(deps: Pick<Deps, 'db' | 'clock' | 'log'>): Promise<string[]> {
  const done: string[] = [];
  for (const issue of await listIssuesInStatus(deps.db, 'sending')) {
    if (issue.audience_total === null) continue;
    if (!(await issueSendComplete(deps.db, issue.id))) continue;
    const nowIso = deps.clock.now().toISOString();
    if (await transitionIssueRow(deps.db, issue.id, ['sending'], 'sent', { sent_at: nowIso, updated_at: nowIso, paused_reason: null, resume_after: null })) {
      deps.log.info(`Issue ${issue.id} sent`);
      done.push(issue.id);
    }
  }
  return done;
}

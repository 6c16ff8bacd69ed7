// Sending on Workers: the minute tick starts due issues, freezes and fans them out, then enqueues one "send a
// batch" message per batch of queued recipients; the queue consumer sends with the same outbox rules as Node.
import type { Deps } from '../../core/deps.js';
import { startDueIssues } from '../../core/send/dispatch.js';
import { outboxStoreFor } from '../../core/send/outbox-store.js';
import { BATCH_SIZE, finishCompletedIssues, runOutbox, type OutboxStats } from '../../core/send/run-outbox.js';
import { sendableIssues } from '../../core/send/sendable-issues.js';
import type { Mailer } from '../../mail/mailer.js';
import type { WorkerRuntime } from './runtime.js';
import type { MessageBatchLike, OutboxMessage, QueueLike } from './types.js';

/** Queues.sendBatch takes at most 100 messages; more work is picked up by the next tick. */
export const MAX_MESSAGES_PER_TICK = 100;
/** Wall-clock budget of one consumer invocation; a batch in flight at the deadline still finishes. */
export const CONSUMER_BUDGET_MS = 25_000;
/**
 * D1 caps queries per invocation (1000 on Workers Paid, 50 on Free). Measured (test/workers/dispatch-queue.test.ts):
 * a batch costs about 16 queries plus one per recipient (recordBatchSent updates each delivery), and an
 * invocation about 20 more (the empty pass that ends runOutbox, finishing issues). These carry a margin.
 */
const QUERIES_PER_BATCH_FIXED = 20;
const QUERIES_PER_INVOCATION = 25;

/** Recipients per batch that fit the budget: Resend's 100 on Workers Paid, fewer on Free. */
export function batchSizeFor(queryBudget: number): number {
  return Math.max(1, Math.min(BATCH_SIZE, queryBudget - QUERIES_PER_INVOCATION - QUERIES_PER_BATCH_FIXED));
}

export interface TickResult {
  started: string[];
  missed: string[];
  finished: string[];
  enqueued: number;
}

/** The Workers version of the minute "dispatch" job: everything except the provider calls. */
export async function enqueueDueWork(deps: Deps, queue: QueueLike<OutboxMessage>, batchSize = BATCH_SIZE): Promise<TickResult> {
  const { started, missed } = await startDueIssues(deps);
  const store = outboxStoreFor(deps.db);
  const messages: OutboxMessage[] = [];
  // sendableIssues renders and snapshots each issue here, so consumers only claim and send.
  for await (const issue of sendableIssues(deps, store)) {
    const queued = await store.countQueued(issue.id);
    for (let i = 0; i < Math.ceil(queued / batchSize); i++) messages.push({ kind: 'send', issueId: issue.id, reason: 'dispatch' });
  }
  // The safety net: retries that came due and transactional mail whose wake-up was lost.
  messages.push({ kind: 'send', issueId: null, reason: 'sweep' });
  const finished = await finishCompletedIssues(deps);
  const batch = messages.slice(0, MAX_MESSAGES_PER_TICK);
  await queue.sendBatch(batch.map((body) => ({ body })));
  if (started.length || missed.length || batch.length > 1) {
    deps.log.info('Dispatch tick', { started, missed, finished, enqueued: batch.length, queuedBatches: messages.length - 1 });
  }
  return { started, missed, finished, enqueued: batch.length };
}

export interface ConsumeResult {
  stats: OutboxStats;
  /** D1 queries this invocation made. */
  queries: number;
  /** Messages handed back to the queue because the query budget ran out before their batch. */
  retried: number;
}

/**
 * Each message buys one provider call. Redelivery is harmless: rows are claimed in D1 before the call, a
 * batch is sent only under its stored idempotency key and marked sent only with the provider's ids, so a
 * message that finds nothing claimable sends nothing.
 */
export async function consumeOutboxMessages(rt: WorkerRuntime, batch: MessageBatchLike<OutboxMessage>, budgetMs = CONSUMER_BUDGET_MS): Promise<ConsumeResult> {
  const { deps, config } = rt;
  const allowed = Math.max(1, batch.messages.length);
  let calls = 0;
  let queries = 0;
  // Its own Kysely so the count is this invocation's alone (D1 caps queries per invocation).
  const db = rt.openDb(() => (queries += 1));
  const counted: Mailer = {
    name: deps.mailer.name,
    sendBatch: (messages, options) => {
      calls += 1;
      return deps.mailer.sendBatch(messages, options);
    },
    sendBody: (body, options) => {
      calls += 1;
      return deps.mailer.sendBody(body, options);
    },
  };
  const batchSize = batchSizeFor(rt.queryBudget);
  const perBatch = QUERIES_PER_BATCH_FIXED + batchSize;
  // Sibling workers check the budget before claiming, so each must leave room for the others' batches.
  const concurrency = Math.max(1, Math.min(config.sendConcurrency, allowed, Math.floor((rt.queryBudget - QUERIES_PER_INVOCATION) / perBatch)));
  const outOfQueries = () => queries + concurrency * perBatch + QUERIES_PER_INVOCATION > rt.queryBudget;
  try {
    const stats = await runOutbox(
      { ...deps, db, mailer: counted },
      {
        owner: `worker-${crypto.randomUUID()}`,
        limiter: rt.limiter,
        leaseMs: config.leaseMs,
        concurrency,
        batchSize,
        deadline: deps.clock.now().getTime() + budgetMs,
        shouldStop: () => calls >= allowed || outOfQueries(),
      },
    );
    // Capacity not used because the budget ran out goes back to the queue; the rest is done.
    const unused = outOfQueries() ? batch.messages.slice(Math.max(1, calls)) : [];
    if (unused.length === 0) batch.ackAll();
    else {
      for (const m of batch.messages) {
        if (unused.includes(m)) m.retry();
        else m.ack();
      }
      deps.log.info(`Outbox consumer stopped at ${queries} D1 queries (budget ${rt.queryBudget}); ${unused.length} message(s) requeued`);
    }
    return { stats, queries, retried: unused.length };
  } catch (e) {
    // Nothing is lost: claimed batches keep their key and lease, and the retried messages pick them up.
    deps.log.error('Outbox consumer failed; messages will be retried', { err: e instanceof Error ? e.stack : String(e) });
    batch.retryAll({ delaySeconds: 10 });
    return { stats: { batches: calls, sent: 0, failed: 0, deferred: 0 }, queries, retried: batch.messages.length };
  }
}

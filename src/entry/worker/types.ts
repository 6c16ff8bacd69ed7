// The slice of the Workers runtime API the entry uses, typed by hand so the Node-side tsconfig (DOM + node
// types) can check the Workers entry without pulling @cloudflare/workers-types' conflicting globals.
import type { D1DatabaseLike } from '../../db/d1/d1-dialect.js';

export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

export interface ScheduledControllerLike {
  readonly cron: string;
  readonly scheduledTime: number;
}

export interface QueueLike<Body> {
  send(body: Body, options?: { delaySeconds?: number }): Promise<unknown>;
  sendBatch(messages: Iterable<{ body: Body; delaySeconds?: number }>): Promise<unknown>;
}

export interface QueueMessageLike<Body> {
  readonly id: string;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface MessageBatchLike<Body> {
  readonly queue: string;
  readonly messages: readonly QueueMessageLike<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

/** "Send up to one batch": a unit of sending capacity. The claim itself happens in D1, so the same message twice sends nothing twice. */
export interface OutboxMessage {
  kind: 'send';
  /** The issue that asked for it (null: transactional mail or a sweep); the consumer takes whatever the outbox rules put first. */
  issueId: string | null;
  reason: 'dispatch' | 'wake' | 'sweep';
}

/** Bindings from wrangler.toml plus [vars] and secrets (all strings). */
export interface WorkerEnv {
  DB: D1DatabaseLike;
  OUTBOX_QUEUE: QueueLike<OutboxMessage>;
  [name: string]: unknown;
}

// Drives the Worker's own handlers (fetch, scheduled, queue) the way the runtime does, with a queue binding that
// records what was enqueued so a test can hand those messages to the consumer itself, in order.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  waitOnExecutionContext,
  type TestEnv,
} from 'cloudflare:test';
import worker from '../../src/entry/worker.js';
import type { OutboxMessage, QueueLike } from '../../src/entry/worker/types.js';

export const QUEUE_NAME = 'weekly-ai-recap-outbox';
export const BASE = 'http://recap.test';

export interface RecordingQueue extends QueueLike<OutboxMessage> {
  sent: OutboxMessage[];
  /** Everything enqueued so far, removed from the record. */
  take(): OutboxMessage[];
}

export function recordingQueue(): RecordingQueue {
  const sent: OutboxMessage[] = [];
  return {
    sent,
    send: async (body) => void sent.push(body),
    sendBatch: async (messages) => {
      for (const m of messages) sent.push(m.body);
    },
    take: () => sent.splice(0),
  };
}

/** A fresh env (so a fresh runtime) whose queue is recorded; everything else is wrangler.toml's test bindings. */
export function workerEnv(vars: Record<string, string> = {}): { env: TestEnv; queue: RecordingQueue } {
  const queue = recordingQueue();
  return { env: { ...env, ...vars, OUTBOX_QUEUE: queue }, queue };
}

export async function request(e: TestEnv, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, init), e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const postJson = (e: TestEnv, path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(e, path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

export async function fireCron(e: TestEnv, cron: string, at: Date = new Date()): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: at }), e, ctx);
  await waitOnExecutionContext(ctx);
}

let nextId = 0;

/** Delivers messages to the `queue` handler as one batch; `attempts` > 1 marks a redelivery. */
export async function deliver(e: TestEnv, bodies: OutboxMessage[], attempts = 1) {
  const batch = createMessageBatch(
    QUEUE_NAME,
    bodies.map((body) => ({ id: `msg-${++nextId}`, timestamp: new Date(), body, attempts })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, e, ctx);
  return getQueueResult(batch, ctx);
}

export interface FakeEmail {
  id: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  idempotencyKey: string | null;
}

export interface FakeState {
  emails: FakeEmail[];
  requests: { path: string; idempotencyKey: string | null; status: number | null; outcome: string }[];
  countByRecipient: Record<string, number>;
}

/** The fake Resend API (a Node process on 127.0.0.1) answers its state over HTTP. */
export const fakeResend = {
  async state(): Promise<FakeState> {
    return (await fetch(`${env.RESEND_BASE_URL}/__fake/state`)).json();
  },
  async faults(...faults: { kind: string; afterAccept?: boolean; times?: number }[]): Promise<void> {
    await fetch(`${env.RESEND_BASE_URL}/__fake/faults`, { method: 'POST', body: JSON.stringify({ faults }) });
  },
};

/** Rows straight from the local D1, for assertions. */
export async function rows<T = Record<string, unknown>>(e: TestEnv, query: string, ...params: unknown[]): Promise<T[]> {
  const stmt = e.DB.prepare(query);
  return ((await (params.length ? stmt.bind(...params) : stmt).all<T>()).results ?? []) as T[];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

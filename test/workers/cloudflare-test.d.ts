// The part of `cloudflare:test` (vitest-pool-workers 0.15.1) this suite uses. Declared by hand, structurally
// matching src/entry/worker/types.ts, so the repo-wide tsc (Node + DOM types) can check these files too.
declare module 'cloudflare:test' {
  export interface D1Migration {
    name: string;
    queries: string[];
  }

  export interface D1Statement {
    bind(...values: unknown[]): D1Statement;
    all<T = Record<string, unknown>>(): Promise<{ results?: T[]; meta?: { changes?: number; last_row_id?: number | null } }>;
  }

  export interface D1Binding {
    prepare(query: string): D1Statement;
  }

  export interface QueueBinding<Body = any> {
    send(body: Body, options?: { delaySeconds?: number }): Promise<unknown>;
    sendBatch(messages: Iterable<{ body: Body; delaySeconds?: number }>): Promise<unknown>;
  }

  export interface TestEnv {
    DB: D1Binding;
    OUTBOX_QUEUE: QueueBinding;
    TEST_MIGRATIONS: D1Migration[];
    RESEND_BASE_URL: string;
    EDITOR_API_TOKEN: string;
    BUILD_CRON: string;
    [name: string]: unknown;
  }

  export interface ExecutionContext {
    waitUntil(promise: Promise<unknown>): void;
  }

  export interface ScheduledController {
    readonly cron: string;
    readonly scheduledTime: number;
  }

  export interface MessageBatch<Body> {
    readonly queue: string;
    readonly messages: readonly { id: string; body: Body; attempts: number; ack(): void; retry(o?: { delaySeconds?: number }): void }[];
    ackAll(): void;
    retryAll(options?: { delaySeconds?: number }): void;
  }

  export const env: TestEnv;
  export function reset(): Promise<void>;
  export function applyD1Migrations(db: D1Binding, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: number | Date; cron?: string }): ScheduledController;
  export function createMessageBatch<Body>(queueName: string, messages: { id: string; timestamp: Date; body: Body; attempts: number }[]): MessageBatch<Body>;
  export function getQueueResult(
    batch: MessageBatch<unknown>,
    ctx: ExecutionContext,
  ): Promise<{ outcome: string; ackAll: boolean; retryBatch: { retry: boolean }; explicitAcks: string[]; retryMessages: { msgId: string }[] }>;
}

// Wires the Workers runtime once per isolate: config from bindings, Kysely over D1, mailer, logger, job table,
// and a wake-up that turns "mail was enqueued" into a queue message.
import { Kysely } from 'kysely';
import { parseConfig, type Config } from '../../config.js';
import { systemClock, type Clock, type Deps, type Logger } from '../../core/deps.js';
import { createProviderPacer, type ProviderPacer } from '../../core/send/provider-pacer.js';
import { createD1Dialect, type D1DialectOptions } from '../../db/d1/d1-dialect.js';
import type { Database } from '../../db/schema.js';
import { createApp, type App } from '../../http/app.js';
import { jobTable, type JobDefinition } from '../../jobs/job-table.js';
import { createConsoleLogger } from '../../log.js';
import { createDevMailboxMailer } from '../../mail/dev-mailbox.js';
import type { Mailer } from '../../mail/mailer.js';
import { createResendMailer } from '../../mail/resend-mailer.js';
import type { OutboxMessage, WorkerEnv } from './types.js';

export interface WorkerRuntime {
  deps: Deps;
  config: Config;
  app: App;
  jobs: JobDefinition[];
  limiter: ProviderPacer;
  /** D1 queries one invocation may make (D1: 1000 on Workers Paid, 50 on Free); the consumer stops short of it. */
  queryBudget: number;
  /** A Kysely over the same D1 with its own counter, for work that must watch its per-invocation query budget. */
  openDb(onQuery: (sql: string) => void): Kysely<Database>;
  /** Queue sends started by wakeOutbox; the handlers hand them to ctx.waitUntil so they outlive the response. */
  pending(): Promise<unknown>;
}

export interface WorkerRuntimeOptions {
  clock?: Clock;
  log?: Logger;
  mailer?: Mailer;
  d1?: D1DialectOptions;
}

export class WorkerConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`Invalid configuration (wrangler.toml [vars] or secrets):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'WorkerConfigError';
  }
}

/** Plain string variables only: bindings (D1, queues) are objects and not configuration. */
export function stringVars(env: WorkerEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function createWorkerRuntime(env: WorkerEnv, options: WorkerRuntimeOptions = {}): WorkerRuntime {
  const vars = stringVars(env);
  // No data folder to keep a generated secret in: APP_SECRET must be a secret (`wrangler secret put APP_SECRET`).
  const parsed = parseConfig(vars);
  if (!parsed.ok) throw new WorkerConfigError(parsed.errors);
  const config = parsed.config;
  const log = options.log ?? createConsoleLogger({ json: true, level: (vars.LOG_LEVEL as 'info') || 'info' });
  const clock = options.clock ?? systemClock;
  const openDb = (onQuery?: (sql: string) => void) =>
    new Kysely<Database>({
      dialect: createD1Dialect(env.DB, {
        onRollback: () => log.warn('A transaction failed part-way on D1; statements before the failure stay written'),
        onQuery,
        ...options.d1,
      }),
    });
  const db = openDb();
  const mailer =
    options.mailer ??
    (config.resendApiKey
      ? // process.env does not exist here, so the base URL the SDK would read from it is passed explicitly
        createResendMailer({ apiKey: config.resendApiKey, timeoutMs: config.resendTimeoutMs, baseUrl: vars.RESEND_BASE_URL || undefined })
      : createDevMailboxMailer(db, clock));

  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const settled = p.catch((e: unknown) => log.error('Could not enqueue an outbox wake-up', { err: e instanceof Error ? e.message : String(e) }));
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };
  const wake: OutboxMessage = { kind: 'send', issueId: null, reason: 'wake' };
  const deps: Deps = { db, mailer, clock, config, log, wakeOutbox: () => track(env.OUTBOX_QUEUE.send(wake)) };

  const limiter = createProviderPacer(config.resendApiKey ? config.resendRatePerSec : Infinity);
  // `owner` only matters for the Node dispatcher; on Workers each consumer invocation names itself.
  const jobs = jobTable(deps, { owner: 'worker', limiter });
  return {
    deps,
    config,
    app: createApp(deps),
    jobs,
    limiter,
    queryBudget: positiveInt(vars.D1_QUERIES_PER_INVOCATION, 1000),
    openDb,
    pending: () => Promise.all([...inFlight]),
  };
}

function positiveInt(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : fallback;
}

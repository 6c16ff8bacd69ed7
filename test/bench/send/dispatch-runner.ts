// "Ours": timed `dispatch` runs in a process of their own, with the real runtime (config from env, SQLite, the
// ResendMailer over the real SDK). Takes JSON commands {db, budgetMs?} on stdin, answers one JSON line per run.
// Env: the app's (RESEND_API_KEY, RESEND_BASE_URL, APP_SECRET, SEND_CONCURRENCY, RESEND_RATE_PER_SEC) plus
// BENCH_RATE=off for no pacing at all.
import { dispatch } from '../../../src/core/send/dispatch.js';
import { createProviderPacer } from '../../../src/core/send/provider-pacer.js';
import { createNodeRuntime } from '../../../src/entry/node/runtime.js';
import { createConsoleLogger } from '../../../src/log.js';
import { readCommands } from './children.js';

export interface DispatchCommand {
  db: string;
  budgetMs?: number;
}

export interface DispatchRun {
  ms: number;
  batches: number;
  sent: number;
  failed: number;
  deferred: number;
  /** Deliveries marked sent in the database afterwards. */
  dbSent: number;
  concurrency: number;
  /** CPU time (user + system) this process spent in the timed region. */
  cpuMs: number;
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const cmd of readCommands<DispatchCommand>()) {
  const rt = await createNodeRuntime({ ...process.env, DATABASE_PATH: cmd.db }, { log: createConsoleLogger({ level: 'warn' }) });
  try {
    const { deps, config } = rt;
    const limiter = createProviderPacer(process.env.BENCH_RATE === 'off' ? Infinity : config.resendRatePerSec);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await dispatch(deps, {
      owner: `bench-${process.pid}`,
      limiter,
      leaseMs: config.leaseMs,
      concurrency: config.sendConcurrency,
      budgetMs: cmd.budgetMs,
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const { n } = rt.sqlite.sqlite.prepare(`SELECT count(*) AS n FROM deliveries WHERE status = 'sent'`).get() as { n: number };
    const o = r.outbox ?? { batches: 0, sent: 0, failed: 0, deferred: 0 };
    const out: DispatchRun = {
      ms,
      batches: o.batches,
      sent: o.sent,
      failed: o.failed,
      deferred: o.deferred,
      dbSent: n,
      concurrency: config.sendConcurrency,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await rt.close();
  }
}

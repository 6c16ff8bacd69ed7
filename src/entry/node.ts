// The embedded default: SQLite file + Hono on Node + node-cron, started by `npm start`.
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { buildDraft } from '../core/issues/build-draft.js';
import { isoWeekOf } from '../core/issues/iso-week.js';
import { getIssueByWeek } from '../db/repos/issues.js';
import { createProviderPacer } from '../core/send/provider-pacer.js';
import { ensureEditors } from '../core/editors/editor-auth.js';
import { prepareStartAccess } from '../core/editors/first-signin.js';
import { seedDemoEvents, seedDemoReaders } from '../demo/seed-demo.js';
import { startCheckpointer } from '../db/sqlite/checkpointer.js';
import { runScheduledBackup } from '../db/sqlite/backup-rotation.js';
import { createApp } from '../http/app.js';
import { pickLogFormat } from '../log.js';
import { mailOffWarning } from '../mail/mail-off-warning.js';
import { jobTable } from '../jobs/job-table.js';
import { ConfigError, createNodeRuntime } from './node/runtime.js';
import { startScheduler, type SchedulerState } from './node/scheduler.js';
import { registerServerGauges } from './node/server-gauges.js';
import { readMigrations } from '../db/sqlite/migrate.js';
import { SERVER_LIMITS, serveWithLimits } from './node/server-limits.js';
import { startBanner } from './node/start-banner.js';
import { listenError, StartupError } from './node/startup-error.js';

async function main() {
  const rt = await createNodeRuntime(process.env);
  const { deps, config } = rt;
  let server: ReturnType<typeof serveWithLimits> | undefined;
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  let checkpointer: ReturnType<typeof startCheckpointer> | undefined;

  // Installed first: without a handler a SIGTERM during start-up would kill the process between two writes.
  // Stopping: `closing` is the sender's stop flag (jobTable's `stopping`), so from the signal on no batch is claimed
  // or attempted; a running dispatch lets the provider calls in flight finish (their outcome is recorded), releases
  // what it had claimed but not handed over (the next start sends it under the same key) and gives its lease up.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const t0 = Date.now();
    deps.log.info(`${signal} received: claiming no more batches, finishing the provider calls in flight`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    const http = (async () => {
      if (!server?.listening) return;
      const s = server;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeIdleConnections();
      // a request still streaming (an export to a slow client) gets a grace period, not the whole forced-exit budget
      const cut = setTimeout(() => s.closeAllConnections(), 10_000);
      cut.unref();
      await closed;
      clearTimeout(cut);
    })();
    await scheduler?.stop();
    await http;
    await checkpointer?.stop();
    await rt.close();
    deps.log.info(`Stopped after ${Date.now() - t0} ms: sender idle, dispatch lease released, database closed`);
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // Checkpoints fsync; off the event loop they stall no request (src/db/sqlite/checkpointer.ts).
  checkpointer = startCheckpointer(rt.sqlite, config.databasePath, deps.log);
  // An erased reader's old rows live on in the WAL's frames until it is checkpointed and truncated.
  deps.afterErase = () => void checkpointer?.truncate();
  if (rt.appliedMigrations.length) deps.log.info(`Applied migrations: ${rt.appliedMigrations.join(', ')}`);
  await ensureEditors(deps);
  const seeded = await seedDemoEvents(deps);
  if (seeded > 0) await seedDemoReaders(deps);
  // A newcomer sees the main job at once: this week's draft exists from the first start.
  const week = isoWeekOf(deps.clock.now(), config.tz);
  if (seeded > 0 || !(await getIssueByWeek(deps.db, week)))
    await buildDraft(deps, week).catch((e) => deps.log.warn(`Could not build the ${week} draft: ${e.message}`));

  // Listen before the scheduler starts: a second `npm start` on a taken port must leave without sending anything.
  // Timeouts and a connection cap, so slow or idle clients cannot hold the server (src/entry/node/server-limits.ts).
  // /health/ready asks the scheduler; until it has started, readiness says it is not running.
  let schedulerState: (() => SchedulerState) | undefined;
  const knownMigrations = readMigrations().map((m) => m.name);
  const app = createApp(deps, { metrics: rt.metrics.exposition, readiness: { knownMigrations, scheduler: () => schedulerState?.() } });
  server = serveWithLimits({ fetch: app.fetch, hostname: config.host, port: config.port }, SERVER_LIMITS);
  let info: AddressInfo;
  try {
    const s = server;
    info = await new Promise<AddressInfo>((resolve, reject) => {
      s.once('error', reject);
      s.once('listening', () => {
        s.off('error', reject);
        resolve(s.address() as AddressInfo);
      });
    });
  } catch (e) {
    await checkpointer.stop();
    await rt.close();
    throw listenError(config.host, config.port, e);
  }
  // PORT=0 (a free port, as tests start it) and no PUBLIC_URL: links name the port actually taken, not :0.
  if (config.port === 0 && !process.env.PUBLIC_URL) config.publicUrl = `http://localhost:${info.port}`;
  server.on('error', (e) => deps.log.error('HTTP server error', { err: e instanceof Error ? e.message : String(e) }));

  const owner = config.instanceId ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const limiter = createProviderPacer(config.resendApiKey ? config.resendRatePerSec : Infinity);
  const backup = (d: typeof deps) =>
    runScheduledBackup({ sourcePath: config.databasePath, dir: config.backupDir, keep: config.backupKeep, clock: d.clock, log: d.log });
  const jobs = startScheduler(deps, jobTable(deps, { owner, limiter, backup, stopping: () => closing }));
  scheduler = jobs;
  deps.wakeOutbox = () => void jobs.trigger('dispatch');
  schedulerState = () => jobs.state();
  // Gauges read at scrape time: outbox depth, this process's dispatch lease, SQLite file sizes, job runs (README "Metrics").
  registerServerGauges(rt.metrics.registry, { db: deps.db, clock: deps.clock, databasePath: config.databasePath, owner, jobs: () => jobs.state().jobs });

  // A new local install prints a one-time sign-in link (src/core/editors/first-signin.ts).
  const access = await prepareStartAccess(deps);
  process.stdout.write(startBanner({ config, listening: info, week, access }));
  if (pickLogFormat(process.env.LOG_FORMAT, process.stdout.isTTY) === 'json') {
    deps.log.info('listening', { address: info.address, port: info.port, publicUrl: config.publicUrl });
  }
  if (access.kind === 'no-editor')
    deps.log.warn('No editor account: nobody can sign in. Add one with `npm run recap -- editors add <email> --role admin` or EDITOR_EMAILS.');
  const mailOff = mailOffWarning(config);
  if (mailOff) deps.log.warn(`${mailOff} NODE_ENV=production: set RESEND_API_KEY to send confirmations, sign-in links and recaps.`);
}

try {
  await main();
} catch (e) {
  // What the operator can fix is said in one line (a bad configuration lists every variable); anything else is a bug
  // and keeps its stack.
  if (e instanceof StartupError || e instanceof ConfigError) console.error(e.message);
  else console.error(e);
  process.exit(1);
}

// The scheduled jobs, declared once: node-cron runs them on Node, Cron Triggers on Workers.
import { buildDraft } from '../core/issues/build-draft.js';
import type { Deps } from '../core/deps.js';
import { dispatch } from '../core/send/dispatch.js';
import { runHousekeeping } from '../core/housekeeping.js';
import { fetchFeeds } from './fetch-feeds.js';
import type { ProviderPacer } from '../core/send/provider-pacer.js';

export interface JobDefinition {
  name: string;
  /** 5-field cron expression, evaluated in `timeZone`. */
  cron: string;
  timeZone: string;
  /** Run once at start-up too (catch-up after downtime). */
  runOnStart?: boolean;
  run(deps: Deps): Promise<unknown>;
}

export interface JobContext {
  owner: string;
  limiter: ProviderPacer;
  /** Wall-clock budget of one dispatch run; unset on Node (it runs until the outbox is empty). */
  dispatchBudgetMs?: number;
  /** True once the process is stopping (Node's SIGTERM): a running dispatch ends after the provider calls in flight. */
  stopping?: () => boolean;
  /** The online backup (BACKUP_CRON): Node only, SQLite's backup API; Workers leave it out (D1 has Time Travel). */
  backup?: (deps: Deps) => Promise<unknown>;
}

export function jobTable(deps: Deps, ctx: JobContext): JobDefinition[] {
  const { config } = deps;
  return [
    {
      name: 'dispatch',
      cron: '* * * * *',
      timeZone: 'UTC',
      runOnStart: true,
      run: (d) =>
        dispatch(d, {
          owner: ctx.owner,
          limiter: ctx.limiter,
          leaseMs: config.leaseMs,
          concurrency: config.sendConcurrency,
          budgetMs: ctx.dispatchBudgetMs,
          stopping: ctx.stopping,
        }),
    },
    { name: 'build-draft', cron: config.buildCron, timeZone: config.tz, run: (d) => buildDraft(d) },
    { name: 'housekeeping', cron: '17 3 * * *', timeZone: config.tz, run: (d) => runHousekeeping(d) },
    ...(config.feedUrls.length ? [{ name: 'feeds', cron: config.feedCron, timeZone: config.tz, runOnStart: true, run: (d: Deps) => fetchFeeds(d) }] : []),
    ...(ctx.backup ? [{ name: 'backup', cron: config.backupCron, timeZone: config.tz, run: ctx.backup }] : []),
  ];
}

// The minute "dispatch" step: under one database lease, start due issues (or mark them missed), then run
// the outbox (transactional mail first, then sending issues) until it is empty or the budget is spent.
import type { Deps } from '../deps.js';
import { outboxStoreFor } from './outbox-store.js';
import { runOutbox, finishCompletedIssues, type OutboxStats } from './run-outbox.js';
import type { ProviderPacer } from './provider-pacer.js';

export const DISPATCH_LEASE = 'dispatch';

export interface DispatchContext {
  owner: string;
  limiter: ProviderPacer;
  leaseMs: number;
  concurrency?: number;
  /** Wall-clock budget for this run (Workers); unlimited on Node. */
  budgetMs?: number;
  /** True once the process is stopping (SIGTERM): claim nothing more, release what was not handed over, give the lease up. */
  stopping?: () => boolean;
}

export interface DispatchResult {
  skipped?: 'lease-held';
  started: string[];
  missed: string[];
  finished: string[];
  outbox?: OutboxStats;
}

/** Starts scheduled issues whose time has come; later than maxLateness they are marked missed instead. */
export async function startDueIssues(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>): Promise<{ started: string[]; missed: string[] }> {
  const store = outboxStoreFor(deps.db);
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const started: string[] = [];
  const missed: string[] = [];
  for (const issue of await store.listDueIssues(nowIso)) {
    const lateMs = now.getTime() - Date.parse(issue.scheduled_at!);
    if (lateMs > deps.config.maxLatenessMs) {
      const hours = Math.round(lateMs / 36e5);
      const reason = `missed: scheduled for ${issue.scheduled_at}, ${hours} h late (MAX_LATENESS is ${Math.round(deps.config.maxLatenessMs / 36e5)} h); not sent`;
      if (await store.moveIssue(issue.id, ['scheduled'], 'failed', { missed_at: nowIso, failure_reason: reason, updated_at: nowIso })) {
        deps.log.warn(`Issue ${issue.id} ${reason}`);
        missed.push(issue.id);
      }
      continue;
    }
    // conditional on 'scheduled': of two racing runners only one moves it
    if (await store.moveIssue(issue.id, ['scheduled'], 'sending', { started_at: nowIso, updated_at: nowIso })) {
      deps.log.info(`Issue ${issue.id} is due: sending${lateMs > 60_000 ? ` (catching up, ${Math.round(lateMs / 60_000)} min late)` : ''}`);
      started.push(issue.id);
    }
  }
  return { started, missed };
}

export async function dispatch(deps: Deps, ctx: DispatchContext): Promise<DispatchResult> {
  const store = outboxStoreFor(deps.db);
  const leaseUntil = () => new Date(deps.clock.now().getTime() + ctx.leaseMs).toISOString();
  if (!(await store.acquireLease(DISPATCH_LEASE, ctx.owner, deps.clock.now().toISOString(), leaseUntil()))) {
    return { skipped: 'lease-held', started: [], missed: [], finished: [] };
  }
  let lost = false;
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = store
        .acquireLease(DISPATCH_LEASE, ctx.owner, deps.clock.now().toISOString(), leaseUntil())
        .then((ok) => {
          if (!ok) {
            lost = true;
            deps.log.warn('Lost the dispatch lease to another runner; stopping');
          }
        })
        .catch(() => undefined);
    },
    Math.max(50, Math.floor(ctx.leaseMs / 3)),
  );
  try {
    if (ctx.stopping?.()) return { started: [], missed: [], finished: [] };
    const { started, missed } = await startDueIssues(deps);
    const outbox = await runOutbox(deps, {
      owner: ctx.owner,
      limiter: ctx.limiter,
      leaseMs: ctx.leaseMs,
      concurrency: ctx.concurrency,
      deadline: ctx.budgetMs === undefined ? undefined : deps.clock.now().getTime() + ctx.budgetMs,
      shouldStop: () => lost || ctx.stopping?.() === true,
      abort: () => lost || ctx.stopping?.() === true,
    });
    const finished = await finishCompletedIssues(deps);
    return { started, missed, finished, outbox };
  } finally {
    clearInterval(timer);
    await renewing;
    if (!lost) await store.releaseLease(DISPATCH_LEASE, ctx.owner);
  }
}

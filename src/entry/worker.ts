// The Cloudflare Workers entry: the same Hono app on `fetch`, the job table on Cron Triggers, sending on a Queue.
import { ensureEditors } from '../core/editors/editor-auth.js';
import { errorBody } from '../http/errors.js';
import { batchSizeFor, consumeOutboxMessages, enqueueDueWork } from './worker/outbox.js';
import { createWorkerRuntime, stringVars, WorkerConfigError, type WorkerRuntime } from './worker/runtime.js';
import type { ExecutionContextLike, MessageBatchLike, OutboxMessage, ScheduledControllerLike, WorkerEnv } from './worker/types.js';

// One runtime per isolate, so the app, the signup group commit and the rate limiter are shared by its requests.
// Found by env object, or else by the bindings and variables it carries (tests pass their own envs).
const byEnv = new WeakMap<object, WorkerRuntime>();
const known: { db: unknown; queue: unknown; vars: string; rt: WorkerRuntime }[] = [];

export function runtimeFor(env: WorkerEnv): WorkerRuntime {
  const cached = byEnv.get(env);
  if (cached) return cached;
  const vars = JSON.stringify(stringVars(env));
  let entry = known.find((k) => k.db === env.DB && k.queue === env.OUTBOX_QUEUE && k.vars === vars);
  if (!entry) {
    const rt = createWorkerRuntime(env);
    for (const job of rt.jobs) {
      if (job.timeZone !== 'UTC') rt.deps.log.warn(`Cron Triggers run in UTC: job ${job.name} (${job.cron}) ignores TZ_NEWSLETTER=${job.timeZone}`);
    }
    entry = { db: env.DB, queue: env.OUTBOX_QUEUE, vars, rt };
    known.push(entry);
    if (known.length > 8) known.shift();
  }
  byEnv.set(env, entry.rt);
  return entry.rt;
}

// EDITOR_EMAILS accounts are upserted once per isolate, before the first request or job uses them.
const editorsReady = new WeakMap<WorkerRuntime, Promise<unknown>>();
function ensureEditorsOnce(rt: WorkerRuntime): Promise<unknown> {
  let p = editorsReady.get(rt);
  if (!p) {
    p = ensureEditors(rt.deps).catch((e) => {
      editorsReady.delete(rt);
      rt.deps.log.warn(`Could not create EDITOR_EMAILS accounts yet: ${e instanceof Error ? e.message : String(e)}`);
    });
    editorsReady.set(rt, p);
  }
  return p;
}

export async function handleFetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
  let rt: WorkerRuntime;
  try {
    rt = runtimeFor(env);
  } catch (e) {
    if (!(e instanceof WorkerConfigError)) throw e;
    console.error(e.message);
    return Response.json(errorBody('misconfigured', 'the service is not configured; see the Worker logs'), { status: 503 });
  }
  await ensureEditorsOnce(rt);
  const res = await rt.app.fetch(request, env, ctx as never);
  ctx.waitUntil(rt.pending());
  return res;
}

/** Runs every job whose cron expression is the one that fired; `dispatch` enqueues instead of sending. */
export async function handleScheduled(controller: ScheduledControllerLike, env: WorkerEnv, ctx: ExecutionContextLike): Promise<string[]> {
  const rt = runtimeFor(env);
  await ensureEditorsOnce(rt);
  const due = rt.jobs.filter((j) => j.cron === controller.cron);
  if (due.length === 0) rt.deps.log.warn(`No job for cron "${controller.cron}": wrangler.toml and the job table disagree`);
  const failures: unknown[] = [];
  for (const job of due) {
    try {
      if (job.name === 'dispatch') await enqueueDueWork(rt.deps, env.OUTBOX_QUEUE, batchSizeFor(rt.queryBudget));
      else await job.run(rt.deps);
    } catch (e) {
      rt.deps.log.error(`job ${job.name} failed`, { err: e instanceof Error ? e.stack : String(e) });
      failures.push(e);
    }
  }
  ctx.waitUntil(rt.pending());
  // Rethrown so the Cron Trigger shows as failed in Cloudflare's dashboard.
  if (failures.length) throw failures[0];
  return due.map((j) => j.name);
}

export async function handleQueue(batch: MessageBatchLike<OutboxMessage>, env: WorkerEnv, ctx: ExecutionContextLike) {
  const rt = runtimeFor(env);
  const stats = await consumeOutboxMessages(rt, batch);
  ctx.waitUntil(rt.pending());
  return stats;
}

export default {
  fetch: handleFetch,
  scheduled: async (controller: ScheduledControllerLike, env: WorkerEnv, ctx: ExecutionContextLike) => {
    await handleScheduled(controller, env, ctx);
  },
  queue: async (batch: MessageBatchLike<OutboxMessage>, env: WorkerEnv, ctx: ExecutionContextLike) => {
    await handleQueue(batch, env, ctx);
  },
};

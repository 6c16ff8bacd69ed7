// GET /metrics (Prometheus text, bearer only) and GET /health/ready (database, migrations, scheduler) for operators.
import { Hono } from 'hono';
import type { Deps } from '../core/deps.js';
import { appliedMigrationNames } from '../db/repos/readiness.js';
import { bearerToken, timingSafeEqualStr } from './auth.js';
import { errorBody } from './errors.js';

/** What /metrics serves; the Node runtime hands its prom-client registry (src/entry/node/prom-metrics.ts). */
export interface MetricsExposition {
  contentType: string;
  render(): Promise<string>;
}

/** One scheduled job as the scheduler sees it (src/entry/node/scheduler.ts). */
export interface JobStatus {
  name: string;
  running: boolean;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastResult: 'ok' | 'error' | null;
}

export interface SchedulerStatus {
  running: boolean;
  startedAt: string;
  jobs: readonly JobStatus[];
}

export interface ReadinessSources {
  /** Migration file names the code ships (Node reads migrations/); absent, the ledger is reported but not compared. */
  knownMigrations?: readonly string[];
  /** The in-process scheduler; absent where the platform schedules (Cron Triggers). */
  scheduler?: () => SchedulerStatus | undefined;
}

/** The dispatch job runs every minute; a scheduler that has not started it for this long has stopped ticking. */
export const DISPATCH_STALE_MS = 3 * 60_000;

export function opsRoutes(deps: Deps, options: { metrics?: MetricsExposition; readiness?: ReadinessSources } = {}) {
  const app = new Hono();

  app.get('/metrics', async (c) => {
    const exposition = options.metrics;
    if (!exposition) {
      return c.json(
        errorBody(
          'not_implemented',
          'metrics are not collected on this runtime (prom-client runs on Node only); /health/ready reports the database and migrations',
        ),
        501,
      );
    }
    const tokens = [deps.config.metricsToken, deps.config.editorApiToken].filter((t): t is string => !!t);
    // Never open: with no token configured nobody can read them (they show volumes, queue depths and job timings).
    if (tokens.length === 0)
      return c.json(errorBody('forbidden', 'metrics are off: set METRICS_TOKEN (or EDITOR_API_TOKEN) and send it as a bearer token'), 403);
    const given = bearerToken(c.req.header('authorization'));
    const ok = given !== undefined && tokens.map((t) => timingSafeEqualStr(given, t)).includes(true);
    if (!ok) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(errorBody('unauthorized', 'missing or invalid bearer token (METRICS_TOKEN or EDITOR_API_TOKEN)'), 401);
    }
    const text = await exposition.render();
    return c.body(text, 200, { 'content-type': exposition.contentType, 'cache-control': 'no-store' });
  });

  app.get('/health/ready', async (c) => {
    const report = await readiness(deps, options.readiness ?? {});
    c.header('cache-control', 'no-store');
    return c.json(report, report.ready ? 200 : 503);
  });

  return app;
}

export async function readiness(deps: Pick<Deps, 'db' | 'clock'>, sources: ReadinessSources) {
  let applied: string[] | null = null;
  try {
    applied = await appliedMigrationNames(deps.db);
  } catch {
    // unreachable, or never migrated (no ledger table): both mean not ready; the reason stays out of a public answer
  }
  const database = { ok: applied !== null };

  const known = sources.knownMigrations ? [...sources.knownMigrations] : null;
  const appliedSet = new Set(applied ?? []);
  const missing = known ? known.filter((name) => !appliedSet.has(name)) : [];
  const knownSet = new Set(known ?? []);
  const migrations = {
    ok: applied !== null && missing.length === 0,
    applied: applied?.length ?? 0,
    known: known?.length ?? null,
    missing,
    // applied by a newer version of the code; reported, not fatal (the schema only grows)
    unknownToCode: known && applied ? applied.filter((name) => !knownSet.has(name)) : [],
  };

  const status = sources.scheduler?.();
  let scheduler: { ok: boolean; running: boolean; stale: string[]; jobs: readonly JobStatus[] } | null = null;
  if (sources.scheduler) {
    const nowMs = deps.clock.now().getTime();
    const stale = (status?.jobs ?? []).filter((j) => {
      if (j.name !== 'dispatch' || j.running) return false;
      const since = Date.parse(j.lastStartedAt ?? status!.startedAt);
      return nowMs - since > DISPATCH_STALE_MS;
    });
    const running = status?.running ?? false;
    scheduler = { ok: running && stale.length === 0, running, stale: stale.map((j) => j.name), jobs: status?.jobs ?? [] };
  }

  return { ready: database.ok && migrations.ok && (scheduler?.ok ?? true), database, migrations, scheduler };
}

// Gauges computed when /metrics is scraped (outbox depth, the dispatch lease, SQLite file sizes, job runs) and the
// default process metrics, all on the server's own registry.
import { statSync } from 'node:fs';
import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../core/deps.js';
import { METRIC_PREFIX } from '../../core/metrics.js';
import { DISPATCH_LEASE } from '../../core/send/dispatch.js';
import { getLease } from '../../db/repos/leases.js';
import { outboxDepth, type LaneDepth } from '../../db/repos/outbox-depth.js';
import type { DB } from '../../db/schema.js';

export interface GaugeSources {
  db: DB;
  clock: Clock;
  databasePath: string;
  /** This process's name in job_locks. */
  owner: string;
  /** The scheduler's jobs as they stand (src/entry/node/scheduler.ts), once it runs. */
  jobs?: () => readonly { name: string; running: boolean; lastFinishedAt: string | null }[];
}

const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0; // no WAL file yet (or after a truncating checkpoint removed it)
  }
};

/** One query for both outbox gauges of a scrape, and for scrapes that overlap (two Prometheus replicas). */
function shared<T>(load: () => Promise<T>, keepMs: number, now: () => number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const t = now();
    if (!last || t - last.at > keepMs) {
      const value = load();
      last = { at: t, value };
      value.catch(() => (last = undefined));
    }
    return last.value;
  };
}

export function registerServerGauges(registry: Registry, sources: GaugeSources): void {
  const { db, clock } = sources;
  collectDefaultMetrics({ register: registry });
  const depth = shared(
    () => outboxDepth(db),
    1000,
    () => Date.now(),
  );
  const registers = [registry];
  // A gauge whose source failed shows nothing rather than the last value (stale data reads as fine).
  const guarded = async (gauge: Gauge, fill: (g: Gauge) => Promise<void> | void) => {
    try {
      gauge.reset();
      await fill(gauge);
    } catch {
      gauge.reset();
    }
  };

  const byLane = async (g: Gauge, value: (d: LaneDepth) => number) => {
    for (const d of await depth()) g.set({ lane: d.lane }, value(d));
  };
  const queued: Gauge = new Gauge({
    name: `${METRIC_PREFIX}outbox_queued`,
    help: 'Mails queued in the outbox and not yet claimed for sending, by lane (transactional, recap)',
    labelNames: ['lane'],
    registers,
    collect: () => guarded(queued, (g) => byLane(g, (d) => d.queued)),
  });
  const oldest: Gauge = new Gauge({
    name: `${METRIC_PREFIX}outbox_oldest_queued_age_seconds`,
    help: 'Age of the oldest queued mail per lane (0 when none is queued): transactional mail should leave within seconds',
    labelNames: ['lane'],
    registers,
    collect: () =>
      guarded(oldest, (g) => byLane(g, (d) => (d.oldestQueuedAt ? Math.max(0, (clock.now().getTime() - Date.parse(d.oldestQueuedAt)) / 1000) : 0))),
  });
  const lease: Gauge = new Gauge({
    name: `${METRIC_PREFIX}dispatch_lease_held`,
    help: '1 while this process holds the dispatch lease (it is the one sending; taken per dispatch run), else 0',
    registers,
    collect: () =>
      guarded(lease, async (g) => {
        const row = await getLease(db, DISPATCH_LEASE);
        g.set(row && row.owner === sources.owner && row.expires_at > clock.now().toISOString() ? 1 : 0);
      }),
  });
  const dbBytes: Gauge = new Gauge({
    name: `${METRIC_PREFIX}sqlite_database_bytes`,
    help: 'Size of the SQLite database file',
    registers,
    collect: () => guarded(dbBytes, (g) => g.set(fileSize(sources.databasePath))),
  });
  const walBytes: Gauge = new Gauge({
    name: `${METRIC_PREFIX}sqlite_wal_bytes`,
    help: 'Size of the SQLite write-ahead log (-wal file); it grows while checkpoints cannot keep up',
    registers,
    collect: () => guarded(walBytes, (g) => g.set(fileSize(`${sources.databasePath}-wal`))),
  });
  const lastRun: Gauge = new Gauge({
    name: `${METRIC_PREFIX}scheduler_last_run_timestamp_seconds`,
    help: 'When each scheduled job last finished a run in this process (Unix seconds; absent before its first run)',
    labelNames: ['job'],
    registers,
    collect: () =>
      guarded(lastRun, (g) => {
        for (const j of sources.jobs?.() ?? []) if (j.lastFinishedAt) g.set({ job: j.name }, Date.parse(j.lastFinishedAt) / 1000);
      }),
  });
  const running: Gauge = new Gauge({
    name: `${METRIC_PREFIX}scheduler_job_running`,
    help: '1 while a scheduled job is running in this process, else 0',
    labelNames: ['job'],
    registers,
    collect: () =>
      guarded(running, (g) => {
        for (const j of sources.jobs?.() ?? []) g.set({ job: j.name }, j.running ? 1 : 0);
      }),
  });
}

// Runs the job table with node-cron; never overlaps a job with itself, waits for running jobs on stop, and says how
// each job last ran (/health/ready, /metrics).
import cron from 'node-cron';
import type { Deps } from '../../core/deps.js';
import type { JobDefinition } from '../../jobs/job-table.js';

export interface RunningScheduler {
  /** Runs a job now (used at start-up and by the outbox wake-up), unless it is already running. */
  trigger(name: string): Promise<void>;
  stop(): Promise<void>;
  /** Whether it runs, and each job's last run in this process. */
  state(): SchedulerState;
}

export interface JobState {
  name: string;
  running: boolean;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastResult: 'ok' | 'error' | null;
}

export interface SchedulerState {
  running: boolean;
  startedAt: string;
  jobs: JobState[];
}

type Trigger = 'cron' | 'start' | 'wake';

export function startScheduler(deps: Deps, jobs: JobDefinition[]): RunningScheduler {
  const running = new Map<string, Promise<void>>();
  const startedAt = deps.clock.now().toISOString();
  const last = new Map<string, Omit<JobState, 'name' | 'running'>>(jobs.map((j) => [j.name, { lastStartedAt: null, lastFinishedAt: null, lastResult: null }]));
  let stopped = false;

  const runJob = (job: JobDefinition, trigger: Trigger): Promise<void> => {
    const current = running.get(job.name);
    if (current || stopped) return current ?? Promise.resolve();
    const p = (async () => {
      const t0 = performance.now();
      const state = last.get(job.name)!;
      state.lastStartedAt = deps.clock.now().toISOString();
      let result: 'ok' | 'error' = 'ok';
      try {
        await job.run(deps);
      } catch (e) {
        result = 'error';
        deps.log.error(`job ${job.name} failed`, { err: e instanceof Error ? e.stack : String(e) });
      } finally {
        running.delete(job.name);
        Object.assign(state, { lastFinishedAt: deps.clock.now().toISOString(), lastResult: result });
        deps.metrics?.count('scheduler_runs_total', { job: job.name, trigger, result });
        deps.metrics?.observe('scheduler_run_duration_seconds', (performance.now() - t0) / 1000, { job: job.name });
      }
    })();
    running.set(job.name, p);
    return p;
  };

  const tasks = jobs.map((job) => cron.schedule(job.cron, () => void runJob(job, 'cron'), { timezone: job.timeZone, name: job.name, noOverlap: true }));
  for (const job of jobs) if (job.runOnStart) void runJob(job, 'start');

  return {
    async trigger(name) {
      const job = jobs.find((j) => j.name === name);
      if (job) await runJob(job, 'wake');
    },
    state: () => ({
      running: !stopped,
      startedAt,
      jobs: jobs.map((j) => ({ name: j.name, running: running.has(j.name), ...last.get(j.name)! })),
    }),
    async stop() {
      stopped = true;
      for (const t of tasks) await t.stop();
      await Promise.all([...running.values()]);
    },
  };
}

// Runs the job table with node-cron; never overlaps a job with itself, and waits for running jobs on stop.
import cron from 'node-cron';
import type { Deps } from '../../core/deps.js';
import type { JobDefinition } from '../../jobs/job-table.js';

export interface RunningScheduler {
  /** Runs a job now (used at start-up and by the outbox wake-up), unless it is already running. */
  trigger(name: string): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(deps: Deps, jobs: JobDefinition[]): RunningScheduler {
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const runJob = (job: JobDefinition): Promise<void> => {
    const current = running.get(job.name);
    if (current || stopped) return current ?? Promise.resolve();
    const p = (async () => {
      try {
        await job.run(deps);
      } catch (e) {
        deps.log.error(`job ${job.name} failed`, { err: e instanceof Error ? e.stack : String(e) });
      } finally {
        running.delete(job.name);
      }
    })();
    running.set(job.name, p);
    return p;
  };

  const tasks = jobs.map((job) =>
    cron.schedule(job.cron, () => void runJob(job), { timezone: job.timeZone, name: job.name, noOverlap: true }),
  );
  for (const job of jobs) if (job.runOnStart) void runJob(job);

  return {
    async trigger(name) {
      const job = jobs.find((j) => j.name === name);
      if (job) await runJob(job);
    },
    async stop() {
      stopped = true;
      for (const t of tasks) await t.stop();
      await Promise.all([...running.values()]);
    },
  };
}

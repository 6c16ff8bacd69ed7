// wrangler.toml is part of the product: its Cron Triggers are exactly the job table's, its [vars] pass the same
// config schema as the Node entry, secrets stay out of it, and the bindings are the ones the Worker reads.
import { fileURLToPath } from 'node:url';
import { unstable_readConfig } from 'wrangler';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import type { Deps } from '../src/core/deps.js';
import { createProviderPacer } from '../src/core/send/provider-pacer.js';
import { jobTable } from '../src/jobs/job-table.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const wrangler = unstable_readConfig({ config: `${root}/wrangler.toml` });
const vars = wrangler.vars as Record<string, string>;
const SECRETS = ['APP_SECRET', 'RESEND_API_KEY', 'RESEND_WEBHOOK_SECRET', 'EDITOR_API_TOKEN'];

function jobsFromWranglerVars() {
  const parsed = parseConfig({ ...vars, APP_SECRET: 'a-secret-set-with-wrangler-secret-put' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  // Only the schedule is read here; no job runs.
  return jobTable({ config: parsed.config } as Deps, { owner: 'test', limiter: createProviderPacer(Infinity) });
}

describe('wrangler.toml', () => {
  it('triggers exactly the crons of the job table, so every job runs and no trigger is idle', () => {
    const jobs = jobsFromWranglerVars();
    expect([...wrangler.triggers.crons].sort()).toEqual([...new Set(jobs.map((j) => j.cron))].sort());
  });

  it('keeps every job in UTC, the only time zone Cron Triggers know', () => {
    for (const job of jobsFromWranglerVars()) expect({ job: job.name, tz: job.timeZone }).toEqual({ job: job.name, tz: 'UTC' });
  });

  it('has [vars] the config schema accepts, and no secrets among them', () => {
    expect(parseConfig({ ...vars, APP_SECRET: 'a-secret-set-with-wrangler-secret-put' }).ok).toBe(true);
    for (const secret of SECRETS) expect(Object.keys(vars)).not.toContain(secret);
  });

  it('binds D1 as DB on the shared migrations folder, and the outbox queue as producer and consumer', () => {
    expect(wrangler.d1_databases).toEqual([expect.objectContaining({ binding: 'DB', migrations_dir: 'migrations' })]);
    const producer = wrangler.queues.producers?.find((p: { binding: string; queue: string }) => p.binding === 'OUTBOX_QUEUE');
    expect(producer).toBeDefined();
    const consumer = wrangler.queues.consumers?.find((c: { queue: string }) => c.queue === producer!.queue);
    // One sender at a time: see the comment in wrangler.toml and src/db/d1/d1-dialect.ts.
    expect(consumer).toMatchObject({ max_concurrency: 1 });
  });

  it('targets a workerd the pinned wrangler ships, and runs MJML on mjml-browser', () => {
    expect(wrangler.compatibility_date <= '2026-04-26').toBe(true);
    expect(wrangler.alias).toEqual({ mjml: './src/entry/worker/mjml.ts' });
  });
});

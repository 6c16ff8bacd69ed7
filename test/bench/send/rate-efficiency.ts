// Benchmark 2: how much of Resend's allowed rate we use. The fake (own process) admits 5 requests per sliding second
// and answers 429 beyond; our sender paces at RESEND_RATE_PER_SEC=5. Counted over `seconds` from the first request.
import { join } from 'node:path';
import type { BenchResult } from '../run.js';
import { copyDb, seedSendingDb } from './bench-data.js';
import { controlRequest, spawnBenchScript } from './children.js';
import { PRODUCTION_NODE_ARGS } from './production-node.js';
import type { DispatchRun } from './dispatch-runner.js';
import type { FakeSummary } from './fake-process.js';

export interface RateOptions {
  tmp: string;
  seconds: number;
  ratePerSec: number;
  concurrency: number;
}

export async function benchRateEfficiency(o: RateOptions): Promise<BenchResult[]> {
  // Enough readers that the issue cannot run out inside the window, even at the full rate.
  const readers = Math.ceil(o.ratePerSec * (o.seconds + 5) * 100 * 1.2);
  // Tiny bodies: this measures pacing, not how fast the fake digests megabytes on a shared machine (benchmark 1 does).
  const data = await seedSendingDb(join(o.tmp, 'rate-seed'), readers, 'tiny', true);
  const db = join(o.tmp, 'rate.db');
  const appSecret = data.deps.config.appSecret;
  try {
    copyDb(data, db);
  } finally {
    await data.deps.cleanup();
  }
  const fake = spawnBenchScript('fake-process.ts', { FAKE_RATE: String(o.ratePerSec) });
  const { url, control } = await fake.nextJson<{ url: string; control: string }>();
  const ours = spawnBenchScript(
    'dispatch-runner.ts',
    {
      RESEND_API_KEY: 're_bench_rate',
      APP_SECRET: appSecret,
      DEMO_DATA: 'false',
      RESEND_BASE_URL: url,
      RESEND_RATE_PER_SEC: String(o.ratePerSec),
      SEND_CONCURRENCY: String(o.concurrency),
    },
    [...PRODUCTION_NODE_ARGS],
  );
  await ours.nextJson<{ ready: true }>();
  // a little past the window, so the window is full however long the first claim takes
  ours.send({ db, budgetMs: o.seconds * 1000 + 2000 });
  const run = await ours.nextJson<DispatchRun>(o.seconds * 1000 + 120_000);
  const s = await controlRequest<FakeSummary>(`${control}/summary`);
  await Promise.all([ours.stop(), fake.stop()]);

  const t0 = s.requests[0]?.at ?? 0;
  const inWindow = s.requests.filter((r) => r.at < t0 + o.seconds * 1000);
  const accepted = inWindow.filter((r) => r.outcome === 'accepted').length;
  const limited = inWindow.filter((r) => r.status === 429).length;
  const allowed = o.ratePerSec * o.seconds;
  const efficiency = (100 * accepted) / allowed;
  const share429 = inWindow.length ? (100 * limited) / inWindow.length : 0;
  const peak = maxInWindow(s.requests.map((r) => r.at));
  const peakAccepted = maxInWindow(s.requests.filter((r) => r.outcome === 'accepted').map((r) => r.at));
  const other = inWindow.length - accepted - limited;
  return [
    {
      name: `rate-limit efficiency at ${o.ratePerSec} req/s over ${o.seconds} s`,
      value: efficiency,
      unit: '%',
      target: '≥ 95%',
      pass: efficiency >= 95,
      note: `${accepted} accepted of ${allowed} allowed (${(accepted / o.seconds).toFixed(2)} req/s, ${(accepted * 100).toLocaleString('en')} emails); whole run: ${run.batches} requests, ${run.dbSent} sent in ${(run.ms / 1000).toFixed(1)} s${other ? `; ${other} other answers` : ''}`,
    },
    {
      name: '429 share of requests in the window',
      value: share429,
      unit: '%',
      target: '≤ 1%',
      pass: share429 <= 1,
      note: `${limited} of ${inWindow.length} requests`,
    },
    {
      name: 'max requests in any 1 s window (fake)',
      value: peak,
      unit: 'req',
      target: `≤ ${o.ratePerSec}`,
      pass: peak <= o.ratePerSec,
      note: `accepted only: ${peakAccepted}; concurrency ${o.concurrency}`,
    },
  ];
}

/** The same sliding count as the fake's maxRequestsInWindow(1000). */
function maxInWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

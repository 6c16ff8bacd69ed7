// Delivery-engine benchmarks (issue 5): throughput against the fake vs a bare-fetch baseline, rate-limit efficiency
// at 5 req/s, and the sender's peak RSS at 100k and 1M readers. Everything runs on 127.0.0.1 in child processes that
// are killed, with the temp files, whatever happens.
// Env: BENCH_SEND_PARTS (throughput,rate,rss), BENCH_SEND_CONCURRENCY (4), BENCH_THROUGHPUT_READERS (10000),
// BENCH_THROUGHPUT_ROUNDS (3), BENCH_RATE_SECONDS (60), BENCH_RSS_SIZES (100000,1000000), BENCH_RSS_MAX_SECONDS (600,
// per size), BENCH_RSS_NODE_ARGS (node flags for the RSS sender, added to production's), BENCH_CPU_PROF (a dir for a
// V8 profile of our sender in the throughput bench). Our sender processes start with production's node flags
// (NODE_HEAP_FLAGS in src/entry/node/heap.ts, which `npm start` must pass; the RSS rows fail if it does not).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './run.js';
import { killAllBenchChildren } from './send/children.js';
import { benchPeakRss } from './send/peak-rss.js';
import { benchRateEfficiency } from './send/rate-efficiency.js';
import { benchThroughput } from './send/throughput.js';

const int = (name: string, fallback: number) => (process.env[name] ? Number.parseInt(process.env[name]!, 10) : fallback);

export default async function benchSend(): Promise<BenchResult[]> {
  if (process.env.NODE_ENV !== 'production') console.warn('  (NODE_ENV is not production; run with npm run bench)');
  const parts = (process.env.BENCH_SEND_PARTS ?? 'throughput,rate,rss').split(',');
  const concurrency = int('BENCH_SEND_CONCURRENCY', 4);
  const tmp = mkdtempSync(join(tmpdir(), 'recap-bench-send-'));
  const onSignal = (signal: NodeJS.Signals) => {
    killAllBenchChildren();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: BenchResult[] = [];
  // A part that fails is reported as a failed row and its processes are killed; the other parts still run.
  const timed = async (label: string, fn: () => Promise<BenchResult[]>) => {
    const t0 = performance.now();
    try {
      results.push(...(await fn()));
    } catch (e) {
      killAllBenchChildren();
      results.push({
        name: `${label}: FAILED`,
        value: NaN,
        unit: '',
        target: 'runs to the end',
        pass: false,
        note: String(e instanceof Error ? e.stack : e).slice(0, 600),
      });
    }
    console.log(`  (${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  try {
    if (parts.includes('throughput')) {
      await timed('throughput', () =>
        benchThroughput({
          tmp,
          readers: int('BENCH_THROUGHPUT_READERS', 10_000),
          rounds: int('BENCH_THROUGHPUT_ROUNDS', 3),
          concurrency,
          cpuProfDir: process.env.BENCH_CPU_PROF,
        }),
      );
    }
    if (parts.includes('rate')) {
      await timed('rate', () => benchRateEfficiency({ tmp, seconds: int('BENCH_RATE_SECONDS', 60), ratePerSec: 5, concurrency }));
    }
    if (parts.includes('rss')) {
      const sizes = (process.env.BENCH_RSS_SIZES ?? '100000,1000000').split(',').map((s) => Number.parseInt(s, 10));
      await timed('peak RSS', () =>
        benchPeakRss({
          tmp,
          sizes,
          concurrency,
          maxSeconds: int('BENCH_RSS_MAX_SECONDS', 600),
          nodeArgs: (process.env.BENCH_RSS_NODE_ARGS ?? '').split(' ').filter(Boolean),
        }),
      );
    }
    return results;
  } finally {
    killAllBenchChildren();
    rmSync(tmp, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

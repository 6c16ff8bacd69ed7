// Benchmark 3: peak RSS of a real sender process sending one issue to N readers (100k and 1M by default), against a
// lean loopback sink so the provider side costs nothing. Memory must not grow with the audience.
import { readFileSync } from 'node:fs';
import type { BenchResult } from '../run.js';
import { seedSendingDb } from './bench-data.js';
import { spawnBenchScript } from './children.js';
import type { RssReport } from './rss-sender.js';
import type { SinkStats } from './lean-sink.js';

export interface RssOptions {
  sizes: number[];
  concurrency: number;
}

interface SizeResult {
  n: number;
  peakMb: number;
  polledMb: number;
  startMb: number;
  seconds: number;
  seedSeconds: number;
  sink: SinkStats;
}

export async function benchPeakRss(o: RssOptions): Promise<BenchResult[]> {
  const sink = spawnBenchScript('lean-sink.ts', {});
  const { url } = await sink.nextJson<{ url: string }>();
  const runs: SizeResult[] = [];
  try {
    for (const n of o.sizes) runs.push(await measure(n, url, o.concurrency));
  } finally {
    await sink.stop();
  }
  const results: BenchResult[] = runs.map((r) => {
    const ok = r.sink.emails === r.n && r.sink.recipients === r.n && r.sink.duplicates === 0;
    return {
      name: `peak RSS of a sender process, ${r.n.toLocaleString('en')} readers`,
      value: r.peakMb,
      unit: 'MB',
      target: '≤ 250 MB',
      pass: r.peakMb <= 250 && ok,
      note:
        `VmHWM (${r.polledMb.toFixed(0)} MB polled from outside); ${r.startMb.toFixed(0)} MB at start (node + tsx); sent in ${r.seconds.toFixed(1)} s (${Math.round(r.n / r.seconds).toLocaleString('en')} emails/s, incl. fan-out); ` +
        `sink got ${r.sink.emails.toLocaleString('en')} emails to ${r.sink.recipients.toLocaleString('en')} readers, ${r.sink.duplicates} duplicates; seeding took ${r.seedSeconds.toFixed(1)} s`,
    };
  });
  const small = runs.find((r) => r.n === Math.min(...o.sizes));
  const large = runs.find((r) => r.n === Math.max(...o.sizes));
  if (small && large && small !== large) {
    const ratio = large.peakMb / small.peakMb;
    results.push({ name: `peak RSS ${large.n.toLocaleString('en')} / ${small.n.toLocaleString('en')} readers`, value: ratio, unit: '×', target: '≤ 1.2', pass: ratio <= 1.2, note: `SEND_CONCURRENCY ${o.concurrency}, no pacing` });
  }
  return results;
}

async function measure(n: number, sinkUrl: string, concurrency: number): Promise<SizeResult> {
  const data = await seedSendingDb(n, 'small', false);
  try {
    await data.deps.testDb.close(); // the sender process owns the file now
    await fetch(`${sinkUrl}/__sink/reset`, { method: 'POST' });
    const sender = spawnBenchScript('rss-sender.ts', {
      DATABASE_PATH: data.deps.testDb.path,
      APP_SECRET: data.deps.config.appSecret,
      RESEND_API_KEY: 're_bench_rss',
      RESEND_BASE_URL: sinkUrl,
      INSTANCE_ID: 'bench-rss',
      RESEND_RATE_PER_SEC: '100000', // the config's minimum is 0.1; this is no pacing in practice
      SEND_CONCURRENCY: String(concurrency),
      DEMO_DATA: 'false',
    });
    // Cross-check the process's own report by polling its high-water mark from outside.
    let polledKb = 0;
    const poll = setInterval(() => {
      try {
        polledKb = Math.max(polledKb, Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${sender.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        // exited between ticks
      }
    }, 250);
    try {
      const report = await sender.nextJson<RssReport>(60 * 60_000);
      const sink = (await (await fetch(`${sinkUrl}/__sink/stats`)).json()) as SinkStats;
      await sender.exited;
      return { n, peakMb: report.vmHwmKb / 1024, polledMb: polledKb / 1024, startMb: report.startRssKb / 1024, seconds: report.ms / 1000, seedSeconds: data.seedMs / 1000, sink };
    } finally {
      clearInterval(poll);
      await sender.stop();
    }
  } finally {
    await data.deps.cleanup();
  }
}

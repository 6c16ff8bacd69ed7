// Benchmark 3: peak RSS of a real sender process sending one issue to N readers (100k and 1M by default), against a
// lean loopback sink so the provider side costs nothing. Memory must not grow with the audience.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../run.js';
import { seedSendingDb } from './bench-data.js';
import { topicsOfMask } from '../../../src/shared/topics.js';
import { controlRequest, spawnBenchScript } from './children.js';
import { flagsMissingFromStartScript, PRODUCTION_NODE_ARGS } from './production-node.js';
import type { RssReport } from './rss-sender.js';
import type { SinkStats } from './lean-sink.js';

export interface RssOptions {
  tmp: string;
  sizes: number[];
  concurrency: number;
  /** Per size: a sender still busy after this is stopped, and the run reported as incomplete. */
  maxSeconds: number;
  /** Extra node flags for the sender, after production's own (to try e.g. --max-old-space-size=128). */
  nodeArgs: string[];
}

interface SizeResult {
  n: number;
  peakMb: number;
  polledMb: number;
  startMb: number;
  seconds: number;
  seedSeconds: number;
  sink: SinkStats;
  /** False when the sender was stopped at maxSeconds. */
  finished: boolean;
}

export async function benchPeakRss(o: RssOptions): Promise<BenchResult[]> {
  const sink = spawnBenchScript('lean-sink.ts', {});
  const { url } = await sink.nextJson<{ url: string }>();
  const runs: SizeResult[] = [];
  try {
    for (const n of o.sizes) runs.push(await measure(join(o.tmp, `rss-${n}`), n, url, o));
  } finally {
    await sink.stop();
  }
  // Measured as production runs: the figures only count if `npm start` starts node with the same flags.
  const missing = flagsMissingFromStartScript();
  const how = `node ${[...PRODUCTION_NODE_ARGS, ...o.nodeArgs].join(' ')} (production's flags, src/entry/node/heap.ts${o.nodeArgs.length ? ', plus BENCH_RSS_NODE_ARGS' : ''})`;
  const unlike = missing.length ? `; NOT AS PRODUCTION RUNS: package.json "start" lacks ${missing.join(' ')}` : '';
  const results: BenchResult[] = runs.map((r) => {
    const ok = r.finished && r.sink.emails === r.n && r.sink.recipients === r.n && r.sink.duplicates === 0 && missing.length === 0;
    const rate = r.sink.emails / r.seconds;
    const sent = r.finished
      ? `sent in ${r.seconds.toFixed(1)} s (${Math.round(rate).toLocaleString('en')} emails/s, incl. start-up, render and fan-out)`
      : `INCOMPLETE: stopped after ${r.seconds.toFixed(0)} s with ${r.sink.emails.toLocaleString('en')} of ${r.n.toLocaleString('en')} sent (${rate.toFixed(0)} emails/s; ~${(r.n / Math.max(rate, 1e-9) / 60).toFixed(0)} min projected)`;
    return {
      name: `peak RSS of a sender process, ${r.n.toLocaleString('en')} readers`,
      value: r.peakMb,
      unit: 'MB',
      target: '≤ 250 MB',
      pass: r.peakMb <= 250 && ok,
      note:
        `VmHWM${r.finished ? ` (${r.polledMb.toFixed(0)} MB polled from outside)` : ' polled from outside'}; ${r.startMb ? `${r.startMb.toFixed(0)} MB at start (node + tsx); ` : ''}${sent}; ` +
        `sink: ${r.sink.recipients.toLocaleString('en')} distinct readers, ${r.sink.duplicates} duplicates; seeding ${r.seedSeconds.toFixed(1)} s; ${how}${unlike}`,
    };
  });
  const small = runs.find((r) => r.n === Math.min(...o.sizes));
  const large = runs.find((r) => r.n === Math.max(...o.sizes));
  if (small && large && small !== large) {
    const ratio = large.peakMb / small.peakMb;
    const complete = small.finished && large.finished;
    results.push({
      name: `peak RSS ${large.n.toLocaleString('en')} / ${small.n.toLocaleString('en')} readers`,
      value: ratio,
      unit: '×',
      target: '≤ 1.2',
      pass: ratio <= 1.2 && complete,
      note: `SEND_CONCURRENCY ${o.concurrency}, no pacing, ${how}${complete ? '' : '; not comparable: a run did not finish'}${unlike}`,
    });
  }
  return results;
}

async function measure(dir: string, n: number, sinkUrl: string, { concurrency, maxSeconds, nodeArgs }: RssOptions): Promise<SizeResult> {
  // BENCH_RSS_TOPICS=mixed: readers spread over every topic set (issue 15's editions), rendered in the sender's preparation.
  const topics = process.env.BENCH_RSS_TOPICS === 'mixed' ? (i: number) => topicsOfMask(1 + (i % 255)) : undefined;
  const data = await seedSendingDb(dir, n, 'small', false, topics);
  try {
    await data.deps.testDb.close(); // the sender process owns the file now
    await controlRequest(`${sinkUrl}/__sink/reset`, 'POST');
    const sender = spawnBenchScript(
      'rss-sender.ts',
      {
        DATABASE_PATH: data.deps.testDb.path,
        APP_SECRET: data.deps.config.appSecret,
        RESEND_API_KEY: 're_bench_rss',
        RESEND_BASE_URL: sinkUrl,
        INSTANCE_ID: 'bench-rss',
        RESEND_RATE_PER_SEC: '100000', // the config's minimum is 0.1; this is no pacing in practice
        SEND_CONCURRENCY: String(concurrency),
        DEMO_DATA: 'false',
      },
      [...PRODUCTION_NODE_ARGS, ...nodeArgs],
    );
    // Cross-check the process's own report by polling its high-water mark from outside.
    let polledKb = 0;
    const poll = setInterval(() => {
      try {
        polledKb = Math.max(polledKb, Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${sender.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        // exited between ticks
      }
    }, 250);
    const started = performance.now();
    let running = true;
    void sender.exited.then(() => (running = false));
    try {
      const report = await sender.nextJson<RssReport>(maxSeconds * 1000).catch((e: unknown) => {
        if (running) return null; // over time: measured as far as it got
        throw e;
      });
      const sink = await controlRequest<SinkStats>(`${sinkUrl}/__sink/stats`);
      const common = { n, polledMb: polledKb / 1024, seedSeconds: data.seedMs / 1000, sink };
      if (!report) return { ...common, peakMb: polledKb / 1024, startMb: 0, seconds: (performance.now() - started) / 1000, finished: false };
      await sender.exited;
      return { ...common, peakMb: report.vmHwmKb / 1024, startMb: report.startRssKb / 1024, seconds: report.ms / 1000, finished: true };
    } finally {
      clearInterval(poll);
      await sender.stop();
    }
  } finally {
    await data.deps.cleanup();
  }
}

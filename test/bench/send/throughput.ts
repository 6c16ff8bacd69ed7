// Benchmark 1: delivery throughput against the fake Resend (its own process, no rate limit), as a ratio to a minimal
// script POSTing the same prebuilt batch bodies at the same concurrency. Runs alternate (baseline, ours, ours,
// baseline, …) and the medians are compared; CPU per batch of each process is reported as the load-independent view.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from '../run.js';
import type { PosterReady, PosterRun } from './baseline-poster.js';
import { copyDb, seedSendingDb } from './bench-data.js';
import { controlRequest, spawnBenchScript } from './children.js';
import type { DispatchRun } from './dispatch-runner.js';
import type { FakeSummary } from './fake-process.js';
import { PRODUCTION_NODE_ARGS } from './production-node.js';

export interface ThroughputOptions {
  tmp: string;
  readers: number;
  concurrency: number;
  rounds: number;
  /** Directory for a V8 CPU profile of our sender process (node --cpu-prof), or undefined. */
  cpuProfDir?: string;
}

const API_KEY = 're_bench_send';

export async function benchThroughput(o: ThroughputOptions): Promise<BenchResult[]> {
  const data = await seedSendingDb(join(o.tmp, 'throughput-seed'), o.readers, 'demo', true);
  const posterDb = join(o.tmp, 'throughput-baseline.db');
  const oursDbs = Array.from({ length: o.rounds }, (_, i) => join(o.tmp, `throughput-ours-${i}.db`));
  const appSecret = data.deps.config.appSecret;
  try {
    copyDb(data, posterDb);
    for (const p of oursDbs) copyDb(data, p);
  } finally {
    await data.deps.cleanup();
  }

  const fake = spawnBenchScript('fake-process.ts', { FAKE_RATE: 'off' });
  const sink = spawnBenchScript('lean-sink.ts', {});
  const { url: fakeUrl, control } = await fake.nextJson<{ url: string; control: string }>();
  const { url: sinkUrl } = await sink.nextJson<{ url: string }>();
  const common = { RESEND_API_KEY: API_KEY, APP_SECRET: appSecret, DEMO_DATA: 'false' };
  const poster = spawnBenchScript('baseline-poster.ts', {
    ...common,
    DATABASE_PATH: posterDb,
    FAKE_URL: fakeUrl,
    SINK_URL: sinkUrl,
    POST_CONCURRENCY: String(o.concurrency),
    ISSUE_ID: data.issueId,
  });
  const ready = await poster.nextJson<PosterReady>();
  await sink.stop();
  if (ready.identical !== ready.batches) throw new Error(`baseline bodies differ from the SDK's: ${ready.identical}/${ready.batches} identical`);
  const ours = spawnBenchScript(
    'dispatch-runner.ts',
    { ...common, RESEND_BASE_URL: fakeUrl, SEND_CONCURRENCY: String(o.concurrency), BENCH_RATE: 'off', RESEND_TIMEOUT_MS: '60000' },
    // ours is started as production is (its node flags); the baseline poster gets none
    [...PRODUCTION_NODE_ARGS, ...(o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [])],
  );
  await ours.nextJson<{ ready: true }>();

  const reset = () => controlRequest(`${control}/reset`, 'POST');
  const summary = () => controlRequest<FakeSummary>(`${control}/summary`);
  const rates = { ours: [] as number[], base: [] as number[] };
  const cpuPerBatch = { ours: [] as number[], base: [] as number[], fakeOurs: [] as number[], fakeBase: [] as number[] };
  const problems: string[] = [];
  const runOurs = async (round: number) => {
    await reset();
    const fake0 = cpuMsOf(fake.pid);
    ours.send({ db: oursDbs[round] });
    const r = await ours.nextJson<DispatchRun>(600_000);
    const s = await summary();
    if (r.dbSent !== o.readers || s.recipients !== o.readers || s.duplicates > 0)
      problems.push(`ours round ${round}: ${r.dbSent} sent, fake saw ${s.recipients} readers, ${s.duplicates} duplicates`);
    return { rate: (r.dbSent / r.ms) * 1000, cpu: r.cpuMs / ready.batches, fakeCpu: (cpuMsOf(fake.pid) - fake0) / ready.batches };
  };
  const runBaseline = async (round: number) => {
    await reset();
    const fake0 = cpuMsOf(fake.pid);
    poster.send({ run: true });
    const r = await poster.nextJson<PosterRun>(600_000);
    if (r.emails !== o.readers || r.failed) problems.push(`baseline round ${round}: ${r.emails} accepted, ${r.failed} failed requests`);
    return { rate: (r.emails / r.ms) * 1000, cpu: r.cpuMs / ready.batches, fakeCpu: (cpuMsOf(fake.pid) - fake0) / ready.batches };
  };
  // Warm the fake (JIT, heap) with a fifth of the batches; our sender starts cold, as a real weekly send does.
  poster.send({ run: true, limit: Math.ceil(ready.batches / 5) });
  await poster.nextJson<PosterRun>(600_000);
  // alternate who goes first: B O, O B, B O, …
  for (let round = 0; round < o.rounds; round++) {
    const baseFirst = round % 2 === 0;
    const first = baseFirst ? await runBaseline(round) : await runOurs(round);
    const second = baseFirst ? await runOurs(round) : await runBaseline(round);
    const [base, mine] = baseFirst ? [first, second] : [second, first];
    rates.base.push(base.rate);
    rates.ours.push(mine.rate);
    cpuPerBatch.base.push(base.cpu);
    cpuPerBatch.ours.push(mine.cpu);
    cpuPerBatch.fakeBase.push(base.fakeCpu);
    cpuPerBatch.fakeOurs.push(mine.fakeCpu);
  }
  await Promise.all([poster.stop(), ours.stop(), fake.stop()]);

  const oursMed = median(rates.ours);
  const baseMed = median(rates.base);
  const ratio = oursMed / baseMed;
  const list = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
  const setup = `${o.readers.toLocaleString('en')} readers, ${(ready.bodyBytes / ready.batches / 1e6).toFixed(2)} MB per batch of 100, concurrency ${o.concurrency} both sides`;
  return [
    {
      name: 'send throughput, ours (dispatch → ResendMailer → fake)',
      value: oursMed,
      unit: 'emails/s',
      note: `median of ${o.rounds}: ${list(rates.ours)}; ${setup}; CPU per batch: ours ${ms(cpuPerBatch.ours)}, fake ${ms(cpuPerBatch.fakeOurs)}; node ${PRODUCTION_NODE_ARGS.join(' ')} as in production`,
    },
    {
      name: 'send throughput, baseline (bare fetch, prebuilt bodies)',
      value: baseMed,
      unit: 'emails/s',
      note: `median of ${o.rounds}: ${list(rates.base)}; bodies byte-identical to the SDK's (${ready.identical}/${ready.batches}); CPU per batch: poster ${ms(cpuPerBatch.base)}, fake ${ms(cpuPerBatch.fakeBase)}`,
    },
    {
      name: 'send throughput, ours / baseline',
      value: ratio,
      unit: '×',
      target: '≥ 0.8',
      pass: ratio >= 0.8 && problems.length === 0,
      note: problems.length
        ? `PROBLEMS: ${problems.join('; ')}`
        : `every reader accepted exactly once in every run; machine load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
    },
  ];
}

/** user + system CPU of another process so far, from /proc (clock ticks are 10 ms on Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

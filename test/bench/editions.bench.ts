// Editions benchmarks (issue 15): preparing a send for an audience spread over 255 topic sets vs everyone on the
// default edition (audience snapshot + rendering every edition), and send throughput to the fake with mixed editions vs
// one edition, both measured in the same run. Env: BENCH_EDITIONS_READERS (1000000, the preparation),
// BENCH_EDITIONS_SEND_READERS (20000), BENCH_EDITIONS_ROUNDS (3), BENCH_EDITIONS_PARTS (prepare,throughput).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { prepareIssueSend } from '../../src/core/send/prepare-issue.js';
import { seedDemoEvents } from '../../src/demo/seed-demo.js';
import { topicsOfMask } from '../../src/shared/topics.js';
import { createTestDbIn } from '../helpers/db.js';
import { makeDeps, realClock, type TestDeps } from '../helpers/deps.js';
import { seedSubscribers } from '../helpers/seed.js';
import type { BenchResult } from './run.js';
import { controlRequest, killAllBenchChildren, spawnBenchScript } from './send/children.js';
import type { DispatchRun } from './send/dispatch-runner.js';
import type { FakeSummary } from './send/fake-process.js';
import { PRODUCTION_NODE_ARGS } from './send/production-node.js';

const int = (name: string, fallback: number) => (process.env[name] ? Number.parseInt(process.env[name]!, 10) : fallback);
/** Reader i's topics: every topic set (masks 1..255; 255, every topic, is the default edition) in turn. */
const mixed = (i: number) => topicsOfMask(1 + (i % 255));

async function draftDb(dir: string, readers: number, topics?: (i: number) => readonly string[]): Promise<{ deps: TestDeps; issueId: string }> {
  const deps = makeDeps({ clock: realClock(), config: { demoData: true }, testDb: createTestDbIn(dir) });
  seedSubscribers(deps.testDb.sqlite, readers, { topics });
  await seedDemoEvents(deps);
  const issueId = (await buildDraft(deps)).issue.id;
  await startSending(deps, issueId);
  return { deps, issueId };
}

async function timePrepare(dir: string, readers: number, topics?: (i: number) => readonly string[]) {
  const { deps, issueId } = await draftDb(dir, readers, topics);
  try {
    const t0 = performance.now();
    await prepareIssueSend(deps, issueId);
    const ms = performance.now() - t0;
    const { n } = deps.testDb.sqlite.prepare('SELECT count(*) AS n FROM issue_editions WHERE issue_id = ?').get(issueId) as { n: number };
    const { d } = deps.testDb.sqlite.prepare('SELECT count(*) AS d FROM deliveries WHERE issue_id = ?').get(issueId) as { d: number };
    return { ms, editions: n, deliveries: d };
  } finally {
    await deps.cleanup();
  }
}

async function benchPrepare(tmp: string): Promise<BenchResult[]> {
  const readers = int('BENCH_EDITIONS_READERS', 1_000_000);
  const single = await timePrepare(join(tmp, 'prep-single'), readers);
  const many = await timePrepare(join(tmp, 'prep-mixed'), readers, mixed);
  const ratio = many.ms / single.ms;
  return [
    {
      name: `send preparation, ${readers.toLocaleString('en')} readers, one edition`,
      value: single.ms / 1000,
      unit: 's',
      note: `${single.deliveries} rows, ${single.editions} edition rendered`,
    },
    {
      name: `send preparation, ${readers.toLocaleString('en')} readers over 255 topic sets`,
      value: many.ms / 1000,
      unit: 's',
      note: `${many.deliveries} rows, ${many.editions} editions rendered`,
    },
    {
      name: 'send preparation, 255 topic sets / one edition',
      value: ratio,
      unit: '×',
      target: '≤ 2',
      pass: ratio <= 2 && many.deliveries === readers && single.deliveries === readers,
    },
  ];
}

async function benchThroughput(tmp: string): Promise<BenchResult[]> {
  const readers = int('BENCH_EDITIONS_SEND_READERS', 20_000);
  const rounds = int('BENCH_EDITIONS_ROUNDS', 3);
  const dbs: Record<'single' | 'mixed', string[]> = { single: [], mixed: [] };
  let appSecret = '';
  for (const kind of ['single', 'mixed'] as const) {
    const { deps, issueId } = await draftDb(join(tmp, `send-${kind}`), readers, kind === 'mixed' ? mixed : undefined);
    try {
      await prepareIssueSend(deps, issueId); // outside the timed region: throughput is about sending
      appSecret = deps.config.appSecret;
      // single gets one more copy: a warm-up run (JIT, sockets, the fake's heap) that is not counted
      for (let r = 0; r < rounds + (kind === 'single' ? 1 : 0); r++) {
        const target = join(tmp, `send-${kind}-${r}.db`);
        deps.testDb.sqlite.prepare('VACUUM INTO ?').run(target);
        dbs[kind].push(target);
      }
    } finally {
      await deps.cleanup();
    }
  }
  const fake = spawnBenchScript('fake-process.ts', { FAKE_RATE: 'off' });
  const { url: fakeUrl, control } = await fake.nextJson<{ url: string; control: string }>();
  const ours = spawnBenchScript(
    'dispatch-runner.ts',
    {
      RESEND_API_KEY: 're_bench_editions',
      APP_SECRET: appSecret,
      DEMO_DATA: 'false',
      RESEND_BASE_URL: fakeUrl,
      SEND_CONCURRENCY: '4',
      BENCH_RATE: 'off',
      RESEND_TIMEOUT_MS: '60000',
    },
    [...PRODUCTION_NODE_ARGS],
  );
  await ours.nextJson<{ ready: true }>();
  const rates = { single: [] as number[], mixed: [] as number[] };
  const cpu = { single: [] as number[], mixed: [] as number[] };
  const problems: string[] = [];
  const run = async (kind: 'single' | 'mixed', round: number) => {
    await controlRequest(`${control}/reset`, 'POST');
    ours.send({ db: dbs[kind][round] });
    const r = await ours.nextJson<DispatchRun>(600_000);
    const s = await controlRequest<FakeSummary>(`${control}/summary`);
    if (r.dbSent !== readers || s.recipients !== readers || s.duplicates > 0)
      problems.push(`${kind} round ${round}: ${r.dbSent} sent, fake saw ${s.recipients}, ${s.duplicates} duplicates`);
    rates[kind].push((r.dbSent / r.ms) * 1000);
    cpu[kind].push((r.cpuMs / readers) * 1000);
  };
  try {
    await run('single', rounds);
    rates.single.pop();
    cpu.single.pop();
    for (let round = 0; round < rounds; round++) {
      // alternate who goes first
      if (round % 2 === 0) {
        await run('single', round);
        await run('mixed', round);
      } else {
        await run('mixed', round);
        await run('single', round);
      }
    }
  } finally {
    await Promise.all([ours.stop(), fake.stop()]);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = med(rates.mixed) / med(rates.single);
  const list = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
  return [
    {
      name: `send throughput, one edition (${readers.toLocaleString('en')} readers)`,
      value: med(rates.single),
      unit: 'emails/s',
      note: `runs ${list(rates.single)}; ${med(cpu.single).toFixed(0)} µs sender CPU per mail`,
    },
    {
      name: 'send throughput, 255 topic sets',
      value: med(rates.mixed),
      unit: 'emails/s',
      note: `runs ${list(rates.mixed)}; ${med(cpu.mixed).toFixed(0)} µs sender CPU per mail`,
    },
    {
      name: 'send throughput, 255 topic sets / one edition',
      value: ratio,
      unit: '×',
      target: '≥ 0.9',
      pass: ratio >= 0.9 && problems.length === 0,
      note: problems.join('; ') || 'every reader accepted exactly once in every run',
    },
  ];
}

export default async function benchEditions(): Promise<BenchResult[]> {
  const parts = (process.env.BENCH_EDITIONS_PARTS ?? 'prepare,throughput').split(',');
  const tmp = mkdtempSync(join(tmpdir(), 'recap-bench-editions-'));
  const results: BenchResult[] = [];
  try {
    if (parts.includes('prepare')) results.push(...(await benchPrepare(tmp)));
    if (parts.includes('throughput')) results.push(...(await benchThroughput(tmp)));
  } finally {
    killAllBenchChildren();
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

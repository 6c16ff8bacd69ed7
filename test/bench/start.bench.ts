// Start time and idle memory of the compiled server (`npm start`: src/entry/node/start.mjs and dist/) against the tsx
// start it replaced (`node --max-semi-space-size=2 --import tsx src/entry/node.ts`), alternating runs on one migrated
// database with the demo draft, so both restart the same server over the same file. Start time is process spawn to
// the first 200 from /health; idle RSS is read from /proc after BENCH_START_IDLE_MS of quiet. Both run warm: the build
// is made once before timing (its time is reported on its own) and tsx's transform cache is filled by the warm-up.
// Env: BENCH_START_ROUNDS (7 starts of each), BENCH_START_IDLE_MS (3000).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, PROJECT_ROOT } from '../../src/entry/node/build.mjs';
import { freePort } from '../helpers/server.js';
import { cleanEnv, serverArgs } from '../helpers/server-process.js';
import type { BenchResult } from './run.js';

const int = (name: string, fallback: number) => (process.env[name] ? Number.parseInt(process.env[name]!, 10) : fallback);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** package.json's start script as argv (without `NODE_ENV=production`, `exec` and `node`), pointed at the bench's build folder. */
function npmStartArgs(outDir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/).filter((w) => w && !w.includes('=') && w !== 'exec');
  if (words[0] !== 'node') throw new Error(`the start script no longer starts with node: ${pkg.scripts.start}`);
  return [...words.slice(1), '--out-dir', outDir];
}

interface Start {
  ms: number;
  rssMb: number;
}

async function startOnce(args: string[], env: Record<string, string>, idleMs: number): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: cleanEnv({ ...env, PORT: String(port) }), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  try {
    let ms = 0;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${err}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        ms = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > 60_000) throw new Error(`no /health within 60 s: ${err}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, idleMs));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
    return { ms, rssMb: rssKb / 1024 };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export default async function run(): Promise<BenchResult[]> {
  const rounds = int('BENCH_START_ROUNDS', 7);
  const idleMs = int('BENCH_START_IDLE_MS', 3000);
  const tmp = mkdtempSync(join(tmpdir(), 'recap-bench-start-'));
  // Inside the project (its modules import from node_modules); not dist/ itself, so a developer's build is left alone.
  const outDir = join(PROJECT_ROOT, 'dist', 'bench-start');
  const env = { APP_SECRET: 'bench-start-secret-0123456789abcdef', DATABASE_PATH: join(tmp, 'recap.db'), LOG_FORMAT: 'json', BACKUP_DIR: join(tmp, 'backups') };
  try {
    const built = await buildServer({ outDir });
    const tsx = serverArgs();
    const compiled = npmStartArgs(outDir);
    // The first start migrates, loads the demo and builds the draft; it also fills tsx's cache. Then only restarts.
    await startOnce(tsx, env, 0);
    await startOnce(compiled, env, 0);
    const runs: { tsx: Start[]; compiled: Start[] } = { tsx: [], compiled: [] };
    for (let i = 0; i < rounds; i++) {
      // ABBA order, so neither variant always goes first after the other's exit.
      const order = i % 2 ? (['compiled', 'tsx'] as const) : (['tsx', 'compiled'] as const);
      for (const k of order) runs[k].push(await startOnce(k === 'tsx' ? tsx : compiled, env, idleMs));
    }
    const ms = { tsx: median(runs.tsx.map((r) => r.ms)), compiled: median(runs.compiled.map((r) => r.ms)) };
    const rss = { tsx: median(runs.tsx.map((r) => r.rssMb)), compiled: median(runs.compiled.map((r) => r.rssMb)) };
    const range = (xs: Start[], k: keyof Start) => `${Math.min(...xs.map((r) => r[k])).toFixed(0)}–${Math.max(...xs.map((r) => r[k])).toFixed(0)}`;
    return [
      {
        name: 'start: compiled ÷ tsx, spawn to the first /health 200 (median)',
        value: ms.compiled / ms.tsx,
        unit: '×',
        note: `${ms.compiled.toFixed(0)} vs ${ms.tsx.toFixed(0)} ms (ranges ${range(runs.compiled, 'ms')} and ${range(runs.tsx, 'ms')} ms, ${rounds} starts each)`,
      },
      {
        name: `start: compiled ÷ tsx, idle RSS ${idleMs / 1000} s after /health (median)`,
        value: rss.compiled / rss.tsx,
        unit: '×',
        note: `${rss.compiled.toFixed(1)} vs ${rss.tsx.toFixed(1)} MB (ranges ${range(runs.compiled, 'rssMb')} and ${range(runs.tsx, 'rssMb')} MB)`,
      },
      { name: 'start: npm run build (esbuild, every module of src/ and emails/)', value: built.ms, unit: 'ms', note: `${built.files} input files` },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
}

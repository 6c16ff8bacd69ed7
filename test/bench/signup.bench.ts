// POST /api/subscribe throughput as a ratio to GET /health, both measured in this run against the real app
// on 127.0.0.1 (real SQLite file, SIGNUP_RATE_PER_MIN=0, every request a new address). Target ≥ 0.4.
// Uses wrk when installed (apt-get install -y wrk), else a bounded keep-alive load loop in Node.
// Two more rows take the signup apart, to show where the ceiling is on this machine: the same JSON body
// read and zod validation answered without storing anything (against /health on the same bare app), and
// the signup service alone (hash, group commit, the three rows) without HTTP, in server CPU per signup.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { testConfig } from '../../src/config.js';
import { systemClock, type Deps, type Logger } from '../../src/core/deps.js';
import { migrateSqlite } from '../../src/db/sqlite/migrate.js';
import { startCheckpointer } from '../../src/db/sqlite/checkpointer.js';
import { openSqlite } from '../../src/db/sqlite/open-sqlite.js';
import { Hono } from 'hono';
import { createSignupService } from '../../src/core/subscribers/signup.js';
import { newPublicId } from '../../src/core/subscribers/signup-plan.js';
import { parseSignupBody } from '../../src/core/subscribers/signup-input.js';
import { createApp } from '../../src/http/app.js';
import { errorBody, readJson } from '../../src/http/errors.js';
import { smallBody } from '../../src/http/public/request.js';
import { ACCEPTED_BODY } from '../../src/http/public/signup-routes.js';
import { publicApp } from '../../src/http/public/index.js';
import { createDevMailboxMailer } from '../../src/mail/dev-mailbox.js';
import type { BenchResult } from './run.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

export interface Load {
  rps: number;
  /** Server CPU (this process) per answered request: steadier than throughput on a shared machine. */
  cpuUsPerReq: number;
  p99Ms: number;
  completed: number;
  errors: number;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) };

export default async function benchSignup(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'recap-bench-signup-'));
  const handle = openSqlite(join(dir, 'recap.db'));
  migrateSqlite(handle.sqlite);
  const config = testConfig({ env: 'production', signupRatePerMin: 0, databasePath: join(dir, 'recap.db') });
  const deps: Deps = { db: handle.db, clock: systemClock, config, log: silent, mailer: createDevMailboxMailer(handle.db, systemClock) };
  // As src/entry/node.ts runs it: WAL checkpoints on their own thread.
  const checkpointer = startCheckpointer(handle, join(dir, 'recap.db'), silent);
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const port = (server.address() as AddressInfo).port;
  config.publicUrl = `http://127.0.0.1:${port}`;
  // The same signup path with one transaction per request, to show what the group commit buys.
  const serial = new Hono().route('/', publicApp(deps, { signups: createSignupService(deps, { maxBatch: 1 }) }));
  const serialServer = serve({ fetch: serial.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => serialServer.once('listening', () => r()));
  const serialPort = (serialServer.address() as AddressInfo).port;
  // Validation only: what any storage design in this one process could at best reach.
  const bare = new Hono();
  bare.get('/health', (c) => c.json({ ok: true }));
  bare.post('/api/subscribe', smallBody(), async (c) => {
    const parsed = parseSignupBody(await readJson(c));
    return parsed.ok ? c.json(ACCEPTED_BODY, 202) : c.json(errorBody('validation_failed', parsed.message), 422);
  });
  const bareServer = serve({ fetch: bare.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => bareServer.once('listening', () => r()));
  const barePort = (bareServer.address() as AddressInfo).port;
  const wrk = spawnSync('wrk', ['--version']).error ? null : 'wrk';

  try {
    const run = async (kind: 'health' | 'signup', seconds: number, tag: string, on = port): Promise<Load> => {
      const cpu0 = process.cpuUsage();
      const load = wrk ? await runWrk(on, kind, seconds, dir, tag) : await runNode(on, kind, seconds, tag);
      const cpu = process.cpuUsage(cpu0);
      return { ...load, cpuUsPerReq: (cpu.user + cpu.system) / Math.max(1, load.completed) };
    };
    await run('health', 2, 'warm'); // JIT, template cache, SQLite page cache
    await run('signup', 2, 'warm');
    const health = await run('health', SECONDS, 'h');
    const signup = await run('signup', SECONDS, 's');
    await run('signup', 1, 'warm2', serialPort);
    const oneByOne = await run('signup', SECONDS, 'n', serialPort);
    await run('signup', 1, 'warm3', barePort);
    const bareHealth = await run('health', SECONDS, 'bh', barePort);
    const validateOnly = await run('signup', SECONDS, 'v', barePort);
    const serviceUs = await serviceCpuPerSignup(deps);
    const floorUs = sqliteFloorPerSignup(join(dir, 'floor.db'));
    const measured = (table: 'subscribers' | 'deliveries', column: 'email' | 'to_email') =>
      handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(column, 'like', 'bench-s-%')
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const stored = await measured('subscribers', 'email');
    const mails = await measured('deliveries', 'to_email');
    const ratio = signup.rps / health.rps;
    const tool = wrk ? `wrk, ${CONNECTIONS} connections, ${SECONDS}s each` : `node load loop, ${CONNECTIONS} connections, ${SECONDS}s each`;
    const answered = signup.completed - signup.errors;
    return [
      {
        name: 'signup throughput / health',
        value: ratio,
        unit: 'x',
        target: '≥ 0.4',
        pass: ratio >= 0.4,
        note: `${Math.round(signup.rps)} vs ${Math.round(health.rps)} req/s (${tool}${checkpointer.active ? '' : '; CHECKPOINT THREAD NOT RUNNING'})`,
      },
      {
        name: 'signup / health by server CPU per request',
        value: health.cpuUsPerReq / signup.cpuUsPerReq,
        unit: 'x',
        note: `${Math.round(signup.cpuUsPerReq)} vs ${Math.round(health.cpuUsPerReq)} µs; steadier than req/s when the machine is shared`,
      },
      {
        name: 'one transaction per signup / health',
        value: oneByOne.rps / health.rps,
        unit: 'x',
        note: `${Math.round(oneByOne.rps)} req/s, ${Math.round(oneByOne.cpuUsPerReq)} µs CPU, p99 ${oneByOne.p99Ms.toFixed(1)} ms: the same path without group commit`,
      },
      { name: 'signup p99 latency', value: signup.p99Ms, unit: 'ms', note: `health p99 ${health.p99Ms.toFixed(2)} ms` },
      {
        name: 'ceiling: validate-only POST / health (no storage)',
        value: validateOnly.rps / bareHealth.rps,
        unit: 'x',
        note: `${Math.round(validateOnly.rps)} vs ${Math.round(bareHealth.rps)} req/s, ${Math.round(validateOnly.cpuUsPerReq)} vs ${Math.round(bareHealth.cpuUsPerReq)} µs CPU: reading and validating the body, answered 202, same bare app for both`,
      },
      {
        name: 'signup service alone (no HTTP), CPU per signup',
        value: serviceUs,
        unit: 'µs',
        note: `hash, group commit of 64, subscriber + consent + queued confirmation; /health costs ${Math.round(health.cpuUsPerReq)} µs per request`,
      },
      {
        name: 'SQLite alone, CPU per signup',
        value: floorUs,
        unit: 'µs',
        note: 'the same three rows and lookup as prepared statements in 64-row transactions, data prepared beforehand: the floor under any code around them',
      },
      {
        // wrk counts requests it finished; a few more may have been stored as the run was cut off.
        name: 'signups stored per 2xx answer',
        value: stored / Math.max(1, answered),
        unit: 'x',
        target: '≥ 1',
        pass: stored >= answered && mails === stored,
        note: `${stored} rows and ${mails} confirmation mails for ${answered} answered (${signup.errors} errors/timeouts)`,
      },
    ];
  } finally {
    await new Promise<void>((r) => bareServer.close(() => r()));
    await new Promise<void>((r) => serialServer.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
    await checkpointer.stop();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real signup service driven directly, 64 concurrent submits at a time: its CPU per stored signup. */
async function serviceCpuPerSignup(deps: Deps): Promise<number> {
  const service = createSignupService(deps);
  let n = 0;
  const round = () =>
    Promise.all(
      Array.from({ length: 64 }, () =>
        service.submit({ email: `bench-direct-${n++}@example.com`, name: null, topics: ['models'], formVersion: 'bench' }, 'api', {
          ip: '127.0.0.1',
          userAgent: 'bench',
        }),
      ),
    );
  for (let i = 0; i < 50; i++) await round();
  const cpu0 = process.cpuUsage();
  const rounds = 300;
  for (let i = 0; i < rounds; i++) await round();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / (rounds * 64);
}

/** The storage floor: the signup's statements straight on better-sqlite3, nothing else in the loop. */
function sqliteFloorPerSignup(path: string): number {
  const { sqlite } = openSqlite(path);
  migrateSqlite(sqlite);
  const find = sqlite.prepare('SELECT * FROM subscribers WHERE email_hash IN (SELECT value FROM json_each(?)) OR email IN (SELECT value FROM json_each(?))');
  const addSubscribers = sqlite.prepare(
    `INSERT INTO subscribers (email, email_hash, public_id, name, status, topics, source, created_at, updated_at, last_confirmation_sent_at)
     SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, NULL, 'pending', '["models"]', 'api', @now, @now, @now FROM json_each(@rows) AS j RETURNING id`,
  );
  const addConsents = sqlite.prepare(
    `INSERT INTO consents (subscriber_id, action, source, form_version, ip_hash, user_agent, created_at)
     SELECT j.value, 'signup', 'api', 'bench', @ip, 'bench', @now FROM json_each(@rows) AS j`,
  );
  const addMails = sqlite.prepare(
    `INSERT INTO deliveries (kind, to_email, subscriber_id, payload, priority, status, created_at, updated_at)
     SELECT 'confirm', s.email, s.id, json_object('template', 'confirm', 'publicId', s.public_id, 'expiresAt', 1800000000, 'name', NULL), 10, 'queued', @now, @now
     FROM json_each(@rows) AS j JOIN subscribers AS s ON s.id = j.value`,
  );
  const ipHash = 'a'.repeat(64);
  const batches = Array.from({ length: 400 }, (_, b) => {
    const rows = Array.from({ length: 64 }, (_, i) => {
      const email = `floor-${b}-${i}@example.com`;
      return [email, createHash('sha256').update(email).digest('hex'), newPublicId()];
    });
    return { rows: JSON.stringify(rows), hashes: JSON.stringify(rows.map((r) => r[1])), emails: JSON.stringify(rows.map((r) => r[0])) };
  });
  const write = sqlite.transaction((b: (typeof batches)[number]) => {
    const now = new Date().toISOString();
    find.all(b.hashes, b.emails);
    const ids = JSON.stringify((addSubscribers.all({ rows: b.rows, now }) as { id: number }[]).map((r) => r.id));
    addConsents.run({ rows: ids, now, ip: ipHash });
    addMails.run({ rows: ids, now });
  });
  for (const b of batches.slice(0, 100)) write.immediate(b);
  const cpu0 = process.cpuUsage();
  for (const b of batches.slice(100)) write.immediate(b);
  const cpu = process.cpuUsage(cpu0);
  sqlite.close();
  return (cpu.user + cpu.system) / (300 * 64);
}

async function runWrk(port: number, kind: 'health' | 'signup', seconds: number, dir: string, tag: string): Promise<Omit<Load, 'cpuUsPerReq'>> {
  const url = `http://127.0.0.1:${port}${kind === 'health' ? '/health' : '/api/subscribe'}`;
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency'];
  if (kind === 'signup') {
    // One Lua state per thread: the thread id keeps every address unique.
    const script = join(dir, `signup-${tag}.lua`);
    writeFileSync(
      script,
      `local n = 0
local id = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) id = tid or 0 end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format('{"email":"bench-${tag}-%d-%d@example.com","topics":["models"]}', id, n))
end
`,
    );
    args.push('-s', script);
  }
  args.push(url);
  return runWrkArgs(args);
}

/** wrk with these arguments, parsed (also used by test/bench/clicks.bench.ts). */
export async function runWrkArgs(args: string[]): Promise<Omit<Load, 'cpuUsPerReq'>> {
  // Asynchronously: the server under test runs on this very event loop.
  const r = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('wrk', args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout, stderr }));
  });
  const out = r.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const completed = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sockErr = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const p99 = /99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  const p99Ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 1e-3 : p99[2] === 's' ? 1e3 : 1) : NaN;
  if (!rps) throw new Error(`wrk failed: ${r.stderr || out}`);
  return { rps, p99Ms, completed, errors: non2xx + (sockErr ? sockErr.slice(1).reduce((a, b) => a + Number(b), 0) : 0) };
}

async function runNode(port: number, kind: 'health' | 'signup', seconds: number, tag: string): Promise<Omit<Load, 'cpuUsPerReq'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const end = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const body = kind === 'signup' ? JSON.stringify({ email: `bench-${tag}-${n++}@example.com`, topics: ['models'] }) : undefined;
      const t0 = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: body ? 'POST' : 'GET',
          path: body ? '/api/subscribe' : '/health',
          headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 300) errors++;
            latencies.push(performance.now() - t0);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, completed: latencies.length, errors };
}

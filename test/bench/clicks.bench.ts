// GET /r/:token throughput as a ratio to GET /health, both measured in this run against the real app on 127.0.0.1 with
// clicks counted as `npm start` counts them (in memory, written once a second). Target ≥ 0.6. Then every click must be
// in the database: stored (people's + scanners') per answered redirect ≥ 1. Needs wrk (apt-get install -y wrk).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { testConfig } from '../../src/config.js';
import { systemClock, type Deps, type Logger } from '../../src/core/deps.js';
import { ingestEvents } from '../../src/core/events/ingest-events.js';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import { signClickToken } from '../../src/core/issues/click-tokens.js';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { prepareIssueSend } from '../../src/core/send/prepare-issue.js';
import { createClickBuffer } from '../../src/db/click-buffer.js';
import { migrateSqlite } from '../../src/db/sqlite/migrate.js';
import { openSqlite } from '../../src/db/sqlite/open-sqlite.js';
import { createApp } from '../../src/http/app.js';
import { createDevMailboxMailer } from '../../src/mail/dev-mailbox.js';
import { eventInput } from '../factories.js';
import type { BenchResult } from './run.js';
import { runWrkArgs } from './signup.bench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const silent: Logger = { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) };

export default async function benchClicks(): Promise<BenchResult[]> {
  if (spawnSync('wrk', ['--version']).error) return [{ name: 'click redirect / health', value: Number.NaN, unit: 'x', note: 'wrk is not installed' }];
  const dir = mkdtempSync(join(tmpdir(), 'recap-bench-clicks-'));
  const handle = openSqlite(join(dir, 'recap.db'));
  migrateSqlite(handle.sqlite);
  const config = testConfig({ env: 'production', tracking: 'aggregate', databasePath: join(dir, 'recap.db') });
  const clickSink = createClickBuffer(handle.db, { onError: (e) => console.error('click flush failed', e) });
  const deps: Deps = { db: handle.db, clock: systemClock, config, log: silent, mailer: createDevMailboxMailer(handle.db, systemClock), clickSink };
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.publicUrl = base;

  try {
    const issueId = await sentIssue(deps);
    // an hour after the send started: these are people's clicks, not the scanner window's
    handle.sqlite.prepare('UPDATE issues SET started_at = ? WHERE id = ?').run(new Date(Date.now() - 3600_000).toISOString(), issueId);
    const eventId = (handle.sqlite.prepare('SELECT event_id FROM issue_links WHERE issue_id = ? LIMIT 1').get(issueId) as { event_id: number }).event_id;
    const link = `${base}/r/${await signClickToken(config.appSecret, { issueId, edition: 0, eventId })}`;
    const load = async (url: string, seconds: number) => {
      const cpu0 = process.cpuUsage();
      const r = await runWrkArgs(['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', `User-Agent: ${BROWSER}`, url]);
      const cpu = process.cpuUsage(cpu0);
      return { ...r, cpuUsPerReq: (cpu.user + cpu.system) / Math.max(1, r.completed) };
    };
    await load(`${base}/health`, 2); // JIT and caches
    await load(link, 2);
    await clickSink.flush();
    const before = stored(handle.sqlite, issueId);
    const health = await load(`${base}/health`, SECONDS);
    const clicks = await load(link, SECONDS);
    await clickSink.flush();
    const counted = stored(handle.sqlite, issueId) - before;
    const answered = clicks.completed - clicks.errors;
    const ratio = clicks.rps / health.rps;
    return [
      {
        name: 'click redirect throughput / health',
        value: ratio,
        unit: 'x',
        target: '≥ 0.6',
        pass: ratio >= 0.6,
        note: `${Math.round(clicks.rps)} vs ${Math.round(health.rps)} req/s (wrk, ${CONNECTIONS} connections, ${SECONDS}s each); p99 ${clicks.p99Ms.toFixed(2)} vs ${health.p99Ms.toFixed(2)} ms`,
      },
      {
        name: 'click redirect / health by server CPU per request',
        value: health.cpuUsPerReq / clicks.cpuUsPerReq,
        unit: 'x',
        note: `${Math.round(clicks.cpuUsPerReq)} vs ${Math.round(health.cpuUsPerReq)} µs`,
      },
      {
        // wrk counts the requests it finished; a few more may have been answered as the run was cut off.
        name: 'clicks stored per answered redirect',
        value: counted / Math.max(1, answered),
        unit: 'x',
        target: '≥ 1',
        pass: counted >= answered,
        note: `${counted} clicks stored for ${answered} answered 302s (${clicks.errors} errors/timeouts)`,
      },
    ];
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await clickSink.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function stored(sqlite: ReturnType<typeof openSqlite>['sqlite'], issueId: string): number {
  const r = sqlite.prepare('SELECT coalesce(sum(clicks + scanner_clicks), 0) AS n FROM click_counts WHERE issue_id = ?').get(issueId) as { n: number };
  return Number(r.n);
}

/** An issue started and frozen the way the sender does it, so its links are in issue_links. */
async function sentIssue(deps: Deps): Promise<string> {
  const now = Date.now();
  const heads = ['Quantum ledger ships chips', 'Harbor turbine raises funds', 'Violet compass opens weights'];
  await ingestEvents(deps, {
    events: heads.map((title, i) =>
      eventInput({ title, url: `https://news.example.com/s/${i}`, publishedAt: new Date(now - (i + 1) * 3600_000).toISOString() }),
    ),
  });
  const { issue } = await buildDraft(deps);
  await startSending(deps, issue.id);
  await prepareIssueSend(deps, issue.id);
  return issue.id;
}

// The CSV export streams page by page without holding the event loop: /health answers while a large export streams
// to a fast or a slow client, and the file still has every row once, across page boundaries.
import { afterEach, describe, expect, it } from 'vitest';
import { completeSignIn, createSignInLink, ensureEditors } from '../src/core/editors/editor-auth.js';
import { makeDeps, realClock, type TestDeps } from './helpers/deps.js';
import { seedSubscribers } from './helpers/seed.js';
import { freePort } from './helpers/server.js';
import { LISTEN_LINE, startServerProcess, type ServerProcess } from './helpers/server-process.js';

let deps: TestDeps | undefined;
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await deps?.cleanup();
});

const ROWS = 100_000; // 100 pages of 1,000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startWithExport() {
  deps = makeDeps({ clock: realClock(), config: { editorEmails: ['ed@example.com'] } });
  const emails = seedSubscribers(deps.testDb.sqlite, ROWS);
  await ensureEditors(deps);
  const editor = await deps.db.selectFrom('editors').select('id').where('email', '=', 'ed@example.com').executeTakeFirstOrThrow();
  const link = new URL(await createSignInLink(deps, editor.id));
  const signedIn = await completeSignIn(deps, link.searchParams.get('token')!);
  if (!signedIn.ok) throw new Error('sign-in failed');
  const server = startServerProcess({
    env: { DATABASE_PATH: deps.testDb.path, APP_SECRET: deps.config.appSecret, DEMO_DATA: 'false', HOST: '127.0.0.1', PORT: String(await freePort()) },
  });
  servers.push(server);
  const [, port] = await server.waitFor(LISTEN_LINE);
  return { emails, base: `http://127.0.0.1:${port}`, cookie: `wr_editor=${signedIn.sessionId}` };
}

/** Streams the export, asking /health once the first chunk is in; when each finished, and the CSV's lines. */
async function exportWhileProbing(base: string, cookie: string, pauseMs: number) {
  const res = await fetch(`${base}/editor/subscribers/export.csv`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let health: Promise<{ status: number; at: number }> | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    health ??= fetch(`${base}/health`).then(async (r) => ({ status: r.status, at: (await r.text(), performance.now()) }));
    if (pauseMs) await sleep(pauseMs);
  }
  const exportDoneAt = performance.now();
  const h = await health!;
  return { lines: text.split('\r\n').filter(Boolean), healthStatus: h.status, healthAt: h.at, exportDoneAt };
}

function expectComplete(lines: string[], emails: string[]) {
  expect(lines[0]).toBe('email,name,status,topics,source,created_at,confirmed_at,unsubscribed_at');
  const got = lines.slice(1).map((l) => l.split(',')[0]);
  expect(got.length).toBe(emails.length);
  expect(new Set(got).size).toBe(got.length); // no row twice across page boundaries
  expect(got).toEqual(emails); // every row, in id order
}

describe('CSV export of many rows', () => {
  it('lets /health answer while it streams to a fast client, and the file has every row once', async () => {
    const { emails, base, cookie } = await startWithExport();
    const r = await exportWhileProbing(base, cookie, 0);
    expect(r.healthStatus).toBe(200);
    expect(r.healthAt).toBeLessThan(r.exportDoneAt);
    expectComplete(r.lines, emails);
  }, 120_000);

  it('lets /health answer while it streams to a slow client', async () => {
    const { emails, base, cookie } = await startWithExport();
    const r = await exportWhileProbing(base, cookie, 15);
    expect(r.healthStatus).toBe(200);
    expect(r.healthAt).toBeLessThan(r.exportDoneAt);
    expectComplete(r.lines, emails);
  }, 120_000);
});

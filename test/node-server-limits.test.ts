// Slow or idle clients cannot hold the Node server's connections: the limits npm start applies, shortened, on a real server.
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveWithLimits, SERVER_LIMITS, type ServerLimits } from '../src/entry/node/server-limits.js';
import { createApp } from '../src/http/app.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';

/** Node's defaults (300 s for a request, 60 s for headers, checked every 30 s) would cut nothing within this. */
const GIVE_UP_MS = 6_000;

const open: { server: Server; deps: TestDeps; sockets: Socket[]; timers: NodeJS.Timeout[] }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.timers.forEach(clearInterval);
    for (const s of o.sockets) s.destroy();
    await new Promise<void>((r) => {
      o.server.close(() => r());
      o.server.closeAllConnections();
    });
    await o.deps.cleanup();
  }
});

async function start(limits: Partial<ServerLimits>) {
  const deps = makeDeps({ config: { signupRatePerMin: 0 } });
  const app = createApp(deps);
  let server!: Server;
  const port = await new Promise<number>((resolve) => {
    server = serveWithLimits({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, { ...SERVER_LIMITS, checkIntervalMs: 100, ...limits }, (info) =>
      resolve(info.port),
    );
  });
  const entry = { server, deps, sockets: [] as Socket[], timers: [] as NodeJS.Timeout[] };
  open.push(entry);
  const url = `http://127.0.0.1:${port}`;
  /** A raw TCP client: everything the server wrote and when it closed the connection (or that it never did). */
  const raw = async () => {
    const socket = connect(port, '127.0.0.1');
    entry.sockets.push(socket);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const startedAt = Date.now();
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('error', () => undefined);
    const ended = new Promise<{ text: string; ms: number } | 'still open'>((resolve) => {
      const t = setTimeout(() => resolve('still open'), GIVE_UP_MS);
      socket.once('close', () => {
        clearTimeout(t);
        resolve({ text, ms: Date.now() - startedAt });
      });
    });
    const drip = (chunk: () => string, everyMs: number) => entry.timers.push(setInterval(() => socket.writable && socket.write(chunk()), everyMs));
    return { socket, ended, drip };
  };
  return { server, deps, url, raw };
}

describe('Node server limits', () => {
  it('cuts a drip-fed body with a 408 once the request timeout passes, and keeps serving meanwhile and after', async () => {
    const site = await start({ requestTimeoutMs: 1_500, headersTimeoutMs: 1_000 });
    const slow = await site.raw();
    slow.socket.write('POST /api/subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    // one byte every 200 ms: the 100-byte body would take 20 s
    slow.drip(() => ' ', 200);

    const during = await fetch(`${site.url}/health`);
    expect(during.status).toBe(200);

    const cut = await slow.ended;
    expect(cut, 'the slow client was never cut').not.toBe('still open');
    if (cut === 'still open') return;
    expect(cut.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.ms).toBeGreaterThanOrEqual(1_300);
    expect(cut.ms).toBeLessThan(4_000);

    const after = await fetch(`${site.url}/health`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ok: true });
    // The handler that was waiting for the body sees bad input, not a server failure.
    expect(site.deps.log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('cuts a client that never finishes its headers', async () => {
    const site = await start({ requestTimeoutMs: 2_000, headersTimeoutMs: 1_000 });
    const slow = await site.raw();
    slow.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    slow.drip(() => `X-Slow-${n++}: a\r\n`, 200);

    const cut = await slow.ended;
    expect(cut, 'the slow client was never cut').not.toBe('still open');
    if (cut === 'still open') return;
    expect(cut.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.ms).toBeLessThan(3_000);
    expect((await fetch(`${site.url}/health`)).status).toBe(200);
  });

  it('refuses connections beyond the cap and serves again once one closes', async () => {
    const site = await start({ maxConnections: 3 });
    const held = [await site.raw(), await site.raw(), await site.raw()];
    await waitFor(async () => (await connections(site.server)) === 3);

    const extra = await site.raw();
    const refused = await extra.ended;
    expect(refused, 'the connection over the cap was kept').not.toBe('still open');
    if (refused !== 'still open') expect(refused.text).toBe('');

    held[0].socket.destroy();
    await waitFor(async () => (await connections(site.server)) === 2);
    expect((await fetch(`${site.url}/health`, { headers: { connection: 'close' } })).status).toBe(200);
  });

  it('uses 30 s for a request, 10 s for headers and caps connections by default', () => {
    expect(SERVER_LIMITS).toMatchObject({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
    expect(SERVER_LIMITS.maxConnections).toBeGreaterThan(0);
  });
});

function connections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

async function waitFor(check: () => Promise<boolean>, ms = 3_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

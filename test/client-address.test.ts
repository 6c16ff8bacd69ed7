// One client address, one rule, for every limiter: behind a trusted proxy the last X-Forwarded-For hop (the one
// our proxy appended), else the socket's peer; a client cannot pick a fresh address by writing its own first hop.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress } from '../src/http/client-address.js';
import { EDITOR, startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { startPublicSite, type PublicSite } from './helpers/public-site.js';
import { startServer } from './helpers/server.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function signinAsker(site: EditorSite) {
  const page = await fetch(`${site.url}/editor/signin`);
  const cookie = /wr_presession=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0];
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1];
  return async (email: string, xff?: string) => {
    const res = await fetch(`${site.url}/editor/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...(xff ? { 'x-forwarded-for': xff } : {}) },
      body: new URLSearchParams({ csrf: token, email }),
    });
    await res.arrayBuffer();
    return res.status;
  };
}

describe('the per-client sign-in limit', () => {
  it('holds behind a trusted proxy when the client writes a different first X-Forwarded-For hop each time', async () => {
    const site = await startEditorSite({ config: { trustProxy: true } });
    open.push(site);
    const ask = await signinAsker(site);
    const statuses: number[] = [];
    // A different address each time, so only the per-client limit (20 per 15 minutes) can refuse.
    for (let i = 0; i < 22; i++) statuses.push(await ask(`stranger-${i}@example.com`, `198.51.100.${i}, 203.0.113.50`));
    expect(statuses.slice(0, 20).every((s) => s === 303)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // Another client behind the same proxy is not held up.
    expect(await ask(EDITOR, '198.51.100.1, 203.0.113.51')).toBe(303);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: the socket peer is the client', async () => {
    const site = await startEditorSite({ config: { trustProxy: false } });
    open.push(site);
    const ask = await signinAsker(site);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push(await ask(`stranger-${i}@example.com`, `203.0.113.${i}`));
    expect(statuses[20]).toBe(429);
  });
});

describe('the signup limit', () => {
  it('uses the same rule: spoofed first hops from one proxied client share one bucket', async () => {
    const site: PublicSite = await startPublicSite({ config: { trustProxy: true, signupRatePerMin: 2 } });
    open.push(site);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await site.postJson('/api/subscribe', { email: `limit-${i}@example.com` }, { 'x-forwarded-for': `10.9.8.${i}, 203.0.113.60` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([202, 202, 429]);
  });
});

describe('clientAddress', () => {
  const probe = (trustProxy: boolean) => {
    const app = new Hono();
    app.get('/', (c) => c.text(clientAddress(c, trustProxy) ?? 'none'));
    return app;
  };

  it('takes the last hop behind a trusted proxy, else the socket peer (Node)', async () => {
    for (const [trust, want] of [
      [true, '203.0.113.7'],
      [false, '127.0.0.1'],
    ] as const) {
      const server = await startServer(probe(trust));
      open.push(server);
      const res = await fetch(server.url, { headers: { 'x-forwarded-for': '10.0.0.1, 203.0.113.7' } });
      expect((await res.text()).replace(/^::ffff:/, '')).toBe(want);
    }
  });

  it("takes Cloudflare's CF-Connecting-IP where there is no socket (Workers), never a client-written X-Forwarded-For", async () => {
    const res = await probe(false).request('/', { headers: { 'cf-connecting-ip': '198.51.100.77', 'x-forwarded-for': '10.0.0.1' } });
    expect(await res.text()).toBe('198.51.100.77');
    expect(await (await probe(false).request('/')).text()).toBe('none');
  });
});

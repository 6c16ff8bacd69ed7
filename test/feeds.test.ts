import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countEvents, getEventByExternalId } from '../src/db/repos/events.js';
import { fetchFeeds } from '../src/jobs/fetch-feeds.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Signal &amp; Noise</title><link>https://s.example</link><description>d</description>
<item><title>RSS story one</title><link>https://s.example/1</link><guid>rss-1</guid><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;First &lt;b&gt;summary&lt;/b&gt;&lt;/p&gt;</description></item>
<item><title>RSS story two</title><link>https://s.example/2</link><pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`;
const ATOM = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>虎嗅</title><id>urn:huxiu</id><updated>2026-11-25T00:00:00Z</updated>
<entry><title>Atom 新闻 一</title><id>urn:huxiu:1</id><link href="https://h.example/a/1"/><updated>2026-11-25T08:00:00Z</updated><summary>摘要</summary></entry></feed>`;
const JSONFEED = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON Wire', items: [{ id: 'j1', url: 'https://j.example/1', title: 'JSON story 🚀', date_published: '2026-11-23T09:00:00Z', summary: 'S' }] });

let server: Server;
let base: string;
let deps: TestDeps;
let hits: Record<string, { ifNoneMatch?: string }[]> = {};

beforeEach(async () => {
  deps = makeDeps();
  hits = {};
  server = createServer((req, res) => {
    (hits[req.url!] ??= []).push({ ifNoneMatch: req.headers['if-none-match'] as string | undefined });
    if (req.url === '/rss') {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      return void res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(RSS);
    }
    if (req.url === '/atom') return void res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(ATOM);
    if (req.url === '/json') return void res.writeHead(200, { 'content-type': 'application/feed+json' }).end(JSONFEED);
    if (req.url === '/broken') return void res.writeHead(200, { 'content-type': 'application/xml' }).end('<rss><channel><item><title>unterminated');
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  await deps.cleanup();
});

describe('feed ingest', () => {
  it('maps RSS, Atom and JSON Feed items to events; a bad or unreachable feed is skipped, the rest go on', async () => {
    const out = await fetchFeeds(deps, { urls: [`${base}/broken`, `${base}/rss`, 'http://127.0.0.1:1/closed', `${base}/atom`, `${base}/json`, `${base}/missing`] });
    expect(out.map((o) => [o.status, o.stored])).toEqual([[null, 0], [200, 2], [null, 0], [200, 1], [200, 1], [404, 0]]);
    expect(out[0].error).toMatch(/not a valid/);
    expect(await countEvents(deps.db)).toBe(4);
    expect(await getEventByExternalId(deps.db, 'feed:rss-1')).toMatchObject({ title: 'RSS story one', sourceName: 'Signal & Noise', summary: 'First summary', publishedAt: '2026-11-24T10:00:00.000Z' });
    expect(await getEventByExternalId(deps.db, 'feed:https://s.example/2')).toMatchObject({ title: 'RSS story two' });
    expect(await getEventByExternalId(deps.db, 'feed:urn:huxiu:1')).toMatchObject({ title: 'Atom 新闻 一', sourceName: '虎嗅', url: 'https://h.example/a/1' });
    expect(await getEventByExternalId(deps.db, 'feed:j1')).toMatchObject({ title: 'JSON story 🚀', url: 'https://j.example/1' });
    expect(deps.log.lines.filter((l) => l.level === 'warn')).toHaveLength(3);
  });

  it('uses conditional GET: the second fetch sends the ETag and a 304 changes nothing', async () => {
    await fetchFeeds(deps, { urls: [`${base}/rss`] });
    const second = await fetchFeeds(deps, { urls: [`${base}/rss`] });
    expect(second).toEqual([{ url: `${base}/rss`, status: 304, stored: 0, rejected: 0 }]);
    expect(hits['/rss'].map((h) => h.ifNoneMatch)).toEqual([undefined, '"v1"']);
    expect(await countEvents(deps.db)).toBe(2);
  });
});

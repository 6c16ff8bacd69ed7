// Feed ingest: RSS 2.0, Atom and JSON Feed parsed by feedsmith, served by a real HTTP server on 127.0.0.1, stored in real SQLite.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventInputSchema } from '../src/core/events/event.js';
import { externalIdFor, FeedParseError, mapFeedItemToEventInput, parseFeed, type FeedItem } from '../src/core/events/feed-parse.js';
import { countEvents, getEventByExternalId } from '../src/db/repos/events.js';
import { getFeedState } from '../src/db/repos/feeds.js';
import { fetchFeeds, type FeedState } from '../src/jobs/fetch-feeds.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';

const RSS = `<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Signal &amp; Noise</title><link>https://s.example/</link><description>AI news</description>
<item><title>RSS story one</title><link>https://s.example/1</link><guid isPermaLink="false">rss-1</guid>
  <pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;First &lt;b&gt;summary&lt;/b&gt; &amp;amp; more&lt;/p&gt;</description>
  <media:thumbnail url="/img/1.jpg"/></item>
<item><title>RSS story two</title><guid>https://s.example/2</guid><dc:date>2026-11-25T11:00:00+01:00</dc:date></item>
<item><title>Undated story</title><link>https://s.example/3</link></item>
<item><title>Relative link</title><link>/4</link><pubDate>Wed, 25 Nov 2026 12:00:00 +0000</pubDate></item>
</channel></rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>虎嗅</title><id>urn:huxiu</id><updated>2026-11-25T00:00:00Z</updated>
<link rel="alternate" href="https://h.example/"/>
<entry><title type="html">Atom 新闻 &lt;em&gt;一&lt;/em&gt;</title><id>urn:huxiu:1</id>
  <link rel="self" href="https://h.example/api/1"/><link rel="alternate" href="https://h.example/a/1"/>
  <link rel="enclosure" type="image/png" href="https://h.example/a/1.png"/>
  <published>2026-11-25T08:00:00Z</published><updated>2026-11-26T08:00:00Z</updated><summary>摘要</summary></entry>
</feed>`;

const JSON_FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'JSON Wire',
  home_page_url: 'https://j.example/',
  items: [
    {
      id: 'j1',
      url: 'https://j.example/1',
      title: 'JSON story 🚀',
      date_published: '2026-11-23T09:00:00Z',
      content_html: '<p>Hello &amp; welcome</p>',
      image: 'https://j.example/1.jpg',
    },
  ],
});

const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  guid: 'https://s.example/1',
  title: 'A story',
  url: 'https://s.example/1',
  publishedAt: '2026-11-24T10:00:00.000Z',
  sourceName: 'Signal',
  ...over,
});

describe('parseFeed', () => {
  it('reads RSS 2.0: decoded text, guid or link, RFC 822 and Dublin Core dates, images; undated items left out', () => {
    const feed = parseFeed(RSS, 'application/rss+xml');
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Signal & Noise');
    expect(feed.items).toEqual([
      {
        guid: 'rss-1',
        title: 'RSS story one',
        url: 'https://s.example/1',
        publishedAt: '2026-11-24T10:00:00.000Z',
        summary: 'First summary & more',
        imageUrl: '/img/1.jpg',
        sourceName: 'Signal & Noise',
        sourceUrl: 'https://s.example/',
      },
      {
        guid: 'https://s.example/2',
        title: 'RSS story two',
        url: 'https://s.example/2',
        publishedAt: '2026-11-25T10:00:00.000Z',
        summary: undefined,
        imageUrl: undefined,
        sourceName: 'Signal & Noise',
        sourceUrl: 'https://s.example/',
      },
      expect.objectContaining({ title: 'Relative link', url: '/4', publishedAt: '2026-11-25T12:00:00.000Z' }),
    ]);
    expect(feed.skipped).toEqual([{ index: 2, reason: 'no valid date' }]);
  });

  it('reads Atom: the alternate link, published before updated, HTML titles as text', () => {
    const feed = parseFeed(ATOM);
    expect(feed.format).toBe('atom');
    expect(feed.items).toEqual([
      {
        guid: 'urn:huxiu:1',
        title: 'Atom 新闻 一',
        url: 'https://h.example/a/1',
        publishedAt: '2026-11-25T08:00:00.000Z',
        summary: '摘要',
        imageUrl: 'https://h.example/a/1.png',
        sourceName: '虎嗅',
        sourceUrl: 'https://h.example/',
      },
    ]);
  });

  it('reads JSON Feed', () => {
    const feed = parseFeed(JSON_FEED, 'application/feed+json');
    expect(feed.format).toBe('json');
    expect(feed.items).toEqual([
      {
        guid: 'j1',
        title: 'JSON story 🚀',
        url: 'https://j.example/1',
        publishedAt: '2026-11-23T09:00:00.000Z',
        summary: 'Hello & welcome',
        imageUrl: 'https://j.example/1.jpg',
        sourceName: 'JSON Wire',
        sourceUrl: 'https://j.example/',
      },
    ]);
  });

  it('throws a clear error for anything that is not a feed', () => {
    expect(() => parseFeed('<rss version="2.0"><channel><item><title>unterminated')).toThrow(FeedParseError);
    expect(() => parseFeed('<rss version="2.0"><channel><item><title>unterminated')).toThrow(/not a valid RSS, Atom or JSON feed/);
    expect(() => parseFeed('<!doctype html><html><body>Welcome</body></html>', 'text/html; charset=utf-8')).toThrow(/text\/html, a web page, not a feed/);
    expect(() => parseFeed('{"hello": "world"}', 'application/json')).toThrow(/not a valid/);
    expect(() => parseFeed('  \n', 'application/rss+xml')).toThrow(/empty response/);
  });
});

describe('mapFeedItemToEventInput', () => {
  it('produces an input the event ingest accepts', () => {
    const input = mapFeedItemToEventInput(item({ imageUrl: '/i.png', sourceUrl: 'https://s.example/' }), 'https://s.example/feed.xml');
    expect(eventInputSchema.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({ externalId: 'feed:https://s.example/1', sourceName: 'Signal', imageUrl: 'https://s.example/i.png', topics: [] });
  });

  it('resolves relative links against the feed and names an untitled feed after its host', () => {
    const input = mapFeedItemToEventInput(item({ url: '/4', guid: '/4', sourceName: '' }), 'https://s.example/feeds/all.xml');
    expect(input.url).toBe('https://s.example/4');
    expect(input.sourceName).toBe('s.example');
  });

  it('keeps ids unique across feeds and within the 200-character limit', () => {
    expect(externalIdFor('urn:huxiu:1', 'https://h.example/feed')).toBe('feed:urn:huxiu:1');
    expect(externalIdFor('42', 'https://a.example/feed')).toBe('feed:https://a.example/feed#42');
    expect(externalIdFor('42', 'https://b.example/feed')).not.toBe(externalIdFor('42', 'https://a.example/feed'));
    const long1 = externalIdFor(`https://s.example/${'x'.repeat(300)}?a=1`, 'https://s.example/feed');
    const long2 = externalIdFor(`https://s.example/${'x'.repeat(300)}?a=2`, 'https://s.example/feed');
    expect(long1.length).toBeLessThanOrEqual(200);
    expect(long1).not.toBe(long2);
  });

  it('clips over-long titles to what the ingest accepts', () => {
    const input = mapFeedItemToEventInput(item({ title: 'word '.repeat(200) }), 'https://s.example/feed');
    expect(input.title.length).toBeLessThanOrEqual(500);
    expect(input.title.endsWith('…')).toBe(true);
  });
});

describe('fetchFeeds', () => {
  let server: Server;
  let base: string;
  let deps: TestDeps;
  let requests: { url: string; headers: IncomingHttpHeaders }[];
  let rssVersion: string;

  beforeEach(async () => {
    deps = makeDeps();
    requests = [];
    rssVersion = '"v1"';
    server = createServer((req, res) => {
      requests.push({ url: req.url!, headers: req.headers });
      const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) =>
        void res.writeHead(status, { 'content-type': type, ...extra }).end(body);
      switch (req.url) {
        case '/rss':
          if (req.headers['if-none-match'] === rssVersion) return void res.writeHead(304, { etag: rssVersion }).end();
          return send(200, 'application/rss+xml; charset=utf-8', RSS, { etag: rssVersion });
        case '/atom':
          if (req.headers['if-modified-since'] === 'Wed, 25 Nov 2026 08:00:00 GMT') return void res.writeHead(304).end();
          return send(200, 'application/atom+xml', ATOM, { 'last-modified': 'Wed, 25 Nov 2026 08:00:00 GMT' });
        case '/json':
          return send(200, 'application/feed+json', JSON_FEED);
        case '/latin1':
          return void res
            .writeHead(200, { 'content-type': 'application/rss+xml' })
            .end(
              Buffer.from(RSS.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>').replace('RSS story one', 'Café story'), 'latin1'),
            );
        case '/broken':
          return send(200, 'application/xml', '<rss version="2.0"><channel><item><title>unterminated');
        case '/page':
          return send(200, 'text/html', '<!doctype html><html><body>Not a feed</body></html>');
        case '/hang':
          return; // never answers
        default:
          return send(404, 'text/plain', 'not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await deps.cleanup();
  });

  async function closedPort(): Promise<string> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as AddressInfo;
    await new Promise((r) => s.close(r));
    return `http://127.0.0.1:${port}/feed`;
  }

  it('stores RSS, Atom and JSON Feed items; bad, unreachable and silent feeds are logged and skipped', async () => {
    const unreachable = await closedPort();
    const urls = [`${base}/broken`, `${base}/rss`, unreachable, `${base}/atom`, `${base}/page`, `${base}/json`, `${base}/missing`, `${base}/hang`];
    const out = await fetchFeeds(deps, { urls, timeoutMs: 1500 });

    expect(out.map((o) => [o.outcome, o.status, o.stored])).toEqual([
      ['failed', 200, 0],
      ['updated', 200, 3],
      ['failed', null, 0],
      ['updated', 200, 1],
      ['failed', 200, 0],
      ['updated', 200, 1],
      ['failed', 404, 0],
      ['failed', null, 0],
    ]);
    expect(out[1]).toMatchObject({ items: 4, skipped: 1, rejected: 0 });
    expect(out[0].error).toMatch(/not a valid RSS, Atom or JSON feed/);
    expect(out[2].error).toMatch(/unreachable: ECONNREFUSED/);
    expect(out[4].error).toMatch(/web page/);
    expect(out[6].error).toBe('HTTP 404');
    expect(out[7].error).toBe('no answer within 1500 ms');
    const warned = deps.log.lines.filter((l) => l.level === 'warn').map((l) => l.fields?.url);
    expect(warned.sort()).toEqual([`${base}/broken`, unreachable, `${base}/page`, `${base}/missing`, `${base}/hang`].sort());

    expect(await countEvents(deps.db)).toBe(5);
    expect(await getEventByExternalId(deps.db, `feed:${base}/rss#rss-1`)).toMatchObject({
      title: 'RSS story one',
      url: 'https://s.example/1',
      sourceName: 'Signal & Noise',
      summary: 'First summary & more',
      publishedAt: '2026-11-24T10:00:00.000Z',
      imageUrl: `${base}/img/1.jpg`,
    });
    expect(await getEventByExternalId(deps.db, 'feed:https://s.example/2')).toMatchObject({ title: 'RSS story two' });
    expect(await getEventByExternalId(deps.db, `feed:${base}/4`)).toMatchObject({ title: 'Relative link', url: `${base}/4` });
    expect(await getEventByExternalId(deps.db, 'feed:urn:huxiu:1')).toMatchObject({ title: 'Atom 新闻 一', sourceName: '虎嗅', url: 'https://h.example/a/1' });
    expect(await getEventByExternalId(deps.db, `feed:${base}/json#j1`)).toMatchObject({ title: 'JSON story 🚀', url: 'https://j.example/1' });
    expect(await getFeedState(deps.db, `${base}/broken`)).toMatchObject({ lastStatus: 200, lastError: expect.stringMatching(/not a valid/) });
  });

  it('sends the stored ETag and Last-Modified; a 304 ingests nothing', async () => {
    const urls = [`${base}/rss`, `${base}/atom`, `${base}/json`];
    await fetchFeeds(deps, { urls });
    expect(await getFeedState(deps.db, `${base}/rss`)).toMatchObject({ etag: '"v1"', lastStatus: 200, lastError: null });
    expect(await getFeedState(deps.db, `${base}/atom`)).toMatchObject({ lastModified: 'Wed, 25 Nov 2026 08:00:00 GMT' });
    const events = await countEvents(deps.db);

    const second = await fetchFeeds(deps, { urls });
    expect(second.map((o) => [o.outcome, o.status])).toEqual([
      ['not_modified', 304],
      ['not_modified', 304],
      ['updated', 200], // no validators: fetched in full again, upserted by externalId
    ]);
    const conditional = (path: string) => requests.filter((r) => r.url === path).map((r) => [r.headers['if-none-match'], r.headers['if-modified-since']]);
    expect(conditional('/rss')).toEqual([
      [undefined, undefined],
      ['"v1"', undefined],
    ]);
    expect(conditional('/atom')).toEqual([
      [undefined, undefined],
      [undefined, 'Wed, 25 Nov 2026 08:00:00 GMT'],
    ]);
    expect(await countEvents(deps.db)).toBe(events);
    expect(await getFeedState(deps.db, `${base}/rss`)).toMatchObject({ etag: '"v1"', lastStatus: 304 });

    rssVersion = '"v2"'; // the feed changed: a full answer again
    expect((await fetchFeeds(deps, { urls: [`${base}/rss`] }))[0]).toMatchObject({ outcome: 'updated', status: 200 });
  });

  it('keeps the old validators when storing fails, so the next run fetches the items again', async () => {
    const states = new Map<string, FeedState>();
    const stored: unknown[] = [];
    let failNext = true;
    const options = {
      urls: [`${base}/rss`],
      loadState: async (url: string) => states.get(url) ?? null,
      saveState: async (url: string, s: FeedState) => void states.set(url, s),
      ingest: async (inputs: unknown[]) => {
        if (failNext) {
          failNext = false;
          throw new Error('database is locked');
        }
        stored.push(...inputs);
        return { stored: inputs.length, errors: [] };
      },
    };
    const first = await fetchFeeds({ clock: deps.clock, log: deps.log }, options);
    expect(first[0]).toMatchObject({ outcome: 'failed', error: 'database is locked' });
    expect(states.get(`${base}/rss`)).toMatchObject({ etag: null, lastStatus: 200, lastError: 'database is locked' });

    const second = await fetchFeeds({ clock: deps.clock, log: deps.log }, options);
    expect(second[0]).toMatchObject({ outcome: 'updated', stored: 3 });
    expect(stored).toHaveLength(3);
    expect(states.get(`${base}/rss`)).toMatchObject({ etag: '"v1"', lastError: null });
  });

  it('decodes the charset the feed declares and refuses oversized feeds', async () => {
    const [latin] = await fetchFeeds(deps, { urls: [`${base}/latin1`] });
    expect(latin).toMatchObject({ outcome: 'updated', stored: 3 });
    expect(await getEventByExternalId(deps.db, `feed:${base}/latin1#rss-1`)).toMatchObject({ title: 'Café story' });

    const [big] = await fetchFeeds(deps, { urls: [`${base}/json`], maxBytes: 100 });
    expect(big).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/more than the 100/) });
  });
});

// Pulls FEED_URLS into events (RSS-to-email): conditional GET, a timeout per feed, one bad feed never stops the rest.
import type { Deps } from '../core/deps.js';
import { feedItemToEventInput, parseFeed } from '../core/feed-parse.js';
import { ingestEvents } from '../core/ingest-events.js';
import { getFeedState, saveFeedFetch } from '../db/repos/feeds.js';

export interface FeedOutcome {
  url: string;
  status: number | null;
  stored: number;
  rejected: number;
  error?: string;
}

export async function fetchFeeds(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>,
  opts: { urls?: string[]; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<FeedOutcome[]> {
  const doFetch = opts.fetch ?? fetch;
  const out: FeedOutcome[] = [];
  for (const url of opts.urls ?? deps.config.feedUrls) {
    const atIso = deps.clock.now().toISOString();
    try {
      const state = await getFeedState(deps.db, url);
      const res = await doFetch(url, {
        headers: {
          accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml;q=0.9, */*;q=0.5',
          'user-agent': 'WeeklyAIRecap/1.0 (+feed ingest)',
          ...(state.etag && { 'if-none-match': state.etag }),
          ...(state.lastModified && { 'if-modified-since': state.lastModified }),
        },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      if (res.status === 304) {
        await saveFeedFetch(deps.db, url, { status: 304, error: null, atIso });
        out.push({ url, status: 304, stored: 0, rejected: 0 });
        continue;
      }
      if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
      const body = await res.text();
      const feed = parseFeed(body, deps.clock.now());
      const result = await ingestEvents(deps, feed.items.map((i) => feedItemToEventInput(i, url)).slice(0, 500));
      await saveFeedFetch(deps.db, url, { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified'), status: res.status, error: null, atIso });
      out.push({ url, status: res.status, stored: result.stored, rejected: result.errors.length });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const status = (e as { status?: number }).status ?? null;
      deps.log.warn(`Feed ${url} skipped: ${message}`);
      await saveFeedFetch(deps.db, url, { status, error: message.slice(0, 500), atIso }).catch(() => undefined);
      out.push({ url, status, stored: 0, rejected: 0, error: message });
    }
  }
  return out;
}

// Pulls FEED_URLS into events (RSS-to-email): conditional GET, a timeout and size cap per feed, and one bad feed never stops the rest.
import type { Deps } from '../core/deps.js';
import { MAX_EVENTS_PER_CALL } from '../core/events/event.js';
import { mapFeedItemToEventInput, parseFeed } from '../core/events/feed-parse.js';
import { ingestEvents } from '../core/events/ingest-events.js';
import { getFeedState, saveFeedState, type FeedState } from '../db/repos/feeds.js';

export type { FeedState } from '../db/repos/feeds.js';

export interface IngestOutcome {
  stored: number;
  errors: { index: number; message: string }[];
}

export interface FetchFeedsOptions {
  /** Default: config.feedUrls. */
  urls?: string[];
  fetch?: typeof fetch;
  /** Stores event inputs (at most 500 per call). Default: the event upsert on deps.db. */
  ingest?: (inputs: unknown[]) => Promise<IngestOutcome>;
  /** Conditional-GET state per feed. Default: the feeds table on deps.db. */
  loadState?: (url: string) => Promise<FeedState | null>;
  saveState?: (url: string, state: FeedState) => Promise<void>;
  timeoutMs?: number;
  maxBytes?: number;
  concurrency?: number;
}

export interface FeedOutcome {
  url: string;
  outcome: 'updated' | 'not_modified' | 'failed';
  /** HTTP status, null when there was no response. */
  status: number | null;
  /** Items read from the feed, items stored, items the ingest rejected, items left out (no title, link or date). */
  items: number;
  stored: number;
  rejected: number;
  skipped: number;
  error?: string;
}

const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export async function fetchFeeds(
  deps: Pick<Deps, 'clock' | 'log'> & Partial<Pick<Deps, 'db' | 'config'>>,
  options: FetchFeedsOptions = {},
): Promise<FeedOutcome[]> {
  const urls = options.urls ?? deps.config?.feedUrls ?? [];
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const db = deps.db;
  const needDb = <T>(f: T | undefined, what: string): T => {
    if (f) return f;
    throw new Error(`fetchFeeds needs deps.db or an explicit ${what}`);
  };
  const ingest = options.ingest ?? needDb(db && ((inputs: unknown[]) => ingestEvents({ db, clock: deps.clock }, inputs)), 'ingest');
  const loadState = options.loadState ?? needDb(db && ((url: string) => getFeedState(db, url)), 'loadState');
  const saveState = options.saveState ?? needDb(db && ((url: string, s: FeedState) => saveFeedState(db, url, s)), 'saveState');

  async function fetchOne(url: string): Promise<FeedOutcome> {
    const fetchedAt = deps.clock.now().toISOString();
    const result: FeedOutcome = { url, outcome: 'failed', status: null, items: 0, stored: 0, rejected: 0, skipped: 0 };
    let prev: FeedState | null = null;
    try {
      prev = await loadState(url);
      const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': 'WeeklyAIRecap/1.0 (feed ingest)' };
      if (prev?.etag) headers['if-none-match'] = prev.etag;
      if (prev?.lastModified) headers['if-modified-since'] = prev.lastModified;
      const res = await doFetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      result.status = res.status;
      if (res.status === 304) {
        await res.body?.cancel();
        const etag = res.headers.get('etag') ?? prev?.etag ?? null;
        await saveState(url, { etag, lastModified: prev?.lastModified ?? null, lastFetchedAt: fetchedAt, lastStatus: 304, lastError: null });
        return { ...result, outcome: 'not_modified' };
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      const feed = parseFeed(await readBody(res, maxBytes), res.headers.get('content-type') ?? undefined);
      const inputs = feed.items.map((item) => mapFeedItemToEventInput(item, res.url || url));
      result.items = feed.items.length + feed.skipped.length;
      result.skipped = feed.skipped.length;
      const problems: string[] = feed.skipped.map((s) => `item ${s.index + 1}: ${s.reason}`);
      for (let k = 0; k < inputs.length; k += MAX_EVENTS_PER_CALL) {
        const r = await ingest(inputs.slice(k, k + MAX_EVENTS_PER_CALL));
        result.stored += r.stored;
        result.rejected += r.errors.length;
        problems.push(...r.errors.map((e) => `item ${k + e.index + 1}: ${e.message}`));
      }
      if (problems.length > 0) deps.log.info('feed items left out', { url, count: problems.length, first: problems.slice(0, 3) });
      // Validators are saved only now: had the ingest failed, the next run must fetch the items again.
      await saveState(url, {
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
        lastFetchedAt: fetchedAt,
        lastStatus: res.status,
        lastError: null,
      });
      return { ...result, outcome: 'updated' };
    } catch (e) {
      const error = describeError(e, timeoutMs);
      deps.log.warn('feed skipped', { url, error });
      try {
        await saveState(url, {
          etag: prev?.etag ?? null,
          lastModified: prev?.lastModified ?? null,
          lastFetchedAt: fetchedAt,
          lastStatus: result.status,
          lastError: error.slice(0, 500),
        });
      } catch (saveError) {
        deps.log.warn('feed state not saved', { url, error: describeError(saveError, timeoutMs) });
      }
      return { ...result, error };
    }
  }

  // A few feeds at a time: one slow server costs its own timeout, not everyone's.
  const outcomes: FeedOutcome[] = new Array(urls.length);
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      outcomes[i] = await fetchOne(urls[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, urls.length) }, worker));
  return outcomes;
}

/** The body as text, refusing more than `maxBytes`, decoded with the charset the server or the XML prolog names. */
async function readBody(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new Error(`feed is ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`feed is more than the ${maxBytes} bytes allowed`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const charset =
    /charset=["']?([\w-]+)/i.exec(res.headers.get('content-type') ?? '')?.[1] ?? /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes); // an unknown charset label
  }
}

function describeError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  if (e instanceof TypeError && cause) return `unreachable: ${cause.code ?? cause.message ?? e.message}`;
  return e instanceof Error ? e.message : String(e);
}

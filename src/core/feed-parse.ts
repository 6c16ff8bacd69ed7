// Turns an RSS 2.0, Atom or JSON Feed document into event inputs, through the maintained `feedsmith` parser.
import { parseFeed as parseAny } from 'feedsmith';
import type { EventInput } from './event.js';

export interface FeedItem {
  guid: string;
  title: string;
  url: string;
  publishedAt: string;
  summary?: string;
  sourceName: string;
  imageUrl?: string;
}

type Loose = Record<string, unknown>;

// feedsmith keeps each format's own shape: text may be a string or { value }, links a string or [{ href }].
const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
  if (v && typeof v === 'object' && typeof (v as Loose).value === 'string') return ((v as Loose).value as string).trim() || undefined;
  return undefined;
};
const stripTags = (s: string | undefined) => s?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() || undefined;
const date = (...vs: unknown[]): string | undefined => {
  for (const v of vs) {
    const s = v instanceof Date ? v.toISOString() : str(v);
    if (s && !Number.isNaN(Date.parse(s))) return new Date(s).toISOString();
  }
  return undefined;
};
const atomLink = (links: unknown): string | undefined => {
  if (!Array.isArray(links)) return undefined;
  const alt = links.find((l: Loose) => !l.rel || l.rel === 'alternate') ?? links[0];
  return str((alt as Loose)?.href);
};

/** Throws a clear error for anything that is not a feed. */
export function parseFeed(body: string, fallbackNow: Date = new Date()): { title: string; items: FeedItem[] } {
  let parsed: { format: string; feed: unknown };
  try {
    parsed = parseAny(body) as { format: string; feed: unknown };
  } catch (e) {
    throw new Error(`not a valid RSS, Atom or JSON feed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const feed = parsed.feed as Loose;
  const title = str(feed.title) ?? 'Feed';
  const raw = ((parsed.format === 'atom' ? feed.entries : feed.items) ?? []) as Loose[];
  const items: FeedItem[] = [];
  for (const it of raw) {
    const url =
      parsed.format === 'atom' ? atomLink(it.links) : parsed.format === 'json' ? (str(it.url) ?? str(it.external_url)) : str(it.link);
    const itemTitle = stripTags(str(it.title)) ?? stripTags(str(it.summary))?.slice(0, 120);
    if (!url || !itemTitle) continue;
    const guid = str(parsed.format === 'rss' ? (it.guid as Loose | undefined)?.value ?? it.guid : it.id) ?? url;
    items.push({
      guid,
      title: itemTitle,
      url,
      publishedAt: date(it.pubDate, it.published, it.updated, it.date_published, it.date_modified) ?? fallbackNow.toISOString(),
      summary: stripTags(str(it.description) ?? str(it.summary) ?? str(it.content_text)),
      sourceName: title,
      imageUrl: str(it.image),
    });
  }
  return { title, items };
}

export function feedItemToEventInput(item: FeedItem, feedUrl: string): Partial<EventInput> & Record<string, unknown> {
  let sourceUrl: string | undefined;
  try {
    sourceUrl = new URL(feedUrl).origin;
  } catch {
    sourceUrl = undefined;
  }
  return {
    externalId: `feed:${item.guid}`.slice(0, 200),
    title: item.title.slice(0, 500),
    url: item.url,
    sourceName: item.sourceName.slice(0, 200),
    sourceUrl,
    publishedAt: item.publishedAt,
    summary: item.summary?.slice(0, 5000),
    imageUrl: item.imageUrl?.startsWith('https://') ? item.imageUrl : undefined,
  };
}

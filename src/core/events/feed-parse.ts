// Turns an RSS 2.0, Atom or JSON Feed document (read by the maintained `feedsmith` parser) into event inputs.
import { parseFeed as parseAnyFeed } from 'feedsmith';
import type { EventInput } from './event.js';

export interface FeedItem {
  /** The item's own id (RSS guid, Atom id, JSON Feed id), else its link. */
  guid: string;
  title: string;
  /** As written in the feed; may be relative to the feed's address. */
  url: string;
  /** ISO-8601 UTC. */
  publishedAt: string;
  summary?: string;
  /** The feed's title. */
  sourceName: string;
  /** The feed's home page, when it names one. */
  sourceUrl?: string;
  imageUrl?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json' | 'rdf';
  title: string;
  items: FeedItem[];
  /** Items left out, with the reason (no title, no link, no usable date). */
  skipped: { index: number; reason: string }[];
}

export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

// biome-ignore lint/suspicious/noExplicitAny: RSS, Atom and JSON Feed each have their own shape; fields are checked where they are read
type Loose = Record<string, any>;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
const CONTROL_RUNS = /[\u0000-\u001F\u007F]+/g;

const TITLE_MAX = 500;
const SUMMARY_MAX = 1000;
const EXTERNAL_ID_MAX = 200;

/**
 * Parses a feed body; throws FeedParseError saying what was wrong when it is not one. Items without
 * a date are skipped rather than dated "now": the upsert would re-date them on every change of the
 * feed and they would never leave the current week.
 */
export function parseFeed(body: string, contentType?: string): ParsedFeed {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text) throw new FeedParseError('empty response instead of a feed');
  let parsed: { format: ParsedFeed['format']; feed: Loose };
  try {
    parsed = parseAnyFeed(text) as typeof parsed;
  } catch (e) {
    const what = e instanceof Error ? e.message : String(e);
    const type = contentType?.split(';')[0].trim();
    const hint = type && /html/i.test(type) ? ` (the server sent ${type}, a web page, not a feed)` : type ? ` (content type ${type})` : '';
    throw new FeedParseError(`not a valid RSS, Atom or JSON feed: ${what}${hint}`);
  }
  const { format, feed } = parsed;
  const title = plain(textOf(feed.title)) ?? '';
  const sourceUrl = format === 'atom' ? linkOf(feed.links) : format === 'json' ? textOf(feed.home_page_url) : textOf(feed.link);
  const raw: Loose[] = (format === 'atom' ? feed.entries : feed.items) ?? [];
  const items: FeedItem[] = [];
  const skipped: ParsedFeed['skipped'] = [];
  raw.forEach((it, index) => {
    const r = readItem(format, it);
    const reason = !r.title ? 'no title' : !r.url ? 'no link' : !r.publishedAt ? 'no valid date' : undefined;
    if (reason) skipped.push({ index, reason });
    else items.push({ ...(r as Required<typeof r>), guid: r.guid ?? r.url!, sourceName: title, sourceUrl, summary: r.summary, imageUrl: r.imageUrl });
  });
  return { format, title, items, skipped };
}

function readItem(format: ParsedFeed['format'], it: Loose): Partial<FeedItem> {
  if (format === 'json') {
    return {
      guid: textOf(it.id),
      title: plain(textOf(it.title)),
      url: textOf(it.url) ?? textOf(it.external_url),
      publishedAt: isoDate(it.date_published, it.date_modified),
      summary: clip(plain(textOf(it.summary) ?? textOf(it.content_text) ?? textOf(it.content_html)), SUMMARY_MAX),
      imageUrl: textOf(it.image) ?? textOf(it.banner_image),
    };
  }
  if (format === 'atom') {
    return {
      guid: textOf(it.id),
      title: plain(textOf(it.title)),
      url: linkOf(it.links),
      publishedAt: isoDate(it.published, it.updated, it.dc?.dates?.[0]),
      summary: clip(plain(textOf(it.summary) ?? textOf(it.content)), SUMMARY_MAX),
      imageUrl: imageOf(it) ?? it.links?.find((l: Loose) => l.rel === 'enclosure' && /^image\//.test(l.type ?? ''))?.href,
    };
  }
  const guid = textOf(it.guid);
  const permalink = it.guid?.isPermaLink !== false && guid && /^https?:\/\//i.test(guid) ? guid : undefined;
  return {
    guid,
    title: plain(textOf(it.title)),
    url: textOf(it.link) ?? permalink,
    publishedAt: isoDate(it.pubDate, it.dc?.dates?.[0], it.dcterms?.created, it.dcterms?.issued, it.atom?.published, it.atom?.updated),
    summary: clip(plain(textOf(it.description) ?? textOf(it.content?.encoded)), SUMMARY_MAX),
    imageUrl: imageOf(it) ?? it.enclosures?.find((e: Loose) => /^image\//.test(e.type ?? ''))?.url,
  };
}

/** The event a feed item becomes. Links are resolved against the feed's address; topics are left to editors. */
export function mapFeedItemToEventInput(item: FeedItem, feedUrl: string): EventInput {
  const url = absoluteHttp(item.url, feedUrl) ?? item.url; // the ingest reports it if it is still not a URL
  let host = feedUrl;
  try {
    host = new URL(feedUrl).hostname;
  } catch {
    // keep the raw address as the name of last resort
  }
  return {
    externalId: externalIdFor(!item.guid || item.guid === item.url ? url : item.guid, feedUrl), // no guid: the resolved link
    title: clip(item.title, TITLE_MAX)!,
    url,
    sourceName: clip(item.sourceName, 200) || host,
    sourceUrl: item.sourceUrl ? (absoluteHttp(item.sourceUrl, feedUrl) ?? null) : null,
    publishedAt: item.publishedAt,
    summary: item.summary ?? null,
    imageUrl: item.imageUrl ? (absoluteHttp(item.imageUrl, feedUrl) ?? null) : null,
    topics: [],
  };
}

/**
 * `feed:` + the item's guid. A guid that is a URL or URN is unique on its own; a bare one ("42") is
 * only unique within its feed, so the feed's address is put in front. Ids over 200 characters keep
 * their start and end a hash of the whole, so they stay unique and within the ingest's limit.
 */
export function externalIdFor(guid: string, feedUrl: string): string {
  const id = /^[a-z][a-z0-9+.-]*:/i.test(guid) ? `feed:${guid}` : `feed:${feedUrl}#${guid}`;
  return id.length <= EXTERNAL_ID_MAX ? id : `${id.slice(0, EXTERNAL_ID_MAX - 18)}#${fnv64(id)}`;
}

// feedsmith keeps each format's shape: text is a string, or { value } for Atom text constructs.
function textOf(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  const s = typeof v === 'string' ? v : v && typeof v === 'object' ? (v as Loose).value : undefined;
  return typeof s === 'string' && s.trim() ? s.trim() : undefined;
}

function linkOf(links: Loose[] | undefined): string | undefined {
  if (!Array.isArray(links)) return undefined;
  return textOf((links.find((l) => !l.rel || l.rel === 'alternate') ?? links.find((l) => l.rel !== 'enclosure'))?.href);
}

function imageOf(it: Loose): string | undefined {
  const media = it.media;
  const contents: Loose[] = [...(media?.contents ?? []), ...(media?.groups ?? []).flatMap((g: Loose) => g.contents ?? [])];
  return media?.thumbnails?.[0]?.url ?? contents.find((c) => c.medium === 'image' || /^image\//.test(c.type ?? ''))?.url ?? textOf(it.itunes?.image);
}

function isoDate(...values: unknown[]): string | undefined {
  for (const v of values) {
    const s = v instanceof Date ? v.toISOString() : textOf(v);
    const t = s ? Date.parse(s) : Number.NaN;
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Feed text is often HTML (and often escaped twice): tags dropped, entities decoded, whitespace and control characters folded. */
function plain(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  let out = s;
  for (let pass = 0; pass < 2 && /<[a-z/!]|&(#\d+|#x[\da-f]+|[a-z]+);/i.test(out); pass++) {
    out = out
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, (m, e: string) => {
        if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      });
  }
  out = out.replace(CONTROL_RUNS, ' ').replace(/\s+/g, ' ').trim();
  return out || undefined;
}

/** At most `max` characters, cut at a word boundary when one is near, with an ellipsis. */
function clip(s: string | undefined, max: number): string | undefined {
  if (s === undefined || s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never split an emoji
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function absoluteHttp(raw: string, base: string): string | undefined {
  try {
    const u = new URL(raw, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function fnv64(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

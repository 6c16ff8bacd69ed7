// GET /r/:token: where a story link leads, and the click counted on the way (TRACKING decides what is kept).
import { readerClickContext, readIssueLinks, recordClicks, type ClickRecord, type IssueLinkSet } from '../../db/repos/clicks.js';
import type { DB } from '../../db/schema.js';
import { LruCache } from '../../shared/lru-cache.js';
import type { Deps } from '../deps.js';
import { type ClickToken, verifyClickToken } from './click-tokens.js';
import { scannerReason, type ScannerReason } from './scanner-agents.js';

/** Issues whose links a process keeps at hand: clicks come for the last few issues, not for every one ever sent. */
export const LINK_SETS_KEPT = 16;
const linkSets = new WeakMap<DB, LruCache<string, IssueLinkSet>>();
/**
 * Tokens that verified, with the secret they verified under. An aggregate issue has one token per story and edition,
 * clicked over and over: a map lookup instead of an HMAC halves the redirect's own CPU. Only signed tokens get in.
 */
export const VERIFIED_TOKENS_KEPT = 4096;
const verified = new LruCache<string, { secret: string; token: ClickToken }>(VERIFIED_TOKENS_KEPT);

async function verifyCached(secret: string, raw: string): Promise<ClickToken | null> {
  const hit = verified.get(raw);
  if (hit && hit.secret === secret) return hit.token;
  const token = await verifyClickToken(secret, raw);
  if (token) verified.set(raw, { secret, token });
  return token;
}

export interface ClickRequest {
  token: string;
  method: string;
  userAgent: string | undefined;
}

export type ClickOutcome =
  | { ok: true; location: string; counted: 'reader' | 'aggregate' | 'scanner' | 'not-measured'; scanner: ScannerReason | null }
  | { ok: false };

export async function followClick(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'clickSink'>, req: ClickRequest): Promise<ClickOutcome> {
  const t = await verifyCached(deps.config.appSecret, req.token);
  if (!t) return { ok: false };
  const set = await linkSet(deps.db, t.issueId, t.eventId);
  const link = set?.links.get(t.eventId);
  // Frozen links came from safe http(s) URLs; checked again so the redirect can never lead anywhere else.
  if (!set || !link || !/^https?:\/\//i.test(link.url)) return { ok: false };
  const now = deps.clock.now();
  if (deps.config.tracking === 'off') return { ok: true, location: link.url, counted: 'not-measured', scanner: null };

  let subscriberId: number | null = null;
  let acceptedAt = set.startedAt;
  if (t.readerPublicId && deps.config.tracking === 'reader') {
    const reader = await readerClickContext(deps.db, t.issueId, t.readerPublicId);
    // consent is read as it is now: a reader who withdrew is counted like everyone else, without a name
    if (reader?.consents) {
      subscriberId = reader.subscriberId;
      acceptedAt = reader.acceptedAt ?? acceptedAt;
    }
  }
  const since = acceptedAt ? now.getTime() - Date.parse(acceptedAt) : null;
  const scanner = scannerReason({ method: req.method, userAgent: req.userAgent, sinceAcceptedMs: since });
  const click: ClickRecord = {
    issueId: t.issueId,
    eventId: t.eventId,
    edition: t.edition,
    scanner: scanner !== null,
    subscriberId: scanner ? null : subscriberId,
    atIso: now.toISOString(),
  };
  if (deps.clickSink) deps.clickSink.add(click);
  else await recordClicks(deps.db, [click]);
  return { ok: true, location: link.url, counted: scanner ? 'scanner' : subscriberId !== null ? 'reader' : 'aggregate', scanner };
}

/** The issue's frozen links, cached; re-read once when a signed token names a link the cached set lacks (editions frozen later). */
async function linkSet(db: DB, issueId: string, eventId: number): Promise<IssueLinkSet | null> {
  let cache = linkSets.get(db);
  if (!cache) {
    cache = new LruCache(LINK_SETS_KEPT);
    linkSets.set(db, cache);
  }
  const cached = cache.get(issueId);
  if (cached?.links.has(eventId)) return cached;
  const fresh = await readIssueLinks(db, issueId);
  if (fresh) cache.set(issueId, fresh);
  return fresh;
}

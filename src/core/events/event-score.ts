// What one story is worth this week, term by term, so an editor can see why it ranks where it does.
import type { ScoreWeights } from '../../config.js';
import type { NewsEvent } from './event.js';

/** Each signal's weighted contribution; `total` is their sum, in this order. */
export interface ScoreBreakdown {
  views: number;
  clicks: number;
  shares: number;
  sources: number;
  recency: number;
  boost: number;
  /** Readers' clicks on the story's topics in the last sent issues: weight × a lift in [-1, 1] (may be negative). */
  readerInterest: number;
  total: number;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * The weighted contributions of an event's signals, given how many distinct sources its story has and its topics'
 * reader-interest lift (in [-1, 1], src/core/selection/reader-interest.ts; 0 without click data).
 */
export function scoreBreakdown(
  event: NewsEvent,
  publishedMs: number,
  sourceCount: number,
  refMs: number,
  weights: ScoreWeights,
  interestLift = 0,
): ScoreBreakdown {
  // ln(1 + x): the 10,000th view matters less than the 10th, and one viral item cannot drown the rest.
  const views = weights.views * Math.log1p(Math.max(0, event.views));
  const clicks = weights.clicks * Math.log1p(Math.max(0, event.clicks));
  const shares = weights.shares * Math.log1p(Math.max(0, event.shares));
  // ln(sources): a single source adds nothing, each further outlet a little less than the last.
  const sources = weights.sources * Math.log(Math.max(1, sourceCount));
  const recency = weights.recency * freshness(publishedMs, refMs);
  const boost = weights.boost * event.editorBoost;
  const readerInterest = weights.readerInterest * clampLift(interestLift);
  return { views, clicks, shares, sources, recency, boost, readerInterest, total: views + clicks + shares + sources + recency + boost + readerInterest };
}

/** scoreBreakdown(…).total without the source term (which belongs to the story), allocation-free. */
export function ownScore(event: NewsEvent, publishedMs: number, refMs: number, weights: ScoreWeights, interestLift = 0): number {
  return (
    weights.views * Math.log1p(Math.max(0, event.views)) +
    weights.clicks * Math.log1p(Math.max(0, event.clicks)) +
    weights.shares * Math.log1p(Math.max(0, event.shares)) +
    weights.recency * freshness(publishedMs, refMs) +
    weights.boost * event.editorBoost +
    weights.readerInterest * clampLift(interestLift)
  );
}

/** The lift's bound, enforced here too: the term never exceeds its weight whatever the caller passes. */
function clampLift(lift: number): number {
  return Number.isFinite(lift) ? Math.max(-1, Math.min(1, lift)) : 0;
}

/** 1 at the reference time, falling linearly to 0 a week earlier: later in the week is a bit fresher. */
function freshness(publishedMs: number, refMs: number): number {
  return Math.max(0, 1 - Math.max(0, refMs - publishedMs) / WEEK_MS);
}

/**
 * Distinct outlets in a story: each source name (NFKC, trimmed, case-folded) counts once, with the
 * largest sourceCount it reported. `keys` caches normalised names across calls.
 */
export function countSources(events: readonly NewsEvent[], keys = new Map<string, string>()): number {
  if (events.length === 1) return Math.max(1, events[0].sourceCount);
  const bySource = new Map<string, number>();
  for (const e of events) {
    let key = keys.get(e.sourceName);
    if (key === undefined) {
      key = e.sourceName.normalize('NFKC').trim().toLowerCase();
      keys.set(e.sourceName, key);
    }
    bySource.set(key, Math.max(bySource.get(key) ?? 0, Math.max(1, e.sourceCount)));
  }
  let total = 0;
  for (const v of bySource.values()) total += v;
  return total;
}

/** The topic a story counts against for diversity: first topic, else category, else 'other'. */
export function primaryTopic(event: NewsEvent): string {
  const topic = (event.topics[0] ?? event.category ?? '').trim().toLowerCase();
  return topic || 'other';
}

// Readers' interest feeds the next selection (issue 16): how much more (or less) than average readers clicked each
// topic's stories in the last sent issues, as a bounded lift the scorer turns into its readerInterest term.
import { recentSentStoryClicks, type SentStoryClicks } from '../../db/repos/reader-interest.js';
import type { Deps } from '../deps.js';

/** Issues looked back on. */
export const INTEREST_ISSUES = 4;
/** Below this many people's clicks in those issues the lifts are all 0: too little to tell topics apart. */
export const MIN_INTEREST_CLICKS = 20;

/** A story's topics as the lifts are keyed: its topics (trimmed, lower case), else its category, else 'other'. */
export function storyTopics(topics: readonly string[], category: string | null): string[] {
  const own = [...new Set(topics.map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (own.length) return own;
  const c = (category ?? '').trim().toLowerCase();
  return [c || 'other'];
}

/**
 * Per topic, a lift in [-1, 1]: tanh(ln(topic CTR / mean CTR over topics)), where a story's CTR is its clicks ÷ the
 * issue's accepted mails and a topic's CTR is the mean over its stories. tanh(ln r) = (r² − 1) / (r² + 1), finite
 * also for r = 0 (→ −1). Empty (every lift 0) with fewer than `minClicks` clicks or no accepted mail.
 */
export function topicLifts(
  rows: readonly Pick<SentStoryClicks, 'topicsJson' | 'category' | 'clicks' | 'accepted'>[],
  minClicks = MIN_INTEREST_CLICKS,
): Map<string, number> {
  const lifts = new Map<string, number>();
  const sums = new Map<string, { ctr: number; n: number }>();
  let clicks = 0;
  for (const r of rows) {
    if (r.accepted <= 0) continue;
    clicks += Math.max(0, r.clicks);
    const ctr = Math.max(0, r.clicks) / r.accepted;
    for (const t of storyTopics(parseTopics(r.topicsJson), r.category)) {
      const s = sums.get(t) ?? { ctr: 0, n: 0 };
      s.ctr += ctr;
      s.n += 1;
      sums.set(t, s);
    }
  }
  if (clicks < minClicks || sums.size === 0) return lifts;
  const perTopic = [...sums].map(([t, s]) => [t, s.ctr / s.n] as const);
  const mean = perTopic.reduce((a, [, c]) => a + c, 0) / perTopic.length;
  if (!(mean > 0)) return lifts;
  for (const [t, c] of perTopic) {
    const r2 = (c / mean) ** 2;
    lifts.set(t, Number.isFinite(r2) ? (r2 - 1) / (r2 + 1) : 1);
  }
  return lifts;
}

/** A story's lift: the mean of its topics' lifts (a topic without data counts 0). Always within [-1, 1]. */
export function storyLift(topics: readonly string[], category: string | null, lifts: ReadonlyMap<string, number>): number {
  if (lifts.size === 0) return 0;
  const ts = storyTopics(topics, category);
  return ts.reduce((a, t) => a + (lifts.get(t) ?? 0), 0) / ts.length;
}

/** The lifts from the last INTEREST_ISSUES sent issues' clicks. */
export async function readerInterestLifts(deps: Pick<Deps, 'db'>): Promise<Map<string, number>> {
  return topicLifts(await recentSentStoryClicks(deps.db, INTEREST_ISSUES));
}

function parseTopics(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

// Picks the week's top stories: scores events, merges near-duplicates, caps each topic, explains every score.
import { defaultScoreWeights, type ScoreWeights } from '../../config.js';
import type { NewsEvent } from '../events/event.js';
import { countSources, ownScore, primaryTopic, scoreBreakdown, type ScoreBreakdown } from '../events/event-score.js';
import { weekWindow } from '../issues/iso-week.js';
import { storyLift } from './reader-interest.js';
import { clusterStories, type RankedEvents } from './story-clusters.js';

export type { ScoreBreakdown } from '../events/event-score.js';

export interface SelectedItem {
  /** The best-scoring event of its near-duplicate story. */
  event: NewsEvent;
  score: number;
  breakdown: ScoreBreakdown;
  /** Ids of the other events merged into this item (not the representative), ascending. */
  mergedEventIds: number[];
  /** Distinct sources across the story. */
  sourceCount: number;
  /** Primary topic (first topic, else category, else 'other'; lower case): the diversity cap counts these. */
  topic: string;
}

export interface SelectOptions {
  timeZone: string;
  now: Date;
  size?: number;
  maxPerTopic?: number;
  weights?: ScoreWeights;
  /** Per-topic reader-interest lifts in [-1, 1] (reader-interest.ts); none: the readerInterest term is 0. */
  topicLifts?: ReadonlyMap<string, number>;
  /** Let every event lead a story instead of only the strongest (slower; for audits and tests). */
  exhaustive?: boolean;
}

interface ScoredStory {
  rep: number;
  members: number[];
  sourceCount: number;
  breakdown: ScoreBreakdown;
  topic: string;
}

/*
 * Only the strongest events need to lead stories: an issue has ten items, so the candidates are
 * the top max(1,000, 100 × size) events by score without sources, and every other event can still
 * join their stories (story-clusters.ts). The candidate set grows (×4) until no story led from
 * outside it could enter: its best event scores at most the candidate cut-off, plus a source term
 * no larger than that of the best-sourced story found. This is the one approximation (a story
 * whose every event scores below the cut-off but that gathers more outlets than any candidate
 * story is not considered); `exhaustive: true` lifts it, and the benchmark checks both agree.
 */
export function selectTopEvents(events: readonly NewsEvent[], week: string, options: SelectOptions): SelectedItem[] {
  const size = options.size ?? 10;
  const maxPerTopic = options.maxPerTopic ?? 3;
  const weights = options.weights ?? defaultScoreWeights;
  const { start, end } = weekWindow(week, options.timeZone);
  const startMs = start.getTime();
  const endMs = end.getTime();
  // Freshness is measured from the end of the week, or from now while the week is still running.
  const refMs = Math.min(Math.max(options.now.getTime(), startMs), endMs);

  const inWeek: NewsEvent[] = [];
  const publishedMs: number[] = [];
  for (const e of events) {
    const t = Date.parse(e.publishedAt);
    if (t >= startMs && t < endMs) {
      inWeek.push(e);
      publishedMs.push(t);
    }
  }
  const lifts = options.topicLifts;
  const lift = new Float64Array(inWeek.length);
  if (lifts && lifts.size > 0) for (let i = 0; i < inWeek.length; i++) lift[i] = storyLift(inWeek[i].topics, inWeek[i].category, lifts);
  const own = new Float64Array(inWeek.length);
  // The interest term belongs to the event (its topics), so it is in the own score the candidate cut-off compares.
  for (let i = 0; i < inWeek.length; i++) own[i] = ownScore(inWeek[i], publishedMs[i], refMs, weights, lift[i]);
  const ranked: RankedEvents = { events: inWeek, own, publishedMs };
  const descending = Float64Array.from(own).sort().reverse();
  const sourceKeys = new Map<string, string>();

  for (let k = options.exhaustive ? Infinity : Math.max(1000, 100 * size); ; k *= 4) {
    const everyone = k >= inWeek.length;
    const cutoff = everyone ? -Infinity : descending[k - 1];
    const stories = clusterStories(ranked, cutoff).map((s) => {
      const sourceCount = countSources(
        s.members.map((i) => inWeek[i]),
        sourceKeys,
      );
      const breakdown = scoreBreakdown(inWeek[s.rep], publishedMs[s.rep], sourceCount, refMs, weights, lift[s.rep]);
      return { ...s, sourceCount, breakdown, topic: primaryTopic(inWeek[s.rep]) };
    });
    // Score desc, then publishedAt desc, then externalId asc: a total order, so the input order never matters.
    stories.sort(
      (a, b) =>
        b.breakdown.total - a.breakdown.total || publishedMs[b.rep] - publishedMs[a.rep] || compareIds(inWeek[a.rep].externalId, inWeek[b.rep].externalId),
    );
    const picked = pickDiverse(stories, size, maxPerTopic);
    if (everyone || outsidersCannotEnter(picked, stories, cutoff, size, maxPerTopic, weights, ranked)) {
      return picked.map((s) => ({
        event: inWeek[s.rep],
        score: s.breakdown.total,
        breakdown: s.breakdown,
        mergedEventIds: s.members
          .filter((i) => i !== s.rep)
          .map((i) => inWeek[i].id)
          .sort((a, b) => a - b),
        sourceCount: s.sourceCount,
        topic: s.topic,
      }));
    }
  }
}

/** Best first, skipping stories whose topic already has `maxPerTopic` picks. */
function pickDiverse(sorted: ScoredStory[], size: number, maxPerTopic: number): ScoredStory[] {
  const perTopic = new Map<string, number>();
  const picked: ScoredStory[] = [];
  for (const s of sorted) {
    if (picked.length >= size) break;
    const used = perTopic.get(s.topic) ?? 0;
    if (used >= maxPerTopic) continue;
    perTopic.set(s.topic, used + 1);
    picked.push(s);
  }
  return picked;
}

/**
 * Whether a story led by a non-candidate could change `picked`. To enter it must beat the weakest
 * pick of its topic when that topic is full, else the weakest pick when the issue is full (else
 * anything enters). Its score is at most its best event's own score plus the largest source term seen.
 */
function outsidersCannotEnter(
  picked: ScoredStory[],
  stories: ScoredStory[],
  cutoff: number,
  size: number,
  maxPerTopic: number,
  weights: ScoreWeights,
  r: RankedEvents,
): boolean {
  const weakestOfTopic = new Map<string, number>();
  const countOfTopic = new Map<string, number>();
  for (const s of picked) {
    weakestOfTopic.set(s.topic, s.breakdown.total); // best first: the last one is the weakest
    countOfTopic.set(s.topic, (countOfTopic.get(s.topic) ?? 0) + 1);
  }
  const weakest = picked.length >= size ? picked[picked.length - 1].breakdown.total : -Infinity;
  const bar = (topic: string) => ((countOfTopic.get(topic) ?? 0) >= maxPerTopic ? weakestOfTopic.get(topic)! : weakest);
  const maxSources = stories.reduce((m, s) => Math.max(m, s.sourceCount), 1);
  const sourceTerm = Math.max(0, weights.sources) * Math.log(maxSources) + 1e-9;
  if (cutoff + sourceTerm < weakest) return true;
  // Only events below the cut-off are outside; check each one's topic only when the global bar is not enough.
  for (let i = 0; i < r.events.length; i++) {
    if (r.own[i] >= cutoff || r.own[i] + sourceTerm < weakest) continue; // every topic's bar is at least `weakest`
    if (r.own[i] + sourceTerm >= bar(primaryTopic(r.events[i]))) return false;
  }
  return true;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

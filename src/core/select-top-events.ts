// Picks the week's top stories: scores events, merges near-duplicates, caps each topic, explains every score.
import { defaultScoreWeights, type ScoreWeights } from '../config.js';
import type { NewsEvent } from './event.js';
import { countSources, ownScore, primaryTopic, scoreBreakdown, type ScoreBreakdown } from './event-score.js';
import { weekWindow } from './iso-week.js';
import { TitleIndex } from './title-index.js';

export type { ScoreBreakdown } from './event-score.js';

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
  /** Build every story instead of stopping once none left can enter (same result; for tests). */
  exhaustive?: boolean;
}

interface Story {
  rep: number;
  members: number[];
  sourceCount: number;
  breakdown: ScoreBreakdown;
  topic: string;
}

/*
 * How stories are formed:
 * 1. Events sharing a canonical URL form a group (URL equality is exact and transitive).
 * 2. Groups are visited best first (score without the source term, then publishedAt desc, then
 *    externalId asc). An unclaimed group leads a new story and claims every unclaimed group with a
 *    similar title (TitleIndex: prefix-filtered inverted index, no n² comparisons). Claimed groups
 *    never claim others, so a generic headline cannot chain unrelated stories into a giant cluster,
 *    and the leader's best event is the story's best representative by construction.
 * 3. A story scores its representative's signals plus the distinct sources of all its events.
 *    Stories are sorted (score desc, publishedAt desc, externalId asc) and taken greedily while
 *    their topic is under the cap.
 * Why it is fast (100,000 events well under a second): one linear pass to filter and score, a hash
 * map for URLs, the index for titles, and an early stop. Only the top few hundred groups can matter:
 * a group not yet visited can score at most its own score plus the sources of every group it shares
 * an index key with (TitleIndex.reach, computed without probing). Once no unvisited group's bound
 * reaches what it would need to enter the selection (beat the last pick, or the last pick of its
 * full topic), the rest cannot change the result and are never probed; duplicates of the stories
 * that are picked have all been claimed by then. Nothing depends on the input order.
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
  const own = new Float64Array(inWeek.length);
  for (let i = 0; i < inWeek.length; i++) own[i] = ownScore(inWeek[i], publishedMs[i], refMs, weights);
  const rankEvents = (a: number, b: number) =>
    own[b] - own[a] || publishedMs[b] - publishedMs[a] || compareStrings(inWeek[a].externalId, inWeek[b].externalId);

  const groups = groupByUrl(inWeek);
  const best = new Int32Array(groups.length);
  const weight = new Float64Array(groups.length); // upper bound of a group's distinct sources
  for (let g = 0; g < groups.length; g++) {
    let b = groups[g][0];
    for (const i of groups[g]) {
      if (rankEvents(i, b) < 0) b = i;
      weight[g] += Math.max(1, inWeek[i].sourceCount);
    }
    best[g] = b;
  }
  const order = Array.from(groups.keys()).sort((a, b) => rankEvents(best[a], best[b]));
  const index = new TitleIndex(
    inWeek.map((e) => e.title),
    groups,
    weight,
  );

  const open = new Uint8Array(groups.length).fill(1);
  const stories: Story[] = [];
  // A group's best possible story score, from its own score and every source it could ever claim.
  const bound = (g: number) =>
    own[best[g]] + Math.max(0, weights.sources) * Math.log(Math.max(1, weight[g], index.reach(g)));
  let nextCheck = Math.max(64, 4 * size);
  for (let k = 0; k < order.length; k++) {
    const g = order[k];
    if (open[g] === 0) continue;
    if (!options.exhaustive && stories.length >= nextCheck) {
      nextCheck *= 2;
      const bar = entryBar(pickDiverse(sortStories(stories), size, maxPerTopic), size, maxPerTopic);
      if (restCannotEnter(order, k, open, (h) => bound(h) + 1e-9 < bar(primaryTopic(inWeek[best[h]])))) break;
    }
    open[g] = 0;
    const members = [...groups[g]];
    for (const h of index.findSimilarOpen(g, open)) {
      open[h] = 0;
      members.push(...groups[h]);
    }
    const rep = best[g];
    const sourceCount = countSources(members.map((i) => inWeek[i]));
    const breakdown = scoreBreakdown(inWeek[rep], publishedMs[rep], sourceCount, refMs, weights);
    stories.push({ rep, members, sourceCount, breakdown, topic: primaryTopic(inWeek[rep]) });
  }

  function sortStories(list: Story[]): Story[] {
    return [...list].sort(
      (a, b) =>
        b.breakdown.total - a.breakdown.total ||
        publishedMs[b.rep] - publishedMs[a.rep] ||
        compareStrings(inWeek[a.rep].externalId, inWeek[b.rep].externalId),
    );
  }

  return pickDiverse(sortStories(stories), size, maxPerTopic).map((s) => ({
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

/** Best first, skipping stories whose topic already has `maxPerTopic` picks. */
function pickDiverse(sorted: Story[], size: number, maxPerTopic: number): Story[] {
  const perTopic = new Map<string, number>();
  const picked: Story[] = [];
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
 * The score a new story of a topic must exceed to change `picked`: the weakest pick of its topic
 * when the topic is full, else the weakest pick when the issue is full, else anything enters.
 */
function entryBar(picked: Story[], size: number, maxPerTopic: number): (topic: string) => number {
  const weakestOfTopic = new Map<string, number>();
  const countOfTopic = new Map<string, number>();
  for (const s of picked) {
    weakestOfTopic.set(s.topic, s.breakdown.total); // picked is best first: the last one is the weakest
    countOfTopic.set(s.topic, (countOfTopic.get(s.topic) ?? 0) + 1);
  }
  const weakest = picked.length >= size ? picked[picked.length - 1].breakdown.total : -Infinity;
  return (topic) => ((countOfTopic.get(topic) ?? 0) >= maxPerTopic ? weakestOfTopic.get(topic)! : weakest);
}

function restCannotEnter(order: number[], from: number, open: Uint8Array, cannotEnter: (g: number) => boolean): boolean {
  for (let k = from; k < order.length; k++) if (open[order[k]] === 1 && !cannotEnter(order[k])) return false;
  return true;
}

/** Indices of events grouped by canonical URL. */
function groupByUrl(events: readonly NewsEvent[]): number[][] {
  const byUrl = new Map<string, number[]>();
  for (let i = 0; i < events.length; i++) {
    const key = events[i].canonicalUrl || events[i].url;
    const list = byUrl.get(key);
    if (list) list.push(i);
    else byUrl.set(key, [i]);
  }
  return [...byUrl.values()];
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Groups a week's events into stories (same canonical URL or a near-identical headline), led by the strongest events.
import type { NewsEvent } from '../events/event.js';
import { TitleIndex } from './title-index.js';

export interface RankedEvents {
  events: readonly NewsEvent[];
  /** Score of each event without the source term (sources belong to the whole story). */
  own: Float64Array;
  publishedMs: readonly number[];
}

export interface Story {
  /** Index of the representative: the story's best event. */
  rep: number;
  /** Indices of every event in the story, the representative included. */
  members: number[];
}

/** Best first: own score desc, publishedAt desc, externalId asc (a total order: externalId is unique). */
export function compareEvents(r: RankedEvents, a: number, b: number): number {
  return (
    r.own[b] - r.own[a] ||
    r.publishedMs[b] - r.publishedMs[a] ||
    (r.events[a].externalId < r.events[b].externalId ? -1 : r.events[a].externalId > r.events[b].externalId ? 1 : 0)
  );
}

/*
 * Leader clustering, the same for every input order:
 * 1. Events sharing a canonical URL form a group (URL equality is exact and transitive).
 * 2. Groups are visited best first (by their best event). An unclaimed group leads a new story and
 *    claims every unclaimed group with a similar title. Claimed groups never claim others, so one
 *    generic headline cannot chain unrelated stories into a giant cluster, and the leader's best
 *    event is the story's best representative by construction.
 * Only events scoring at least `minOwn` may lead (the candidates); every other event still joins
 * the first leader it matches by URL or title, exactly as it would if all events were visited, so
 * the candidates' stories are complete. Candidates are indexed (TitleIndex); the long tail is only
 * tokenized and looked up, which is what keeps 100,000 events well under a second.
 */
export function clusterStories(r: RankedEvents, minOwn: number): Story[] {
  const n = r.events.length;
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (r.own[i] >= minOwn) candidates.push(i);
  candidates.sort((a, b) => compareEvents(r, a, b));
  const isCandidate = new Uint8Array(n);
  for (const i of candidates) isCandidate[i] = 1;

  // Groups are created best first, so group order is visiting order and groups[g][0] is the best.
  const groupOfUrl = new Map<string, number>();
  const groups: number[][] = [];
  for (const i of candidates) {
    const key = urlKey(r.events[i]);
    const g = groupOfUrl.get(key);
    if (g === undefined) {
      groupOfUrl.set(key, groups.length);
      groups.push([i]);
    } else groups[g].push(i);
  }
  const outside: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isCandidate[i]) continue;
    const g = groupOfUrl.get(urlKey(r.events[i]));
    if (g === undefined) outside.push(i);
    else groups[g].push(i);
  }

  const index = new TitleIndex(
    r.events.map((e) => e.title),
    groups,
  );
  const storyOfLeader = new Int32Array(groups.length).fill(-1);
  const stories: Story[] = [];
  for (let g = 0; g < groups.length; g++) {
    if (!index.isOpen(g)) continue;
    storyOfLeader[g] = stories.length;
    const members = [...groups[g]];
    for (const h of index.lead(g)) for (const i of groups[h]) members.push(i);
    stories.push({ rep: groups[g][0], members });
  }

  // The long tail joins the earliest leader it resembles; its URL-mates come along with it.
  const storyOfUrl = new Map<string, number>();
  for (const i of outside) {
    let story = -1;
    for (const h of index.leadersSimilarTo(r.events[i].title)) {
      const s = storyOfLeader[h];
      if (s >= 0 && (story < 0 || s < story)) story = s;
    }
    if (story < 0) continue;
    const key = urlKey(r.events[i]);
    const before = storyOfUrl.get(key);
    if (before === undefined || story < before) storyOfUrl.set(key, story);
  }
  if (storyOfUrl.size > 0) {
    for (const i of outside) {
      const s = storyOfUrl.get(urlKey(r.events[i]));
      if (s !== undefined) stories[s].members.push(i);
    }
  }
  return stories;
}

function urlKey(e: NewsEvent): string {
  return e.canonicalUrl || e.url;
}

// The week's pool as readers' editions draw from it: the curated default edition first, then the build's ranked extras.
import { getEventsByIds } from '../../db/repos/events.js';
import { listPool, type PoolWrite } from '../../db/repos/editions.js';
import type { Config } from '../../config.js';
import { topicsOfMask, type Topic } from '../../shared/topics.js';
import type { Deps } from '../deps.js';
import type { NewsEvent } from '../events/event.js';
import { primaryTopic } from '../events/event-score.js';
import { editionEventIds, leadStoryIds, type PoolStory } from '../selection/editions.js';
import type { ScoreBreakdown, SelectedItem } from '../selection/select-top-events.js';
import type { IssueItemView, IssueView } from './issue-view.js';

/** The build's ranking as pool rows: best first. */
export function poolRows(selection: readonly SelectedItem[]): PoolWrite[] {
  return selection.map((s, i) => ({
    event_id: s.event.id,
    rank: i + 1,
    topics: JSON.stringify(storyTopics(s.event)),
    score: s.score,
    score_breakdown: JSON.stringify(s.breakdown),
    merged_event_ids: JSON.stringify(s.mergedEventIds),
    source_count: s.sourceCount,
  }));
}

/** The topics a story counts for: its own list and its primary topic (which falls back to the category). */
export function storyTopics(event: NewsEvent): string[] {
  const out = new Set(event.topics.map((t) => t.trim().toLowerCase()).filter(Boolean));
  out.add(primaryTopic(event));
  return [...out];
}

export interface PoolItemView {
  eventId: number;
  /** 1 = best of the pool. */
  rank: number;
  title: string;
  topics: string[];
  score: number;
  scoreBreakdown: ScoreBreakdown;
  /** In the default edition (the curated items). */
  inDefault: boolean;
  /** A lead story: every reader gets it. */
  lead: boolean;
  item: IssueItemView;
}

export interface IssuePool {
  /** Best first: the default edition's stories by score among the build's extras, excluded items left out. */
  pool: PoolItemView[];
  defaultIds: number[];
  leadIds: number[];
}

/**
 * The pool an issue's editions draw from. The curated items come from the issue (so pins, exclusions, edits and
 * editor-added stories count at once, without a rebuild); the extras from the build's ranking, minus anything excluded
 * or already in the default edition (also as a merged duplicate).
 */
export async function getIssuePool(deps: Pick<Deps, 'db' | 'config'>, view: IssueView): Promise<IssuePool> {
  const rows = await listPool(deps.db, view.id);
  const included = view.items.filter((i) => !i.excluded);
  const blocked = new Set<number>();
  for (const i of view.items) for (const id of [i.event.id, ...i.mergedEventIds]) blocked.add(id);
  const extraRows = rows.filter((r) => !blocked.has(r.event_id) && !(JSON.parse(r.merged_event_ids) as number[]).some((id) => blocked.has(id)));
  const events = new Map(
    (
      await getEventsByIds(
        deps.db,
        extraRows.map((r) => r.event_id),
      )
    ).map((e) => [e.id, e]),
  );
  const defaultIds = included.map((i) => i.event.id);
  const leadIds = leadStoryIds(
    included.map((i) => ({ eventId: i.event.id, pinned: i.pinned })),
    deps.config.leadSize,
  );
  const lead = new Set(leadIds);
  const entries: Omit<PoolItemView, 'rank'>[] = included.map((i) => ({
    eventId: i.event.id,
    title: i.title,
    topics: storyTopics(i.event),
    score: i.score,
    scoreBreakdown: i.scoreBreakdown,
    inDefault: true,
    lead: lead.has(i.event.id),
    item: i,
  }));
  for (const r of extraRows) {
    const event = events.get(r.event_id);
    if (!event) continue;
    entries.push({
      eventId: event.id,
      title: event.title,
      topics: JSON.parse(r.topics) as string[],
      score: Math.round(r.score * 1000) / 1000,
      scoreBreakdown: JSON.parse(r.score_breakdown) as ScoreBreakdown,
      inDefault: false,
      lead: false,
      item: extraItem(event, r.score, r.score_breakdown, r.source_count, r.merged_event_ids),
    });
  }
  // Score desc, ties by the default edition's order, then event id: a total order, so every process ranks alike.
  const order = new Map(defaultIds.map((id, i) => [id, i]));
  entries.sort((a, b) => b.score - a.score || (order.get(a.eventId) ?? 1e9) - (order.get(b.eventId) ?? 1e9) || a.eventId - b.eventId);
  return { pool: entries.map((e, i) => ({ ...e, rank: i + 1 })), defaultIds, leadIds };
}

function extraItem(event: NewsEvent, score: number, breakdown: string, sourceCount: number, merged: string): IssueItemView {
  return {
    id: 0,
    position: 0,
    pinned: false,
    excluded: false,
    addedBy: 'auto',
    title: event.title,
    blurb: event.whyItMatters ?? event.summary,
    titleOverride: null,
    blurbOverride: null,
    score: Math.round(score * 1000) / 1000,
    scoreBreakdown: JSON.parse(breakdown) as ScoreBreakdown,
    sourceCount,
    mergedEventIds: JSON.parse(merged) as number[],
    event,
  };
}

export interface EditionView {
  edition: number;
  topics: Topic[];
  items: IssueItemView[];
}

/** One edition's stories, in mail order, as items the renderer takes. */
export function editionOfPool(pool: IssuePool, edition: number, config: Pick<Config, 'issueSize'>): EditionView {
  const stories: PoolStory[] = pool.pool.map((p) => ({ eventId: p.eventId, topics: p.topics }));
  const ids = editionEventIds(edition, { defaultIds: pool.defaultIds, leadIds: pool.leadIds, pool: stories, size: config.issueSize });
  const byId = new Map(pool.pool.map((p) => [p.eventId, p.item]));
  return { edition, topics: topicsOfMask(edition), items: ids.map((id) => byId.get(id)!).filter(Boolean) };
}

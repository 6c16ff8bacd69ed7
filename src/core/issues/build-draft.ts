// Builds (or rebuilds) the draft issue for an ISO week from its top events, keeping every editor decision.
import { getEventsByIds, listEventsPublishedBetween } from '../../db/repos/events.js';
import { getIssueByWeek, insertIssue, listItems, replaceItems, updateIssue, type ItemWrite } from '../../db/repos/issues.js';
import type { IssueItemRow, IssueRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { NewsEvent } from '../events/event.js';
import { TOPICS } from '../../shared/topics.js';
import { isoWeekOf, isValidIsoWeek, nextWeeklySlot, weekLabel, weekSlug, weekWindow } from './iso-week.js';
import { scheduleIssue } from './issue-lifecycle.js';
import { readerInterestLifts } from '../selection/reader-interest.js';
import { selectTopEvents, type SelectedItem } from '../selection/select-top-events.js';
import { truncateGraphemes } from '../../mail/graphemes.js';
import { replacePool } from '../../db/repos/editions.js';
import { poolRows } from './issue-pool.js';

export const SUBJECT_MAX = 110;
export const PREHEADER_MAX = 140;

export function defaultSubject(week: string, top: NewsEvent | undefined): string {
  const base = `Weekly AI Recap — ${weekLabel(week)}`;
  return top ? truncateGraphemes(`${base}: ${top.title}`, SUBJECT_MAX) : base;
}

export function defaultPreheader(items: NewsEvent[]): string {
  if (items.length === 0) return 'The week in AI, in five minutes.';
  return truncateGraphemes(
    items
      .slice(1, 4)
      .concat(items.length === 1 ? items : [])
      .map((e) => e.title)
      .join(' · '),
    PREHEADER_MAX,
  );
}

function itemFrom(sel: SelectedItem, prev: IssueItemRow | undefined, position: number): ItemWrite {
  return {
    event_id: prev?.event_id ?? sel.event.id,
    position,
    pinned: prev?.pinned ?? 0,
    excluded: prev?.excluded ?? 0,
    manual_position: prev?.manual_position ?? 0,
    added_by: prev?.added_by ?? 'auto',
    title_override: prev?.title_override ?? null,
    blurb_override: prev?.blurb_override ?? null,
    score: sel.score,
    score_breakdown: JSON.stringify(sel.breakdown),
    merged_event_ids: JSON.stringify(sel.mergedEventIds),
    source_count: sel.sourceCount,
  };
}

const keepAsIs = (r: IssueItemRow): ItemWrite => ({
  event_id: r.event_id,
  position: r.position,
  pinned: r.pinned,
  excluded: r.excluded,
  manual_position: r.manual_position,
  added_by: r.added_by,
  title_override: r.title_override,
  blurb_override: r.blurb_override,
  score: r.score,
  score_breakdown: r.score_breakdown,
  merged_event_ids: r.merged_event_ids,
  source_count: r.source_count,
});

const touched = (r: IssueItemRow) =>
  r.pinned === 1 || r.excluded === 1 || r.added_by === 'editor' || r.title_override !== null || r.blurb_override !== null || r.manual_position === 1;

/**
 * Merges a fresh selection with the existing items. Kept: pinned, excluded (so exclusions stick), editor-added,
 * edited and manually placed items. Auto items fill the remaining slots. With a manual order the existing order
 * stands and new items follow by score; otherwise pinned items lead and the rest go by score.
 */
export function mergeItems(existing: IssueItemRow[], selection: SelectedItem[], size: number): ItemWrite[] {
  const byEvent = new Map(existing.map((r) => [r.event_id, r]));
  const kept = new Map<number, ItemWrite>();
  for (const r of existing) if (touched(r)) kept.set(r.event_id, keepAsIs(r));
  const includedKept = [...kept.values()].filter((k) => k.excluded === 0).length;
  let free = Math.max(0, size - includedKept);
  const fresh: ItemWrite[] = [];
  for (const sel of selection) {
    const ids = [sel.event.id, ...sel.mergedEventIds];
    const prevId = ids.find((id) => byEvent.has(id));
    const prev = prevId === undefined ? undefined : byEvent.get(prevId);
    const key = prev?.event_id ?? sel.event.id;
    if (kept.has(key)) {
      // refresh the score of a kept item, leave the editor's choices alone
      const k = kept.get(key)!;
      Object.assign(k, {
        score: sel.score,
        score_breakdown: JSON.stringify(sel.breakdown),
        merged_event_ids: JSON.stringify(sel.mergedEventIds),
        source_count: sel.sourceCount,
      });
      continue;
    }
    if (free === 0) continue;
    free -= 1;
    fresh.push(itemFrom(sel, prev, 0));
  }
  const manual = existing.some((r) => r.manual_position === 1);
  let ordered: ItemWrite[];
  if (manual) {
    ordered = [...[...kept.values(), ...fresh.filter((f) => byEvent.has(f.event_id))].sort((a, b) => a.position - b.position)];
    ordered.push(...fresh.filter((f) => !byEvent.has(f.event_id)).sort((a, b) => b.score - a.score));
  } else {
    ordered = [...kept.values(), ...fresh].sort((a, b) => b.pinned - a.pinned || b.score - a.score || a.event_id - b.event_id);
  }
  // excluded items sink to the end so positions of what is sent stay 1..n
  ordered.sort((a, b) => a.excluded - b.excluded);
  return ordered.map((it, i) => ({ ...it, position: i + 1 }));
}

/** Per-topic cap of the pool: twice an even share, so a reader of any one topic finds several of its stories. */
export function poolTopicCap(poolSize: number): number {
  return Math.max(1, Math.ceil((2 * poolSize) / TOPICS.length));
}

export interface BuildResult {
  issue: IssueRow;
  created: boolean;
}

export async function buildDraft(deps: Deps, weekArg?: string): Promise<BuildResult> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const week = weekArg ?? isoWeekOf(now, deps.config.tz);
  if (!isValidIsoWeek(week)) throw new AppError('validation_failed', `"${week}" is not an ISO week like 2026-W48`);
  let issue = await getIssueByWeek(deps.db, week);
  if (issue && !['draft', 'scheduled'].includes(issue.status)) {
    throw new AppError('conflict', `the ${week} issue is ${issue.status}; only drafts can be rebuilt`);
  }
  const created = !issue;
  const slug = weekSlug(week);
  if (!issue) {
    await insertIssue(deps.db, { id: slug, week, slug, built_at: nowIso, created_at: nowIso, updated_at: nowIso });
    issue = (await getIssueByWeek(deps.db, week))!;
  }
  const { start, end } = weekWindow(week, deps.config.tz);
  const events = await listEventsPublishedBetween(deps.db, start.toISOString(), end.toISOString());
  const existing = await listItems(deps.db, issue.id);
  const extra = existing.filter((r) => r.excluded === 1 || r.pinned === 1).length;
  // What readers clicked in the last sent issues, per topic (all 0 without enough clicks).
  const topicLifts = await readerInterestLifts(deps);
  const selection = selectTopEvents(events, week, {
    timeZone: deps.config.tz,
    now,
    size: deps.config.issueSize + extra,
    maxPerTopic: deps.config.maxPerTopic,
    weights: deps.config.scoreWeights,
    topicLifts,
  });
  const items = mergeItems(existing, selection, deps.config.issueSize);
  await replaceItems(deps.db, issue.id, items, nowIso);
  // The pool: the week's best beyond the default edition, topic-capped more loosely so every topic has stories to offer.
  const poolSelection = selectTopEvents(events, week, {
    timeZone: deps.config.tz,
    now,
    size: deps.config.poolSize + extra,
    maxPerTopic: poolTopicCap(deps.config.poolSize),
    weights: deps.config.scoreWeights,
    topicLifts,
  });
  await replacePool(deps.db, issue.id, poolRows(poolSelection));

  const included = items.filter((i) => i.excluded === 0);
  const evs = await getEventsByIds(
    deps.db,
    included.map((i) => i.event_id),
  );
  const byId = new Map(evs.map((e) => [e.id, e]));
  const orderedEvents = included.map((i) => byId.get(i.event_id)!).filter(Boolean);
  await updateIssue(deps.db, issue.id, {
    default_subject: defaultSubject(week, orderedEvents[0]),
    default_preheader: defaultPreheader(orderedEvents),
    built_at: nowIso,
    updated_at: nowIso,
  });

  if (deps.config.autoSend && issue.status === 'draft' && issue.schedule_source !== 'editor') {
    const at = nextWeeklySlot(end.getTime() > now.getTime() ? end : now, deps.config.sendAt, deps.config.tz);
    await scheduleIssue(deps, issue.id, at, 'auto');
  }
  deps.log.info(`${created ? 'Built' : 'Rebuilt'} draft ${issue.id} with ${included.length} items from ${events.length} events`);
  return { issue: (await getIssueByWeek(deps.db, week))!, created };
}

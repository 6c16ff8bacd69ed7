// The issue as the API and the editor see it: items with their events and scores, status, delivery counts.
import { getEventsByIds } from '../../db/repos/events.js';
import { deliveryCounts, listItems } from '../../db/repos/issues.js';
import type { IssueRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import type { NewsEvent } from '../events/event.js';
import { requireIssue } from './issue-lifecycle.js';
import type { ScoreBreakdown } from '../selection/select-top-events.js';
import { isHeldForEditor } from '../send/restore-hold.js';

export interface IssueItemView {
  id: number;
  position: number;
  pinned: boolean;
  excluded: boolean;
  addedBy: 'auto' | 'editor';
  title: string;
  blurb: string | null;
  titleOverride: string | null;
  blurbOverride: string | null;
  score: number;
  scoreBreakdown: ScoreBreakdown;
  sourceCount: number;
  mergedEventIds: number[];
  event: NewsEvent;
}

export interface DeliveryCountsView {
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  failed: number;
  suppressed: number;
}

export interface IssueView {
  id: string;
  week: string;
  slug: string;
  status: IssueRow['status'];
  subject: string;
  preheader: string;
  intro: string | null;
  engine: IssueRow['engine'];
  subjectIsDefault: boolean;
  preheaderIsDefault: boolean;
  scheduledAt: string | null;
  startedAt: string | null;
  sentAt: string | null;
  missedAt: string | null;
  failureReason: string | null;
  pausedReason: string | null;
  /** Paused until an editor resumes it (after a restore), not until a time. */
  heldForEditor: boolean;
  builtAt: string;
  items: IssueItemView[];
  counts: DeliveryCountsView;
}

export function countsFrom(byStatus: Record<string, number>, audienceTotal: number | null): DeliveryCountsView {
  const g = (k: string) => byStatus[k] ?? 0;
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return {
    total: Math.max(total, audienceTotal ?? 0),
    queued: g('queued') + g('claimed'),
    // "sent" counts everything the provider accepted, whatever happened afterwards
    sent: g('sent') + g('delivered') + g('delayed') + g('bounced') + g('complained'),
    delivered: g('delivered'),
    bounced: g('bounced'),
    complained: g('complained'),
    failed: g('failed'),
    suppressed: g('suppressed'),
  };
}

export async function getIssueView(deps: Pick<Deps, 'db'>, id: string): Promise<IssueView> {
  const issue = await requireIssue(deps, id);
  const rows = await listItems(deps.db, id);
  const events = new Map(
    (
      await getEventsByIds(
        deps.db,
        rows.map((r) => r.event_id),
      )
    ).map((e) => [e.id, e]),
  );
  const items: IssueItemView[] = rows
    .filter((r) => events.has(r.event_id))
    .map((r) => {
      const event = events.get(r.event_id)!;
      return {
        id: r.id,
        position: r.position,
        pinned: r.pinned === 1,
        excluded: r.excluded === 1,
        addedBy: r.added_by,
        title: r.title_override ?? event.title,
        blurb: r.blurb_override ?? event.whyItMatters ?? event.summary,
        titleOverride: r.title_override,
        blurbOverride: r.blurb_override,
        score: Math.round(r.score * 1000) / 1000,
        scoreBreakdown: JSON.parse(r.score_breakdown) as ScoreBreakdown,
        sourceCount: r.source_count,
        mergedEventIds: JSON.parse(r.merged_event_ids) as number[],
        event,
      };
    });
  return {
    id: issue.id,
    week: issue.week,
    slug: issue.slug,
    status: issue.status,
    subject: issue.subject ?? issue.default_subject,
    preheader: issue.preheader ?? issue.default_preheader,
    intro: issue.intro,
    engine: issue.engine,
    subjectIsDefault: issue.subject === null,
    preheaderIsDefault: issue.preheader === null,
    scheduledAt: issue.scheduled_at,
    startedAt: issue.started_at,
    sentAt: issue.sent_at,
    missedAt: issue.missed_at,
    failureReason: issue.failure_reason,
    pausedReason: issue.paused_reason,
    heldForEditor: isHeldForEditor(issue),
    builtAt: issue.built_at,
    items,
    counts: countsFrom(await deliveryCounts(deps.db, id), issue.audience_total),
  };
}

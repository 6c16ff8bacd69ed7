// The sender protects its own reputation: complaint and hard-bounce rates over their thresholds pause a send for an
// editor (or stop it), checked after each provider event and before each new batch, on Node and Workers alike.
import type { SendGuardConfig } from '../../config.js';
import { guardCountsOf } from '../../db/repos/issue-funnel.js';
import { pauseIssueForGuard, transitionIssueRow } from '../../db/repos/issues.js';
import type { GuardKind, IssueRow } from '../../db/schema.js';
import { recordAudit } from '../editors/audit.js';
import type { Deps } from '../deps.js';

export interface GuardCounts {
  /** Reached the inbox: delivered, or complained (a complaint is about a delivered mail). */
  delivered: number;
  complained: number;
  bounced: number;
}

export type GuardVerdict = { action: 'none' } | { action: 'pause' | 'stop'; kind: GuardKind; reason: string };

const percent = (f: number) => `${(f * 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/** The rule itself, pure: which guard trips on these counts, given the guards the editor already resumed past. */
export function judgeSendGuards(counts: GuardCounts, cleared: readonly GuardKind[], g: SendGuardConfig): GuardVerdict {
  if (counts.delivered < g.minDelivered) return { action: 'none' };
  const complaintRate = counts.complained / counts.delivered;
  const bounceRate = counts.bounced / (counts.delivered + counts.bounced);
  const complaints = `${counts.complained} complaints of ${counts.delivered} delivered (${percent(complaintRate)})`;
  if (complaintRate > g.complaintStop) {
    return {
      action: 'stop',
      kind: 'complaints',
      reason: `Stopped by the complaint guard: ${complaints} is over GUARD_COMPLAINT_STOP (${percent(g.complaintStop)}). No more batches of this issue are sent; readers not reached yet do not get it.`,
    };
  }
  if (complaintRate > g.complaintPause && !cleared.includes('complaints')) {
    return {
      action: 'pause',
      kind: 'complaints',
      reason: `Paused by the complaint guard: ${complaints} is over GUARD_COMPLAINT_PAUSE (${percent(g.complaintPause)}). Nothing more is sent until an editor resumes; at ${percent(g.complaintStop)} the send stops.`,
    };
  }
  if (bounceRate > g.bouncePause && !cleared.includes('bounces')) {
    return {
      action: 'pause',
      kind: 'bounces',
      reason: `Paused by the bounce guard: ${counts.bounced} hard bounces of ${counts.delivered + counts.bounced} delivered or bounced (${percent(bounceRate)}) is over GUARD_BOUNCE_PAUSE (${percent(g.bouncePause)}). Nothing more is sent until an editor resumes.`,
    };
  }
  return { action: 'none' };
}

export const clearedGuards = (issue: Pick<IssueRow, 'guards_cleared'>): GuardKind[] => issue.guards_cleared.split(',').filter(Boolean) as GuardKind[];

/**
 * Weighs the issue's counters (kept by triggers, so this is one indexed read) and pauses or stops it. Both moves are
 * conditional updates: of a webhook and a sender deciding at once, one acts and the other finds nothing to do. A
 * batch already handed to the provider finishes and is recorded as usual, so nothing is lost or sent twice.
 */
export async function enforceSendGuards(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>, issue: IssueRow): Promise<GuardVerdict['action']> {
  if (issue.status !== 'sending') return 'none';
  const counts = await guardCountsOf(deps.db, issue.id);
  const verdict = judgeSendGuards({ ...counts, delivered: counts.delivered + counts.complained }, clearedGuards(issue), deps.config.guards);
  if (verdict.action === 'none') return 'none';
  const nowIso = deps.clock.now().toISOString();
  const moved =
    verdict.action === 'stop'
      ? await transitionIssueRow(deps.db, issue.id, ['sending'], 'failed', {
          failure_reason: verdict.reason,
          paused_reason: null,
          resume_after: null,
          guard_paused: null,
          updated_at: nowIso,
        })
      : issue.guard_paused === null && (await pauseIssueForGuard(deps.db, issue.id, verdict.kind, verdict.reason, nowIso));
  if (!moved) return 'none';
  deps.log.warn(`Issue ${issue.id}: ${verdict.reason}`);
  await recordAudit(deps, 'system', {
    action: verdict.action === 'stop' ? 'issue.stopped_by_guard' : 'issue.paused_by_guard',
    targetType: 'issue',
    targetId: issue.id,
    details: { guard: verdict.kind, ...counts },
  });
  return verdict.action;
}

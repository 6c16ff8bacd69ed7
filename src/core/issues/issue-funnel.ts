// What became of an issue's mails, per issue and per edition: accepted, delivered, bounced, complained, failed and
// the readers who left after it, from counters the database keeps (migrations/0009), so reading it costs no scan.
import { funnelCountsOf, type FunnelCountsRow, listRecentSentIssues } from '../../db/repos/issue-funnel.js';
import type { IssueRow, IssueStatus } from '../../db/schema.js';
import { type Topic, topicsOfMask } from '../../shared/topics.js';
import type { Deps } from '../deps.js';
import { requireIssue } from './issue-lifecycle.js';

export interface FunnelCounts {
  /** The provider accepted the mail (gave it an id), whatever happened later. */
  accepted: number;
  /** Reached the inbox: delivered events, complaints included (a complaint is about a delivered mail). */
  delivered: number;
  /** Hard bounces. */
  bounced: number;
  complained: number;
  /** Refused by the provider at sending, or failed after it accepted. */
  failed: number;
  /** Left (unsubscribed) within 7 days after this issue was sent to them, and before the next one. */
  unsubscribed: number;
}

export interface EditionFunnel extends FunnelCounts {
  edition: number;
  /** The topics of the edition; [] is the default edition. */
  topics: Topic[];
}

export interface IssueFunnel extends FunnelCounts {
  issueId: string;
  week: string;
  subject: string;
  status: IssueStatus;
  sentAt: string | null;
  startedAt: string | null;
  /** Readers in the snapshot (null before it is taken). */
  audience: number | null;
  editions: EditionFunnel[];
}

const EMPTY: FunnelCounts = { accepted: 0, delivered: 0, bounced: 0, complained: 0, failed: 0, unsubscribed: 0 };

function countsOf(r: FunnelCountsRow): FunnelCounts {
  return {
    accepted: r.accepted,
    delivered: r.delivered + r.complained,
    bounced: r.bounced,
    complained: r.complained,
    failed: r.failed,
    unsubscribed: r.unsubscribed,
  };
}

function add(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
  return {
    accepted: a.accepted + b.accepted,
    delivered: a.delivered + b.delivered,
    bounced: a.bounced + b.bounced,
    complained: a.complained + b.complained,
    failed: a.failed + b.failed,
    unsubscribed: a.unsubscribed + b.unsubscribed,
  };
}

function funnelOf(issue: IssueRow, rows: FunnelCountsRow[]): IssueFunnel {
  const editions = rows.map((r) => ({ edition: r.edition, topics: topicsOfMask(r.edition), ...countsOf(r) }));
  return {
    issueId: issue.id,
    week: issue.week,
    subject: issue.subject_snapshot ?? issue.subject ?? issue.default_subject,
    status: issue.status,
    sentAt: issue.sent_at,
    startedAt: issue.started_at,
    audience: issue.audience_total,
    ...editions.reduce<FunnelCounts>(add, EMPTY),
    editions,
  };
}

/** One issue's funnel, with a row per edition its readers got. */
export async function issueFunnel(deps: Pick<Deps, 'db'>, issueId: string): Promise<IssueFunnel> {
  const issue = await requireIssue(deps, issueId);
  return funnelOf(issue, await funnelCountsOf(deps.db, [issueId]));
}

/** The funnels of the last `lastN` issues that went out (sending, sent, or stopped), oldest first for a chart. */
export async function issueFunnelTrend(deps: Pick<Deps, 'db'>, lastN = 12): Promise<IssueFunnel[]> {
  const issues = await listRecentSentIssues(deps.db, lastN);
  const rows = await funnelCountsOf(
    deps.db,
    issues.map((i) => i.id),
  );
  return issues
    .map((i) =>
      funnelOf(
        i,
        rows.filter((r) => r.issue_id === i.id),
      ),
    )
    .reverse();
}

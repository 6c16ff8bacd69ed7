// The delivery funnel's storage: counters per (issue, edition) that triggers keep (migrations/0009), read by primary
// key, so the dashboard's last issue and 12-issue trend cost a few index lookups however large the audience.
import { sql } from 'kysely';
import type { DB, IssueRow } from '../schema.js';

export interface FunnelCountsRow {
  issue_id: string;
  edition: number;
  accepted: number;
  sent: number;
  delivered: number;
  delayed: number;
  bounced: number;
  complained: number;
  failed: number;
  suppressed: number;
  unsubscribed: number;
}

/** The counters of these issues, one row per edition that has any. */
export async function funnelCountsOf(db: DB, issueIds: string[]): Promise<FunnelCountsRow[]> {
  if (!issueIds.length) return [];
  return db.selectFrom('issue_funnel_counts').selectAll().where('issue_id', 'in', issueIds).orderBy('issue_id').orderBy('edition').execute();
}

/** What the send guards weigh, summed over the issue's editions. */
export async function guardCountsOf(db: DB, issueId: string): Promise<{ delivered: number; complained: number; bounced: number }> {
  const r = await db
    .selectFrom('issue_funnel_counts')
    .select([
      sql<number>`coalesce(sum(delivered), 0)`.as('delivered'),
      sql<number>`coalesce(sum(complained), 0)`.as('complained'),
      sql<number>`coalesce(sum(bounced), 0)`.as('bounced'),
    ])
    .where('issue_id', '=', issueId)
    .executeTakeFirst();
  return { delivered: Number(r?.delivered ?? 0), complained: Number(r?.complained ?? 0), bounced: Number(r?.bounced ?? 0) };
}

/** The last `limit` issues that went out (or are going out), newest first. Issues are one a week: a small table. */
export async function listRecentSentIssues(db: DB, limit: number): Promise<IssueRow[]> {
  return db
    .selectFrom('issues')
    .selectAll()
    .where('started_at', 'is not', null)
    .where('status', 'in', ['sending', 'sent', 'failed'])
    .orderBy(sql`coalesce(sent_at, started_at)`, 'desc')
    .limit(limit)
    .execute();
}

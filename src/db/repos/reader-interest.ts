// The readerInterest score term's SQL (issue 16): every story of the last few sent issues with its readers' clicks
// (scanners excluded) and the number of that issue's mails the provider accepted.
import { sql } from 'kysely';
import type { DB } from '../schema.js';

export interface SentStoryClicks {
  issueId: string;
  eventId: number;
  /** The event's topics (JSON as stored) and category, for the core to normalise. */
  topicsJson: string;
  category: string | null;
  /** People's clicks over all editions; scanner clicks are counted apart and not included. */
  clicks: number;
  /** The issue's recap mails accepted by the provider (the funnel's "accepted"). */
  accepted: number;
}

/** The frozen links of the last `issues` sent issues (newest sent_at first), one row per story. */
export async function recentSentStoryClicks(db: DB, issues = 4): Promise<SentStoryClicks[]> {
  const r = await sql<{ issue_id: string; event_id: number; topics: string | null; category: string | null; clicks: number; accepted: number }>`
    WITH recent AS (
      SELECT id FROM issues WHERE status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT ${issues}
    ), mailed AS (
      SELECT d.issue_id, count(*) AS accepted FROM deliveries d
      WHERE d.kind = 'recap' AND d.issue_id IN (SELECT id FROM recent)
        AND d.status IN ('sent', 'delivered', 'delayed', 'bounced', 'complained')
      GROUP BY d.issue_id
    )
    SELECT l.issue_id, l.event_id, e.topics, e.category,
      coalesce((SELECT sum(c.clicks) FROM click_counts c WHERE c.issue_id = l.issue_id AND c.event_id = l.event_id), 0) AS clicks,
      coalesce(m.accepted, 0) AS accepted
    FROM issue_links l
    JOIN events e ON e.id = l.event_id
    LEFT JOIN mailed m ON m.issue_id = l.issue_id
    WHERE l.issue_id IN (SELECT id FROM recent)
    ORDER BY l.issue_id, l.event_id`.execute(db);
  return r.rows.map((x) => ({
    issueId: x.issue_id,
    eventId: Number(x.event_id),
    topicsJson: x.topics ?? '[]',
    category: x.category,
    clicks: Number(x.clicks),
    accepted: Number(x.accepted),
  }));
}

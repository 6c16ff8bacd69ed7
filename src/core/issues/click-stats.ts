// GET /api/editor/issues/:id/stats and the issue page's story ranking: what readers did with one issue, from counters
// that name nobody (plus unique readers in reader mode) and Resend's own open and click reports.
import { editionClicks, providerEngagement, storyClicks, uniqueClickReaders } from '../../db/repos/clicks.js';
import { deliveryCounts } from '../../db/repos/issues.js';
import { topicsOfMask } from '../../shared/topics.js';
import type { Deps } from '../deps.js';
import { issueFunnel, type EditionFunnel, type FunnelCounts } from './issue-funnel.js';
import { requireIssue } from './issue-lifecycle.js';
import { countsFrom } from './issue-view.js';

/**
 * Editions read by fewer readers than this are reported together: clicks on an edition of one reader would say what
 * that reader clicked, which aggregate mode promises not to know.
 */
export const MIN_EDITION_READERS = 5;

export const PROVIDER_NOTE =
  'Reported by Resend when its own open and click tracking is on. Opens are inflated: Apple Mail Privacy Protection and image proxies open every mail.';

export interface StoryClicks {
  eventId: number;
  url: string;
  title: string;
  clicks: number;
  scanners: number;
  /** Distinct consenting readers (reader mode); null in the other modes. */
  uniqueReaders: number | null;
}

export interface IssueStats {
  issueId: string;
  tracking: Deps['config']['tracking'];
  funnel: FunnelCounts & {
    suppressed: number;
    queued: number;
    total: number;
    /** The same per edition, for issues whose readers got editions of their own. */
    perEdition: EditionFunnel[];
  };
  clicks: {
    /** Clicks counted as people's (scanners excluded). */
    total: number;
    scanners: number;
    uniqueReaders: number | null;
    perStory: StoryClicks[];
    /** Per edition with at least MIN_EDITION_READERS readers; `edition: null` sums the smaller ones. */
    perEdition: { edition: number | null; topics: string[]; readers: number; clicks: number; scanners: number }[];
  };
  provider: { opened: number; clicked: number; note: string };
}

export async function issueStats(deps: Pick<Deps, 'db' | 'config'>, issueId: string): Promise<IssueStats> {
  const issue = await requireIssue(deps, issueId);
  const [byStatus, funnel, stories, editions, unique, provider] = await Promise.all([
    deliveryCounts(deps.db, issueId),
    issueFunnel(deps, issueId),
    storyClicks(deps.db, issueId),
    editionClicks(deps.db, issueId),
    uniqueClickReaders(deps.db, issueId),
    providerEngagement(deps.db, issueId),
  ]);
  const c = countsFrom(byStatus, issue.audience_total);
  const readerMode = deps.config.tracking === 'reader' || unique > 0;
  const big = editions.filter((e) => e.readers >= MIN_EDITION_READERS);
  const small = editions.filter((e) => e.readers < MIN_EDITION_READERS);
  const perEdition: IssueStats['clicks']['perEdition'] = big.map((e) => ({
    edition: e.edition,
    topics: topicsOfMask(e.edition),
    readers: e.readers,
    clicks: e.clicks,
    scanners: e.scanners,
  }));
  if (small.length) {
    perEdition.push({
      edition: null,
      topics: [],
      readers: small.reduce((a, e) => a + e.readers, 0),
      clicks: small.reduce((a, e) => a + e.clicks, 0),
      scanners: small.reduce((a, e) => a + e.scanners, 0),
    });
  }
  return {
    issueId,
    tracking: deps.config.tracking,
    // The funnel the dashboard shows (trigger-kept counters, src/core/issues/issue-funnel.ts), plus what is still queued
    funnel: {
      accepted: funnel.accepted,
      delivered: funnel.delivered,
      bounced: funnel.bounced,
      complained: funnel.complained,
      failed: funnel.failed,
      unsubscribed: funnel.unsubscribed,
      perEdition: funnel.editions,
      suppressed: c.suppressed,
      queued: c.queued,
      total: c.total,
    },
    clicks: {
      total: stories.reduce((a, s) => a + s.clicks, 0),
      scanners: stories.reduce((a, s) => a + s.scanners, 0),
      uniqueReaders: readerMode ? unique : null,
      perStory: stories.map((s) => ({ ...s, uniqueReaders: readerMode ? s.uniqueReaders : null })),
      perEdition,
    },
    provider: { ...provider, note: PROVIDER_NOTE },
  };
}

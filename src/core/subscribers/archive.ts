// The public archive: sent issues only, rendered through the mail pipeline with neutral links (no tokens).
import { getIssueBySlug, listIssues } from '../../db/repos/issues.js';
import type { IssueRow } from '../../db/schema.js';
import { safeHttpUrl } from '../../mail/links.js';
import { compilePersonalization, type RecipientValues } from '../../mail/personalize.js';
import type { Deps } from '../deps.js';
import { weekLabel } from '../issues/iso-week.js';
import { getIssueView } from '../issues/issue-view.js';
import { renderIssueTemplate } from '../issues/render-issue.js';

export interface ArchiveEntry {
  id: string;
  slug: string;
  week: string;
  weekLabel: string;
  subject: string;
  preheader: string;
  sentAt: string;
  url: string;
}

export interface Headline {
  title: string;
  url: string | null;
  sourceName: string;
}

export interface HeadlineSample {
  /** 'sent': from the latest issue; 'draft': this week's picks so far. */
  from: 'sent' | 'draft';
  weekLabel: string;
  headlines: Headline[];
  /** The web version, for a sent issue. */
  issueUrl: string | null;
}

function entryOf(i: IssueRow, publicUrl: string): ArchiveEntry {
  return {
    id: i.id,
    slug: i.slug,
    week: i.week,
    weekLabel: weekLabel(i.week),
    subject: i.subject_snapshot ?? i.subject ?? i.default_subject,
    preheader: i.preheader ?? i.default_preheader,
    sentAt: i.sent_at ?? i.started_at ?? i.updated_at,
    url: `${publicUrl}/archive/${encodeURIComponent(i.slug)}`,
  };
}

/** Sent issues, newest first. */
export async function listArchive(deps: Pick<Deps, 'db' | 'config'>, limit = 200): Promise<ArchiveEntry[]> {
  const rows = await listIssues(deps.db, { status: ['sent'], limit });
  return rows.map((r) => entryOf(r, deps.config.publicUrl)).sort((a, b) => b.sentAt.localeCompare(a.sentAt) || b.week.localeCompare(a.week));
}

export async function latestSentIssue(deps: Pick<Deps, 'db' | 'config'>): Promise<ArchiveEntry | null> {
  return (await listArchive(deps, 5))[0] ?? null;
}

/** A taste of the newsletter for the signup page: last week's headlines, or this week's draft picks. */
export async function sampleHeadlines(deps: Pick<Deps, 'db' | 'config'>, count = 5): Promise<HeadlineSample | null> {
  const sent = (await listIssues(deps.db, { status: ['sent'], limit: 1 }))[0];
  const draft = sent ? undefined : (await listIssues(deps.db, { status: ['draft', 'scheduled', 'sending'], limit: 1 }))[0];
  const issue = sent ?? draft;
  if (!issue) return null;
  const view = await getIssueView(deps, issue.id);
  const headlines = view.items
    .filter((i) => !i.excluded)
    .slice(0, count)
    .map((i) => ({ title: i.title, url: safeHttpUrl(i.event.url), sourceName: i.event.sourceName }));
  if (headlines.length === 0) return null;
  const issueUrl = sent ? `${deps.config.publicUrl}/archive/${encodeURIComponent(sent.slug)}` : null;
  return { from: sent ? 'sent' : 'draft', weekLabel: weekLabel(issue.week), headlines, issueUrl };
}

/** Links that stand in for a reader's own in the web version: pages that explain where to find yours. */
export function neutralRecipient(publicUrl: string): RecipientValues {
  return { unsubscribeUrl: `${publicUrl}/unsubscribe`, preferencesUrl: `${publicUrl}/preferences`, name: null };
}

export interface ArchivedIssue {
  entry: ArchiveEntry;
  html: string;
  text: string;
  /** Changes whenever the stored issue does; good as a cache key and ETag. */
  version: string;
}

/** The web version of a sent issue: the very mail that went out (its frozen snapshot when there is one). */
export async function readArchivedIssue(deps: Pick<Deps, 'db' | 'config'>, slug: string): Promise<ArchivedIssue | null> {
  const issue = await getIssueBySlug(deps.db, slug);
  if (!issue || issue.status !== 'sent') return null;
  const template =
    issue.html_snapshot !== null && issue.text_snapshot !== null
      ? { html: issue.html_snapshot, text: issue.text_snapshot }
      : await renderIssueTemplate(deps, issue.id);
  const filled = compilePersonalization(template)(neutralRecipient(deps.config.publicUrl));
  return { entry: entryOf(issue, deps.config.publicUrl), ...filled, version: `${issue.id}:${issue.updated_at}` };
}

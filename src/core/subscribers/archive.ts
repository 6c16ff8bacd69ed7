// The public archive: sent issues only, rendered through the mail pipeline with neutral links (no tokens).
import { getIssueBySlug, listIssues } from '../../db/repos/issues.js';
import { listEditions } from '../../db/repos/editions.js';
import type { IssueRow } from '../../db/schema.js';
import { safeHttpUrl } from '../../mail/links.js';
import { compilePersonalization, type RecipientValues } from '../../mail/personalize.js';
import type { Deps } from '../deps.js';
import { weekLabel } from '../issues/iso-week.js';
import { getIssueView } from '../issues/issue-view.js';
import { renderIssueTemplate } from '../issues/render-issue.js';
import { editionOfPool, getIssuePool } from '../issues/issue-pool.js';
import { TOPIC_LABELS, TOPICS, type Topic } from '../../shared/topics.js';

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
  /** The edition shown (0: the default). */
  edition: number;
  /** The week's other pool stories, not in the edition shown, by topic in TOPICS order. */
  more: TopicGroup[];
}

export interface TopicGroup {
  topic: string;
  label: string;
  stories: Headline[];
}

/** A sent issue's cache key without rendering anything, so a cached web version costs one read. */
export async function archivedIssueVersion(deps: Pick<Deps, 'db'>, slug: string): Promise<string | null> {
  const issue = await getIssueBySlug(deps.db, slug);
  return issue && issue.status === 'sent' ? `${issue.id}:${issue.updated_at}` : null;
}

/**
 * The web version of a sent issue: the very mail that went out (its frozen snapshot when there is one), as the
 * default edition or a reader's own (`edition`, what "view in browser" links to), then the rest of the week's pool.
 */
export async function readArchivedIssue(deps: Pick<Deps, 'db' | 'config'>, slug: string, edition = 0): Promise<ArchivedIssue | null> {
  const issue = await getIssueBySlug(deps.db, slug);
  if (issue?.status !== 'sent') return null;
  const frozen = (await listEditions(deps.db, issue.id)).find((e) => e.edition === edition);
  const template =
    edition === 0 && issue.html_snapshot !== null && issue.text_snapshot !== null
      ? { html: issue.html_snapshot, text: issue.text_snapshot }
      : frozen
        ? { html: frozen.html_snapshot, text: frozen.text_snapshot }
        : // An edition nobody got (a hand-edited link) is rendered from the same pool the send used.
          await renderIssueTemplate(deps, issue.id, { edition });
  const filled = compilePersonalization(template)(neutralRecipient(deps.config.publicUrl));
  const more = await moreFromTheWeek(deps, issue.id, frozen ? (JSON.parse(frozen.event_ids) as number[]) : null, edition);
  return { entry: entryOf(issue, deps.config.publicUrl), ...filled, version: `${issue.id}:${issue.updated_at}`, edition, more };
}

/** Pool stories the shown edition left out, each once under its first known topic, best first within a topic. */
async function moreFromTheWeek(deps: Pick<Deps, 'db' | 'config'>, issueId: string, shownIds: number[] | null, edition: number): Promise<TopicGroup[]> {
  const view = await getIssueView(deps, issueId);
  const pool = await getIssuePool(deps, view);
  const shown = new Set(shownIds ?? (edition === 0 ? pool.defaultIds : editionOfPool(pool, edition, deps.config).items.map((i) => i.event.id)));
  const groups = new Map<string, Headline[]>();
  for (const p of pool.pool) {
    if (shown.has(p.eventId)) continue;
    const topic = p.topics.find((t) => (TOPICS as readonly string[]).includes(t)) ?? 'other';
    const list = groups.get(topic) ?? [];
    list.push({ title: p.title, url: safeHttpUrl(p.item.event.url), sourceName: p.item.event.sourceName });
    groups.set(topic, list);
  }
  const order = [...TOPICS, 'other'] as string[];
  return [...groups.entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([topic, stories]) => ({ topic, label: TOPIC_LABELS[topic as Topic] ?? 'Other', stories }));
}

// Turns an issue and its items into exactly what the templates show; templates hold no logic.
import type { Config } from '../config.js';
import { TOPIC_LABELS, type Topic } from '../shared/topics.js';
import { introStyle } from '../../emails/components/theme.js';
import { normalizeLine, truncateGraphemes } from './graphemes.js';
import { renderIntroMarkdown } from './intro-markdown.js';
import { addUtm, isUnderBase, safeHttpUrl, safeImageUrl } from './links.js';
import { PLACEHOLDERS, neutralizePlaceholders } from './placeholders.js';
import { formatWeekLabel } from './week-label.js';

export const SUBJECT_MAX_GRAPHEMES = 120;
export const PREHEADER_MAX_GRAPHEMES = 150;
/** Generated notes are cut to stay one glanceable paragraph; an editor's blurb is shown as written. */
export const NOTE_MAX_GRAPHEMES = 280;
export const UTM_SOURCE = 'weekly-ai-recap';
export const UTM_MEDIUM = 'email';
export const DEFAULT_BRAND = 'Weekly AI Recap';

export interface IssueInput {
  id: string;
  week: string;
  slug: string;
  subject?: string | null;
  preheader?: string | null;
  intro?: string | null;
  defaultSubject: string;
  defaultPreheader: string;
}

export interface IssueItemInput {
  title: string;
  url: string;
  sourceName: string;
  sourceUrl?: string | null;
  summary?: string | null;
  whyItMatters?: string | null;
  /** The editor's override; wins over whyItMatters. */
  blurb?: string | null;
  topics: string[];
  imageUrl?: string | null;
  keyTakeaways?: string[];
  /** The story's /r/ link when clicks are measured (issue 16): shown instead of the article URL, in HTML and text. */
  trackedHref?: string | null;
}

export interface BuildIssueViewModelInput {
  issue: IssueInput;
  items: IssueItemInput[];
  config: Pick<Config, 'publicUrl' | 'postalAddress' | 'mailFrom'>;
  weekLabel?: string;
  /** A reader's own edition (issue 15): its number (topic bit mask) and the topics it was picked for; absent = default. */
  edition?: { edition: number; topics: readonly string[] };
}

export interface ItemViewModel {
  position: number;
  /** "01", "02"… */
  numberLabel: string;
  title: string;
  /** Article link with UTM tags; null when the source URL was not http(s) (never a javascript: href). */
  href: string | null;
  /** Where the story leads (the article with UTM tags), also when href is the click-measuring /r/ link. */
  targetHref?: string | null;
  sourceName: string;
  sourceHref: string | null;
  topicLabel: string | null;
  note: string | null;
  image: { src: string; alt: string } | null;
}

export interface IssueViewModel {
  lang: string;
  brand: string;
  subject: string;
  preheader: string;
  weekLabel: string;
  /** Placeholder filled per recipient by personalize(). */
  greetingName: string;
  introHtml: string | null;
  introText: string | null;
  storiesHeading: string;
  items: ItemViewModel[];
  archiveUrl: string;
  archiveIndexUrl: string;
  siteUrl: string;
  siteLabel: string;
  /** Placeholders filled per recipient by personalize(). */
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** "Picked for you: Policy, Safety" on a reader's own edition, with a link to change topics; null on the default. */
  pickedFor: { label: string; topics: string } | null;
  reason: string;
  postalAddress: string;
}

export function buildIssueViewModel(input: BuildIssueViewModelInput): IssueViewModel {
  const { issue, config } = input;
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  const brand = brandFromMailFrom(config.mailFrom);
  const utm = { source: UTM_SOURCE, medium: UTM_MEDIUM, campaign: issue.slug };
  const subject = truncateGraphemes(clean(issue.subject) || clean(issue.defaultSubject) || `${brand}: ${issue.week}`, SUBJECT_MAX_GRAPHEMES);
  const preheader = truncateGraphemes(clean(issue.preheader) || clean(issue.defaultPreheader), PREHEADER_MAX_GRAPHEMES);
  const intro = issue.intro ? renderIntroMarkdown(issue.intro, { style: introStyle, utm, publicUrl }) : null;
  const items = input.items.map((item, i) => buildItem(item, i + 1, publicUrl, utm));
  const siteLabel = hostLabel(publicUrl);
  return {
    lang: 'en',
    brand,
    subject,
    preheader,
    weekLabel: clean(input.weekLabel) || formatWeekLabel(issue.week),
    greetingName: PLACEHOLDERS.name,
    introHtml: intro?.html ?? null,
    introText: intro?.text ?? null,
    storiesHeading: items.length === 1 ? 'The story that mattered this week' : `${items.length} stories that mattered this week`,
    items,
    // "View in browser" shows the reader's own edition.
    archiveUrl: `${publicUrl}/archive/${encodeURIComponent(issue.slug)}${input.edition?.edition ? `?edition=${input.edition.edition}` : ''}`,
    archiveIndexUrl: `${publicUrl}/archive`,
    siteUrl: `${publicUrl}/`,
    siteLabel,
    unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
    preferencesUrl: PLACEHOLDERS.preferencesUrl,
    pickedFor: input.edition?.edition
      ? { label: 'Picked for you:', topics: input.edition.topics.map((t) => TOPIC_LABELS[t as Topic] ?? clean(t)).join(', ') }
      : null,
    reason: `You are getting this because you subscribed to ${brand} at ${siteLabel}.`,
    postalAddress: clean(config.postalAddress),
  };
}

function buildItem(item: IssueItemInput, position: number, publicUrl: string, utm: { source: string; medium: string; campaign: string }): ItemViewModel {
  const title = clean(item.title) || 'Untitled';
  const web = safeHttpUrl(item.url);
  const blurb = clean(item.blurb);
  const generated = clean(item.whyItMatters) || clean(item.summary);
  const note = blurb || (generated ? truncateGraphemes(generated, NOTE_MAX_GRAPHEMES) : '');
  const topic = item.topics.map(clean).find(Boolean);
  const image = safeImageUrl(item.imageUrl);
  const target = web ? (isUnderBase(web, publicUrl) ? web : addUtm(web, utm)) : null;
  return {
    position,
    numberLabel: String(position).padStart(2, '0'),
    title,
    // a story with no safe URL gets no link at all, measured or not
    href: target && item.trackedHref ? item.trackedHref : target,
    targetHref: target,
    sourceName: clean(item.sourceName) || hostLabel(web ?? ''),
    sourceHref: safeHttpUrl(item.sourceUrl),
    topicLabel: topic ? (TOPIC_LABELS[topic as Topic] ?? topic) : null,
    note: note || null,
    image: image ? { src: image, alt: title } : null,
  };
}

function clean(s: string | null | undefined): string {
  return neutralizePlaceholders(normalizeLine(s));
}

/** "Weekly AI Recap <recap@example.com>" → "Weekly AI Recap". */
export function brandFromMailFrom(mailFrom: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*</.exec(mailFrom);
  return clean(m?.[1]) || DEFAULT_BRAND;
}

function hostLabel(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return url;
  }
}

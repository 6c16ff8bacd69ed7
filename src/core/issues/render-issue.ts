// Renders an issue for sending, preview and the archive: one render with per-recipient slots, filled later.
import type { Config } from '../../config.js';
import { buildIssueViewModel, type BuildIssueViewModelInput } from '../../mail/view-model.js';
import { renderIssue, type RenderedMail } from '../../mail/render.js';
import { compilePersonalization, type RecipientValues } from '../../mail/personalize.js';
import { runPresendChecks } from '../../mail/presend-checks.js';
import type { Engine } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { getIssueView, type IssueView } from './issue-view.js';
import { editionOfPool, getIssuePool, type EditionView, type IssuePool } from './issue-pool.js';
import { enqueueMail } from '../send/enqueue-mail.js';
import { weekLabel } from './iso-week.js';
import { recapHeaders } from '../send/recap-headers.js';
import { trackedStoryHrefs } from './click-links.js';

export interface IssueTemplate extends RenderedMail {
  subject: string;
  preheader: string;
}

/** The view model's input for the default edition, or for one reader edition's stories. */
export function viewModelInput(view: IssueView, config: Config, edition?: EditionView, trackedHrefs?: ReadonlyMap<number, string>): BuildIssueViewModelInput {
  const items = edition ? edition.items : view.items.filter((i) => !i.excluded);
  return {
    issue: {
      id: view.id,
      week: view.week,
      slug: view.slug,
      subject: view.subject,
      preheader: view.preheader,
      intro: view.intro,
      defaultSubject: view.subject,
      defaultPreheader: view.preheader,
    },
    items: items.map((i) => ({
      title: i.title,
      url: i.event.url,
      sourceName: i.event.sourceName,
      sourceUrl: i.event.sourceUrl,
      summary: i.event.summary,
      whyItMatters: i.event.whyItMatters,
      blurb: i.blurbOverride,
      topics: i.event.topics,
      imageUrl: i.event.imageUrl,
      keyTakeaways: i.event.keyTakeaways,
      trackedHref: trackedHrefs?.get(i.event.id) ?? null,
    })),
    config,
    weekLabel: weekLabel(view.week),
    ...(edition && edition.edition !== 0 ? { edition: { edition: edition.edition, topics: edition.topics } } : {}),
  };
}

export interface RenderOptions {
  engine?: Engine;
  /** A reader edition (topic bit mask); 0 or absent: the default edition. */
  edition?: number;
}

/** The issue rendered once, with placeholders for each reader's links and name. */
export async function renderIssueTemplate(
  deps: Pick<Deps, 'db' | 'config'>,
  id: string,
  opts: RenderOptions & { track?: boolean } = {},
): Promise<EditionTemplate> {
  const [t] = await renderIssueEditions(deps, id, [opts.edition ?? 0], opts);
  return t;
}

export interface EditionTemplate extends IssueTemplate {
  edition: number;
  eventIds: number[];
  /** Each linked story's destination, for the issue's frozen links (what GET /r/:token may lead to). */
  links: { eventId: number; url: string; title: string }[];
}

/** Several editions of one issue, each rendered once from one read of the issue and its pool. */
export async function renderIssueEditions(
  deps: Pick<Deps, 'db' | 'config'>,
  id: string,
  editions: readonly number[],
  opts: {
    engine?: Engine;
    loaded?: { view: IssueView; pool: IssuePool };
    /** Story links through GET /r/:token as config.tracking says (the send's render); previews link the articles. */
    track?: boolean;
  } = {},
): Promise<EditionTemplate[]> {
  const view = opts.loaded?.view ?? (await getIssueView(deps, id));
  const pool = opts.loaded?.pool ?? (editions.some((e) => e !== 0) ? await getIssuePool(deps, view) : null);
  const out: EditionTemplate[] = [];
  for (const edition of editions) {
    const ed = edition !== 0 && pool ? editionOfPool(pool, edition, deps.config) : undefined;
    const eventIds = ed ? ed.items.map((i) => i.event.id) : view.items.filter((i) => !i.excluded).map((i) => i.event.id);
    const tracked = opts.track ? await trackedStoryHrefs(deps.config, view.id, edition, eventIds) : undefined;
    const vm = buildIssueViewModel(viewModelInput(view, deps.config, ed, tracked));
    const rendered = await renderIssue(vm, opts.engine ?? view.engine);
    const links = vm.items.flatMap((item, i) => (item.targetHref ? [{ eventId: eventIds[i], url: item.targetHref, title: item.title }] : []));
    out.push({ ...rendered, subject: vm.subject, preheader: vm.preheader, edition, eventIds, links });
  }
  return out;
}

/** Neutral per-reader values for previews and the public archive: no personal tokens. */
export function sampleRecipient(config: Pick<Config, 'publicUrl'>): RecipientValues {
  return { unsubscribeUrl: `${config.publicUrl}/unsubscribe/preview`, preferencesUrl: `${config.publicUrl}/preferences/preview`, name: null };
}

export interface IssuePreview extends IssueTemplate {
  headers: Record<string, string>;
}

/** What an editor previews and what the pre-send checks inspect: the real mail with sample reader values. */
export async function renderIssuePreview(deps: Pick<Deps, 'db' | 'config'>, id: string, opts: RenderOptions = {}): Promise<IssuePreview> {
  return previewOf(deps.config, await renderIssueTemplate(deps, id, opts));
}

/** A rendered template filled with the sample reader's values and given the headers a real send carries. */
export function previewOf<T extends IssueTemplate>(config: Config, template: T): T & IssuePreview {
  const values = sampleRecipient(config);
  const filled = compilePersonalization(template)(values);
  return { ...template, ...filled, headers: recapHeaders(config, values.unsubscribeUrl) };
}

/** Queues a test copy of the issue to any address; never counted as a delivery of the issue. */
export async function sendTestIssue(deps: Deps, id: string, to: string, opts: { engine?: Engine } = {}): Promise<number> {
  const r = await renderIssuePreview(deps, id, { engine: opts.engine });
  return enqueueMail(deps, {
    kind: 'test',
    to,
    subject: `[Test] ${r.subject}`,
    html: r.html,
    text: r.text,
    headers: r.headers,
    tags: [
      { name: 'kind', value: 'test' },
      { name: 'issue', value: id },
    ],
  });
}

/** The pre-send checks on the real rendered issue; the editor UI, the API and the CLI all call this. */
export async function checkIssue(deps: Pick<Deps, 'db' | 'config'>, id: string, opts: RenderOptions = {}) {
  const preview = await renderIssuePreview(deps, id, opts);
  return { preview, report: checkPreview(deps.config, preview) };
}

export function checkPreview(config: Pick<Config, 'publicUrl'>, preview: IssuePreview) {
  return runPresendChecks({ ...preview, publicUrl: config.publicUrl });
}

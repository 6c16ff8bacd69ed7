// The editions an issue sends: which topic sets among its audience, how many readers each, which stories, and their checks.
import { countAudienceByEdition, listEditions } from '../../db/repos/editions.js';
import type { PresendReport } from '../../mail/presend-checks.js';
import { TOPIC_LABELS, topicsOfMask, type Topic } from '../../shared/topics.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { editionOfPool, getIssuePool, type IssuePool } from './issue-pool.js';
import { getIssueView, type IssueView } from './issue-view.js';
import { checkPreview, previewOf, renderIssueEditions, type RenderOptions } from './render-issue.js';

export interface EditionItemSummary {
  eventId: number;
  title: string;
  topics: string[];
  lead: boolean;
}

export interface EditionSummary {
  /** Topic bit mask; 0 is the default edition. */
  edition: number;
  /** [] for the default edition. */
  topics: Topic[];
  /** "Default edition" or "Policy + Safety". */
  name: string;
  readers: number;
  items: EditionItemSummary[];
}

export function editionName(edition: number): string {
  return edition === 0
    ? 'Default edition'
    : topicsOfMask(edition)
        .map((t) => TOPIC_LABELS[t])
        .join(' + ');
}

/**
 * The editions that go (or went) out. Once an issue has started sending they are the frozen ones with their snapshot
 * counts; before that, the audience as a send now would snapshot it. The default edition is always listed first, so
 * an editor sees it even when every reader has topics.
 */
export async function listIssueEditions(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  id: string,
  view?: IssueView,
): Promise<{ view: IssueView; pool: IssuePool; editions: EditionSummary[] }> {
  const v = view ?? (await getIssueView(deps, id));
  const pool = await getIssuePool(deps, v);
  const frozen = await listEditions(deps.db, id);
  const byId = new Map(pool.pool.map((p) => [p.eventId, p]));
  const summarize = (eventIds: number[]): EditionItemSummary[] =>
    eventIds.map((eventId) => {
      const p = byId.get(eventId);
      return { eventId, title: p?.title ?? `Story ${eventId}`, topics: p?.topics ?? [], lead: p?.lead ?? false };
    });
  if (frozen.length > 0) {
    return {
      view: v,
      pool,
      editions: frozen.map((e) => ({
        edition: e.edition,
        topics: topicsOfMask(e.edition),
        name: editionName(e.edition),
        readers: e.readers,
        items: summarize(JSON.parse(e.event_ids) as number[]),
      })),
    };
  }
  const readers = await countAudienceByEdition(deps.db, deps.clock.now().toISOString());
  const editions = [...new Set([0, ...readers.keys()])].sort((a, b) => a - b);
  return {
    view: v,
    pool,
    editions: editions.map((edition) => ({
      edition,
      topics: topicsOfMask(edition),
      name: editionName(edition),
      readers: readers.get(edition) ?? 0,
      items: summarize(editionOfPool(pool, edition, deps.config).items.map((i) => i.event.id)),
    })),
  };
}

export interface EditionCheck {
  edition: number;
  name: string;
  report: PresendReport;
  htmlBytes: number;
}

export interface EditionsCheckReport {
  ok: boolean;
  /** The first failing edition's name, for the message that blocks the send. */
  failing: string | null;
  largestBytes: number;
  editions: EditionCheck[];
}

/** The pre-send checks on every edition that would go out; one failing edition fails the issue, by name. */
export async function checkIssueEditions(deps: Pick<Deps, 'db' | 'config' | 'clock'>, id: string, opts: RenderOptions = {}): Promise<EditionsCheckReport> {
  const { view, pool, editions } = await listIssueEditions(deps, id);
  const numbers = editions.filter((e) => e.edition === 0 || e.readers > 0).map((e) => e.edition);
  const templates = await renderIssueEditions(deps, id, numbers, { ...opts, loaded: { view, pool } });
  const checks: EditionCheck[] = templates.map((t) => {
    const preview = previewOf(deps.config, t);
    return {
      edition: t.edition,
      name: editionName(t.edition),
      report: checkPreview(deps.config, preview),
      htmlBytes: new TextEncoder().encode(preview.html).length,
    };
  });
  const failing = checks.find((c) => !c.report.ok);
  return { ok: !failing, failing: failing?.name ?? null, largestBytes: Math.max(0, ...checks.map((c) => c.htmlBytes)), editions: checks };
}

/** Refuses to start a send while any edition the audience would get fails its pre-send checks, naming the edition. */
export async function requireEditionsPass(deps: Pick<Deps, 'db' | 'config' | 'clock'>, id: string): Promise<void> {
  const r = await checkIssueEditions(deps, id);
  if (r.ok) return;
  const bad = r.editions.find((e) => !e.report.ok)!;
  const failed = bad.report.checks.filter((c) => !c.ok);
  throw new AppError(
    'validation_failed',
    `Pre-send checks fail for the ${bad.name === 'Default edition' ? 'default edition' : `"${bad.name}" edition`}: ${failed.map((c) => c.message).join('; ')}`,
    {
      edition: bad.edition,
      name: bad.name,
      failed: failed.map((c) => ({ id: c.id, message: c.message })),
    },
  );
}

/** The contract's issue object with the week's pool and the editions that go (or went) out. */
export async function issueWithEditions(deps: Pick<Deps, 'db' | 'config' | 'clock'>, id: string) {
  const view = await getIssueView(deps, id);
  const { pool, editions } = await listIssueEditions(deps, id, view);
  return {
    ...view,
    pool: pool.pool.map((p) => ({ eventId: p.eventId, rank: p.rank, title: p.title, topics: p.topics, score: p.score, inDefault: p.inDefault, lead: p.lead })),
    editions: editions.map((e) => ({ edition: e.edition, topics: e.topics, name: e.name, readers: e.readers, items: e.items })),
  };
}

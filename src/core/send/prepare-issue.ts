// Freezes what an issue sends (rendered once, stored) and snapshots its audience into delivery rows.
import { freezeIssueLinks } from '../../db/repos/clicks.js';
import type { IssueRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { outboxStoreFor, type OutboxStore } from './outbox-store.js';

type PrepareDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

/** Preparations running in this process, per database and issue. */
const running = new WeakMap<PrepareDeps['db'], Map<string, Promise<IssueRow>>>();

/**
 * Idempotent and resumable: the snapshot is written once (OutboxStore.freezeIssue: a retry must send byte-identical
 * bodies), and the audience is snapshotted by OutboxStore.snapshotAudience, which sets audience_total last, marking
 * the issue as fully fanned out. The outbox's workers all find a new issue unprepared at the
 * same moment: they share one preparation instead of each rendering it and fanning out the whole audience
 * (other processes are still safe, just not deduplicated).
 */
export function prepareIssueSend(deps: PrepareDeps, issueId: string): Promise<IssueRow> {
  let forDb = running.get(deps.db);
  if (!forDb) {
    forDb = new Map();
    running.set(deps.db, forDb);
  }
  let p = forDb.get(issueId);
  if (!p) {
    const map = forDb;
    p = prepareOnce(deps, outboxStoreFor(deps.db), issueId).finally(() => map.delete(issueId));
    forDb.set(issueId, p);
  }
  return p;
}

async function prepareOnce(deps: PrepareDeps, store: OutboxStore, issueId: string): Promise<IssueRow> {
  let issue = await store.getIssue(issueId);
  if (issue?.status !== 'sending') throw new Error(`issue ${issueId} is not sending`);
  if (issue.html_snapshot === null) {
    // Imported here, not at the top: rendering happens once per issue, and a process that only sends stored
    // snapshots then never loads the renderer, the pre-send checks and what they pull in.
    const { renderIssueTemplate } = await import('../issues/render-issue.js');
    const t = await renderIssueTemplate(deps, issueId, { track: true });
    // before the render is frozen: no mail can carry a /r/ link that has nowhere to lead
    await freezeIssueLinks(deps.db, issueId, t.links);
    await store.freezeIssue(issueId, { html: t.html, text: t.text, subject: t.subject });
    // another process may have written it first (and its write stands): always read back what is stored
  }
  if (issue.audience_total === null) {
    const total = await store.snapshotAudience(issueId, deps.clock.now().toISOString(), () => freezeEditions(deps, store, issueId));
    deps.log.info(`Issue ${issueId}: audience of ${total} reader(s) snapshotted`);
  }
  issue = (await store.getIssue(issueId))!;
  return issue;
}

/**
 * Renders and stores every edition the snapshot gave a reader and that is not stored yet, once each (readers with the
 * same topic set share one render). Runs after the fan-out and before audience_total is set, so no batch is ever built
 * without its readers' editions; after a crash the next preparation renders only what is missing. Edition 0 is the
 * issue's own frozen snapshot, so the default edition's bytes are the same whichever process rendered what.
 */
async function freezeEditions(deps: PrepareDeps, store: OutboxStore, issueId: string): Promise<void> {
  const readers = await store.countEditionReaders(issueId);
  const stored = new Set((await store.listEditions(issueId)).map((e) => e.edition));
  const missing = [...readers.keys()].filter((e) => !stored.has(e)).sort((a, b) => a - b);
  if (missing.length > 0) {
    const issue = (await store.getIssue(issueId))!;
    const { renderIssueEditions } = await import('../issues/render-issue.js');
    const rendered = await renderIssueEditions(deps, issueId, missing, { track: true });
    await freezeIssueLinks(
      deps.db,
      issueId,
      rendered.flatMap((t) => t.links),
    );
    await store.freezeEditions(
      issueId,
      rendered.map((t) => ({
        edition: t.edition,
        event_ids: JSON.stringify(t.eventIds),
        html_snapshot: t.edition === 0 ? (issue.html_snapshot ?? t.html) : t.html,
        text_snapshot: t.edition === 0 ? (issue.text_snapshot ?? t.text) : t.text,
        readers: readers.get(t.edition) ?? 0,
      })),
    );
    deps.log.info(`Issue ${issueId}: ${rendered.length} edition(s) rendered for ${readers.size} topic set(s) among its readers`);
  }
  await store.setEditionReaders(issueId, readers);
}

// Freezes what an issue sends (rendered once, stored) and snapshots its audience into delivery rows.
import { countIssueDeliveries, fanOutChunk, maxSubscriberId } from '../../db/repos/outbox.js';
import { getIssue, updateIssue } from '../../db/repos/issues.js';
import type { IssueRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';

const FAN_OUT_CHUNK = 50_000;

type PrepareDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

/** Preparations running in this process, per database and issue. */
const running = new WeakMap<PrepareDeps['db'], Map<string, Promise<IssueRow>>>();

/**
 * Idempotent and resumable: the snapshot is written once (a retry must send byte-identical bodies), the
 * fan-out is INSERT … SELECT per id range with OR IGNORE on (issue, subscriber), and audience_total is set
 * last, marking the issue as fully fanned out. The outbox's workers all find a new issue unprepared at the
 * same moment: they share one preparation instead of each rendering it and fanning out the whole audience
 * (other processes are still safe, just not deduplicated).
 */
export function prepareIssueSend(deps: PrepareDeps, issueId: string): Promise<IssueRow> {
  let forDb = running.get(deps.db);
  if (!forDb) running.set(deps.db, (forDb = new Map()));
  let p = forDb.get(issueId);
  if (!p) {
    const map = forDb;
    p = prepareOnce(deps, issueId).finally(() => map.delete(issueId));
    forDb.set(issueId, p);
  }
  return p;
}

async function prepareOnce(deps: PrepareDeps, issueId: string): Promise<IssueRow> {
  let issue = await getIssue(deps.db, issueId);
  if (!issue || issue.status !== 'sending') throw new Error(`issue ${issueId} is not sending`);
  if (issue.html_snapshot === null) {
    // Imported here, not at the top: rendering happens once per issue, and a process that only sends stored
    // snapshots then never loads the renderer, the pre-send checks and what they pull in.
    const { renderIssueTemplate } = await import('../issues/render-issue.js');
    const t = await renderIssueTemplate(deps, issueId);
    await updateIssue(deps.db, issueId, { html_snapshot: t.html, text_snapshot: t.text, subject_snapshot: t.subject }, ['sending']);
    // another process may have written it first: always read back what is stored
  }
  if (issue.audience_total === null) {
    const nowIso = deps.clock.now().toISOString();
    const maxId = await maxSubscriberId(deps.db);
    for (let after = 0; after < maxId; after += FAN_OUT_CHUNK) {
      await fanOutChunk(deps.db, issueId, after, Math.min(after + FAN_OUT_CHUNK, maxId), nowIso);
    }
    const total = await countIssueDeliveries(deps.db, issueId);
    await updateIssue(deps.db, issueId, { audience_total: total }, ['sending']);
    deps.log.info(`Issue ${issueId}: audience of ${total} reader(s) snapshotted`);
  }
  issue = (await getIssue(deps.db, issueId))!;
  return issue;
}

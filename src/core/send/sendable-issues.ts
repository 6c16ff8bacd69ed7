// Which sending issues may send now, each frozen and fanned out first: the one answer the Node runner (run-outbox)
// and the Workers tick (src/entry/worker/outbox.ts) both use, so a pause or a preparation rule is written once.
import type { IssueRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import type { OutboxStore } from './outbox-store.js';
import { prepareIssueSend } from './prepare-issue.js';
import { enforceSendGuards } from './send-guards.js';

/**
 * Issues in `sending`, by week, skipping those paused until later (a provider pause, or a restore hold that only an
 * editor releases), each prepared (snapshot and audience) before it is yielded, so its rows can be claimed. Lazy: a
 * caller that stops at the first issue with work prepares no other. Preparing is idempotent, so repeating is safe.
 * The send guards are weighed before each issue is offered (webhooks weigh them too; this catches counts that moved
 * while a webhook's own check failed, and runs on every runtime), so a tripped guard stops new batches at once.
 */
export async function* sendableIssues(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>, store: OutboxStore): AsyncGenerator<IssueRow> {
  for (const issue of await store.listSendingIssues()) {
    if (issue.resume_after && issue.resume_after > deps.clock.now().toISOString()) continue;
    if ((await enforceSendGuards(deps, issue)) !== 'none') continue;
    yield issue.audience_total === null || issue.html_snapshot === null ? await prepareIssueSend(deps, issue.id) : issue;
  }
}

// The send engine's storage (the OutboxStore of src/core/send/outbox-store.ts) over one Kysely handle: the outbox,
// issue and lease repositories bound to it. No SQL here; the statements and their guarantees are in the repos.
// Typed structurally (src/db does not import core): the core's `outboxStoreFor` checks it against the interface.
import { acquireLease, releaseLease } from './repos/leases.js';
import { clearProviderPause, getIssue, listDueIssues, listIssuesInStatus, setProviderPause, transitionIssueRow } from './repos/issues.js';
import {
  batchMembers,
  claimNewBatch,
  closeBatch,
  countQueued,
  deferBatch,
  deferRefusedBatch,
  deferUnknownOutcome,
  freezeIssueSnapshot,
  hasQueued,
  insertTransactional,
  insertTransactionalMany,
  insertTransactionalUnlessSince,
  issueSendComplete,
  leaseDueBatch,
  markAttempt,
  recordBatchSent,
  releaseBatchLease,
  releaseMembersAfter,
  resuppressUnattempted,
  snapshotAudience,
} from './repos/outbox.js';
import type { NewTransactional } from './repos/outbox.js';
import { countDeliveriesByEdition, insertEditions, listEditions, setEditionReaders, type EditionWrite } from './repos/editions.js';
import type { DB, DeliveryBatchRow, IssueStatus, IssueUpdate } from './schema.js';

export function createOutboxStore(db: DB) {
  return {
    enqueue: (mail: NewTransactional, nowIso: string) => insertTransactional(db, mail, nowIso),
    enqueueUnlessSince: (mail: NewTransactional & { subscriberId: number }, nowIso: string, sinceIso: string) =>
      insertTransactionalUnlessSince(db, mail, nowIso, sinceIso),
    enqueueMany: (mails: NewTransactional[], nowIso: string) => insertTransactionalMany(db, mails, nowIso),

    getIssue: (issueId: string) => getIssue(db, issueId),
    freezeIssue: (issueId: string, snapshot: { html: string; text: string; subject: string }) => freezeIssueSnapshot(db, issueId, snapshot),
    snapshotAudience: (issueId: string, nowIso: string, beforeComplete?: () => Promise<void>) => snapshotAudience(db, issueId, nowIso, beforeComplete),
    freezeEditions: (issueId: string, rows: EditionWrite[]) => insertEditions(db, issueId, rows),
    listEditions: (issueId: string) => listEditions(db, issueId),
    countEditionReaders: (issueId: string) => countDeliveriesByEdition(db, issueId),
    setEditionReaders: (issueId: string, readers: Map<number, number>) => setEditionReaders(db, issueId, readers),

    listDueIssues: (nowIso: string) => listDueIssues(db, nowIso),
    listSendingIssues: () => listIssuesInStatus(db, 'sending'),
    moveIssue: (issueId: string, from: IssueStatus[], to: IssueStatus, patch: IssueUpdate) => transitionIssueRow(db, issueId, from, to, patch),
    pauseIssue: (issueId: string, reason: string, untilIso: string) => setProviderPause(db, issueId, reason, untilIso),
    clearIssuePause: (issueId: string) => clearProviderPause(db, issueId),
    issueSendComplete: (issueId: string) => issueSendComplete(db, issueId),

    hasQueued: (issueId: string | null) => hasQueued(db, issueId),
    countQueued: (issueId: string) => countQueued(db, issueId),
    claimBatch: (claim: { issueId: string | null; keyPrefix: string; limit: number; owner: string; leaseUntilIso: string; nowIso: string }) =>
      claimNewBatch(db, claim),
    leaseDueBatch: (owner: string, nowIso: string, leaseUntilIso: string, skip: number[]) => leaseDueBatch(db, owner, nowIso, leaseUntilIso, skip),
    resuppressUnattempted: (batch: DeliveryBatchRow, nowIso: string) => resuppressUnattempted(db, batch, nowIso),
    batchMembers: (batchId: number) => batchMembers(db, batchId),
    releaseMembersAfter: (batchId: number, lastKeptDeliveryId: number, nowIso: string) => releaseMembersAfter(db, batchId, lastKeptDeliveryId, nowIso),

    recordAttempt: (batchId: number, owner: string, nowIso: string, leaseUntilIso: string, frozen: { body?: string | Uint8Array; frame?: string }) =>
      markAttempt(db, batchId, owner, nowIso, leaseUntilIso, frozen),
    recordResults: (batchId: number, results: { deliveryId: number; resendId: string | null; error: string | null }[], nowIso: string) =>
      recordBatchSent(db, batchId, results, nowIso),
    deferBatch: (batchId: number, nextAttemptIso: string, error: string) => deferBatch(db, batchId, nextAttemptIso, error),
    releaseBatch: (batchId: number, owner: string) => releaseBatchLease(db, batchId, owner),
    deferUnknownOutcome: (batchId: number, attempt: number, nextAttemptIso: string, error: string, keep: string | Uint8Array | undefined) =>
      deferUnknownOutcome(db, batchId, attempt, nextAttemptIso, error, keep),
    deferRefused: (batchId: number, attempt: number, nextAttemptIso: string, error: string) => deferRefusedBatch(db, batchId, attempt, nextAttemptIso, error),
    holdBatch: (batchId: number, reason: string, nowIso: string) => closeBatch(db, batchId, 'held', null, reason, nowIso),
    failBatch: (batchId: number, reason: string, nowIso: string) => closeBatch(db, batchId, 'failed', 'failed', reason, nowIso),

    acquireLease: (name: string, owner: string, nowIso: string, untilIso: string) => acquireLease(db, name, owner, nowIso, untilIso),
    releaseLease: (name: string, owner: string) => releaseLease(db, name, owner),
  };
}

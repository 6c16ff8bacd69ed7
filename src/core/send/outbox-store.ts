// The storage the send engine needs, in one place, each operation with the guarantee that exactly-once rests on
// (listmonk's manager declares its Store the same way). The core talks to this interface; src/db/outbox-store.ts
// implements it once over Kysely, for better-sqlite3 and for D1 alike.
//
// Two runtimes shape the guarantees. On SQLite a multi-statement write runs in one BEGIN IMMEDIATE transaction.
// D1 has no interactive transactions: there each statement commits on its own (src/db/d1/d1-dialect.ts), so every
// operation below either is one statement, or is a sequence whose every prefix is safe and repaired by the next run.
import { createOutboxStore } from '../../db/outbox-store.js';
import type { BatchMember, NewTransactional } from '../../db/repos/outbox.js';
import type { DB, DeliveryBatchRow, IssueEditionRow, IssueRow, IssueStatus, IssueUpdate } from '../../db/schema.js';
import type { EditionWrite } from '../../db/repos/editions.js';

export type { BatchMember, NewTransactional };

export interface IssueSnapshot {
  html: string;
  text: string;
  subject: string;
}

export interface ClaimRequest {
  /** The issue whose recaps to claim, or null for transactional mail (highest priority first). */
  issueId: string | null;
  /** The batch's idempotency key is `${keyPrefix}-${batch id}`. */
  keyPrefix: string;
  limit: number;
  owner: string;
  leaseUntilIso: string;
  nowIso: string;
}

/** What an attempt stores for its retries: the request itself and/or a recap's frame (src/core/send/batch-request.ts). */
export interface FrozenRequest {
  body?: string | Uint8Array;
  frame?: string;
}

export interface RecipientResult {
  deliveryId: number;
  /** The provider's id; null exactly when `error` is set. */
  resendId: string | null;
  error: string | null;
}

export interface OutboxStore {
  // ---------- queueing transactional mail ----------

  /** Queues one transactional row. A new row each call: callers that may repeat use `enqueueUnlessSince`. */
  enqueue(mail: NewTransactional, nowIso: string): Promise<number>;
  /**
   * Queues one row unless the subscriber got one of the same kind after `sinceIso`. One INSERT … SELECT … WHERE NOT
   * EXISTS, so concurrent requests queue one, also on D1 where a check and an insert would be two commits. Null: skipped.
   */
  enqueueUnlessSince(mail: NewTransactional & { subscriberId: number }, nowIso: string, sinceIso: string): Promise<number | null>;
  /** Queues many rows, one statement per 500: a crash loses only whole chunks, never half a row. */
  enqueueMany(mails: NewTransactional[], nowIso: string): Promise<void>;

  // ---------- freezing an issue (prepare-issue.ts) ----------

  getIssue(issueId: string): Promise<IssueRow | undefined>;
  /**
   * Stores the rendered issue once: only while it is `sending` and has no snapshot yet, so of two processes that
   * render it at once the first write wins and every batch and retry is built from the same bytes. True if written.
   */
  freezeIssue(issueId: string, snapshot: IssueSnapshot): Promise<boolean>;
  /**
   * Snapshots the audience into one `deliveries` row per active, unpaused reader: one INSERT OR IGNORE … SELECT per id
   * range, unique per (issue, subscriber), so a repeat after a crash adds only the missing rows and never a second
   * one; each row gets the reader's edition from their topics at this moment. `beforeComplete` runs after the fan-out
   * and before `audience_total`, which is written last (only while `sending`): set means fully fanned out and every
   * edition frozen. Returns the total.
   */
  snapshotAudience(issueId: string, nowIso: string, beforeComplete?: () => Promise<void>): Promise<number>;
  /**
   * Stores editions once each (INSERT … ON CONFLICT DO NOTHING per (issue, edition)): of two processes that render the
   * same edition the first write stands, and the caller reads back what is stored. Written before audience_total, so
   * no batch is built before its readers' editions exist.
   */
  freezeEditions(issueId: string, rows: EditionWrite[]): Promise<void>;
  /** The issue's frozen editions, by edition number. */
  listEditions(issueId: string): Promise<IssueEditionRow[]>;
  /** Snapshotted recap rows per edition. */
  countEditionReaders(issueId: string): Promise<Map<number, number>>;
  /** Records readers per edition for the editor's send tab; informational, repeating it is harmless. */
  setEditionReaders(issueId: string, readers: Map<number, number>): Promise<void>;

  // ---------- issue status ----------

  /** Scheduled issues whose time has come, oldest first. */
  listDueIssues(nowIso: string): Promise<IssueRow[]>;
  /** Issues in `sending`, by week; whether each may send now is `sendableIssues`' question (sendable-issues.ts). */
  listSendingIssues(): Promise<IssueRow[]>;
  /**
   * Conditional status change: one UPDATE … WHERE status IN (from), true only for the caller whose update moved it,
   * so of two racing runners exactly one starts (or finishes, or misses) an issue.
   */
  moveIssue(issueId: string, from: IssueStatus[], to: IssueStatus, patch: IssueUpdate): Promise<boolean>;
  /**
   * Pauses an issue's sending until `untilIso` with a reason editors see; never over an editor hold (a restore hold, a
   * send guard's pause), which only an editor lifts. One statement; repeating it is harmless.
   */
  pauseIssue(issueId: string, reason: string, untilIso: string): Promise<void>;
  /** Clears a provider pause once a batch went through, leaving an editor hold. One statement; repeating it is harmless. */
  clearIssuePause(issueId: string): Promise<void>;
  /** True when nothing of the issue is left to send: no queued or claimed rows, no pending or held batches. */
  issueSendComplete(issueId: string): Promise<boolean>;

  // ---------- claiming batches ----------

  /** Whether any row is queued for the issue (null: transactional mail). A hint only: the claim decides. */
  hasQueued(issueId: string | null): Promise<boolean>;
  /** Queued recaps of an issue (how many batch messages the Workers tick enqueues). A hint only: the claim decides. */
  countQueued(issueId: string): Promise<number>;
  /**
   * Atomic claim: a new batch leased to `owner`, its idempotency key derived from its id and stored (every retry
   * reuses it), up to `limit` queued rows moved to `claimed` by one UPDATE (so two claimers never take the same row,
   * on D1 too), suppression re-checked and each recipient's address and name frozen, all in one write transaction
   * on SQLite. Null when nothing was queued. A batch whose every member was suppressed comes back already `sent`.
   * On D1 a crash mid-claim leaves a pending, never attempted batch: `leaseDueBatch` finds it and
   * `resuppressUnattempted` completes it.
   */
  claimBatch(claim: ClaimRequest): Promise<DeliveryBatchRow | null>;
  /**
   * Leases one pending batch that is due (retry time reached, issue sending and not paused), whose lease is free or
   * ours, and not in `skip` (batches this process works on right now). One statement, so the take is atomic even
   * where statements share no transaction (D1). Transactional batches come first.
   */
  leaseDueBatch(owner: string, nowIso: string, leaseUntilIso: string, skip: number[]): Promise<DeliveryBatchRow | null>;
  /**
   * Re-runs suppression and refreezes recipients for a batch nothing of which may have reached the provider
   * (`first_attempt_at` null; otherwise a no-op), so an unsubscribe takes effect for every batch not yet handed over.
   * Safe to repeat after a crash.
   */
  resuppressUnattempted(batch: DeliveryBatchRow, nowIso: string): Promise<void>;
  /** The batch's claimed members in id order, with their frozen recipients: the same list on every retry. */
  batchMembers(batchId: number): Promise<BatchMember[]>;
  /**
   * Sends members after `lastKeptDeliveryId` back to the queue, only while the batch was never attempted (checked in
   * the statement). Two statements, each safe alone: a size left stale by a crash is recounted by the next claim.
   */
  releaseMembersAfter(batchId: number, lastKeptDeliveryId: number, nowIso: string): Promise<void>;

  // ---------- attempts and outcomes ----------

  /**
   * Records an attempt *before* the provider call, so a crash mid-call leaves the batch known as "maybe sent": one
   * UPDATE conditional on `owner` still holding the lease and the batch still pending (false: lease lost, do not
   * send). What the retries must reuse is written in the same statement, keeping what an earlier attempt stored.
   */
  recordAttempt(batchId: number, owner: string, nowIso: string, leaseUntilIso: string, frozen: FrozenRequest): Promise<boolean>;
  /**
   * Idempotent record of the provider's answer: only rows still `claimed` in this batch move to `sent` (with the
   * provider's id) or `failed`; the batch becomes `sent` and its stored request is dropped. One transaction on SQLite;
   * on D1 the rows are written before the batch, so a crash between leaves rows settled and nothing re-sendable.
   */
  recordResults(batchId: number, results: RecipientResult[], nowIso: string): Promise<void>;
  /**
   * Hands a claimed batch back untouched, never attempted by this runner (it is stopping): the lease goes, conditional on
   * `owner` holding it and the batch pending; its key and members stay, so the next start sends it under the same key.
   */
  releaseBatch(batchId: number, owner: string): Promise<void>;
  /** Retry later under the same key (an answer said "not yet"). Conditional on the batch still pending. */
  deferBatch(batchId: number, nextAttemptIso: string, error: string): Promise<void>;
  /**
   * Retry later under the same key after attempt number `attempt` ended with its outcome unknown, keeping `keep` (the
   * bytes just sent) unless a request is stored already. Conditional on no later attempt having been made meanwhile.
   */
  deferUnknownOutcome(batchId: number, attempt: number, nextAttemptIso: string, error: string, keep: string | Uint8Array | undefined): Promise<void>;
  /**
   * Retry later after the provider refused outright (429, quota, auth: it created nothing and keeps no key): the
   * batch is back to "never handed over", so suppression and the config apply afresh. Conditional on `attempt`
   * still being the last one. Callers use it only when no earlier attempt may have got through.
   */
  deferRefused(batchId: number, attempt: number, nextAttemptIso: string, error: string): Promise<void>;
  /**
   * Holds a batch for an editor instead of re-sending blindly (outcome unknown past the key's lifetime, a changed
   * body under its key, a recipient erased mid-send): members stay `claimed`, the lease and stored request go.
   */
  holdBatch(batchId: number, reason: string, nowIso: string): Promise<void>;
  /** Ends a batch the provider rejected as invalid: its claimed members become `failed`. One transaction on SQLite. */
  failBatch(batchId: number, reason: string, nowIso: string): Promise<void>;

  // ---------- one runner ----------

  /**
   * Takes or renews the lease `name` in one upsert, conditional on it being ours or expired; true when `owner` holds
   * it afterwards. A runner that stops renewing loses it once it expires.
   */
  acquireLease(name: string, owner: string, nowIso: string, untilIso: string): Promise<boolean>;
  /** Gives the lease up, only if `owner` still holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
}

/**
 * The store over a database handle. It follows the handle it is given (the Workers consumer passes its own, counted,
 * connection), so it is built from `deps.db` where needed rather than carried in `deps`.
 */
export function outboxStoreFor(db: DB): OutboxStore {
  return createOutboxStore(db);
}

// What one attempt of a batch hands the provider: the request stored with an earlier attempt if there is one, else
// messages built now plus what this attempt must store so that every retry sends the same bytes under the same key.
import type { DeliveryBatchRow, IssueRow } from '../../db/schema.js';
import { encodeBatchBody, type BatchBody } from '../../mail/batch-body.js';
import { clickConsentersAsOf } from '../../db/repos/clicks.js';
import type { Deps } from '../deps.js';
import { buildRecapMessages, buildTransactionalMessages, MissingEditionError, recapFrameFor, type RecapFrame } from './build-messages.js';
import type { BatchMember, FrozenRequest, OutboxStore } from './outbox-store.js';
import { decodeRequest, encodeRequest, MAX_STORED_REQUEST_BYTES, storedSize, type StoredRequest } from './stored-request.js';

type RequestDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

export type BatchRequest =
  | {
      ok: true;
      /** The body to send; null once handed to the mailer (see run-outbox). */
      body: BatchBody | null;
      /** The members the body is for, in the same order (fewer than claimed if the batch was split). */
      members: BatchMember[];
      /** Written with the attempt (OutboxStore.recordAttempt), kept for the retries. */
      frozen: FrozenRequest;
      /** Recaps without a stored request: the same bytes again, for keeping once an attempt's outcome is unknown. */
      rebuild?: () => Promise<BatchBody>;
    }
  | { ok: false; hold: string };

/**
 * Transactional mail is rendered when claimed (templates and config go into it), so its request is stored with the
 * first attempt. A recap's body comes from the frozen issue snapshot and rows plus a small frame of config stored
 * with the first attempt: nothing per mail is stored unless an attempt fails with its outcome unknown.
 */
export async function batchRequest(
  deps: RequestDeps,
  store: OutboxStore,
  batch: DeliveryBatchRow,
  issue: IssueRow | undefined,
  members: BatchMember[],
): Promise<BatchRequest> {
  if (batch.body !== null) {
    const body = await decodeRequest(batch.body);
    // Members are frozen with the batch and the request was built from them: a mismatch means rows were changed by
    // hand, and pairing the provider's ids with readers would be a guess.
    if (body.count !== members.length) {
      return { ok: false, hold: `its stored request has ${body.count} mails for ${members.length} recipients; an editor must decide` };
    }
    return { ok: true, body, members, frozen: {} };
  }
  if (issue) {
    const frame: RecapFrame = batch.frame ? (JSON.parse(batch.frame) as RecapFrame) : recapFrameFor(deps.config);
    const loadEditions = () => store.listEditions(issue.id);
    const startedAt = issue.started_at;
    const loadConsenters = async (ids: number[]) => (startedAt ? clickConsentersAsOf(deps.db, ids, startedAt) : new Set<number>());
    const rebuild = async () => encodeBatchBody(await buildRecapMessages(frame, deps.config.appSecret, issue, members, loadEditions, loadConsenters));
    try {
      return { ok: true, body: await rebuild(), members, frozen: batch.frame ? {} : { frame: JSON.stringify(frame) }, rebuild };
    } catch (err) {
      if (err instanceof MissingEditionError) return { ok: false, hold: `${err.message}; an editor must decide` };
      throw err;
    }
  }
  return transactionalRequest(deps, store, batch, members);
}

/** The request to keep after an attempt with an unknown outcome, if it fits a row (else the frame has to do). */
export async function requestToKeep(deps: RequestDeps, batchId: number, body: BatchBody): Promise<StoredRequest | undefined> {
  const stored = await encodeRequest(body);
  if (storedSize(stored) <= MAX_STORED_REQUEST_BYTES) return stored;
  deps.log.warn(`Batch ${batchId}: its request is too large to keep (${storedSize(stored)} bytes); a retry rebuilds it from its frame`);
  return undefined;
}

async function transactionalRequest(deps: RequestDeps, store: OutboxStore, batch: DeliveryBatchRow, claimed: BatchMember[]): Promise<BatchRequest> {
  let members = claimed;
  let messages = await buildTransactionalMessages(deps.config, members);
  let body = encodeBatchBody(messages);
  let stored = await encodeRequest(body);
  // Too big for one stored row (big test sends, exports): before anything was handed over, the tail goes back to the
  // queue and is claimed into the next batch. Halving is crude, but this only happens with mails of hundreds of KB.
  while (storedSize(stored) > MAX_STORED_REQUEST_BYTES && members.length > 1 && batch.first_attempt_at === null) {
    const keep = Math.ceil(members.length / 2);
    await store.releaseMembersAfter(batch.id, members[keep - 1].deliveryId, deps.clock.now().toISOString());
    members = members.slice(0, keep);
    messages = messages.slice(0, keep);
    body = encodeBatchBody(messages);
    stored = await encodeRequest(body);
  }
  if (storedSize(stored) > MAX_STORED_REQUEST_BYTES) {
    deps.log.warn(`Batch ${batch.id}: its request is too large to keep (${storedSize(stored)} bytes); a retry will render it again`);
    return { ok: true, body, members, frozen: {} };
  }
  return { ok: true, body, members, frozen: { body: stored } };
}

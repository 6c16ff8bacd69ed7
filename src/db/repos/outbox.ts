// Outbox storage: delivery rows and the batches that carry them to the provider. All outbox SQL lives here.
// Claims are single write statements inside an IMMEDIATE transaction, so two processes can never take the
// same rows; members and recipients are frozen at claim time so a retry rebuilds a byte-identical body.
// The send engine reaches these through OutboxStore (src/core/send/outbox-store.ts states each guarantee).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DB, DeliveryBatchRow, DeliveryKind, DeliveryStatus } from '../schema.js';
import { insertJsonRows } from '../json-rows.js';
import { editionSql } from '../topic-mask.js';

export interface NewTransactional {
  kind: DeliveryKind;
  toEmail: string;
  toName?: string | null;
  subscriberId?: number | null;
  payload: string;
  priority: number;
}

/** BEGIN IMMEDIATE: take the write lock up front so busy_timeout applies and no snapshot goes stale. */
export async function immediateTx<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const r = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return r;
    } catch (e) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}

function transactionalValues(m: NewTransactional, nowIso: string) {
  return {
    kind: m.kind,
    to_email: m.toEmail,
    to_name: m.toName ?? null,
    subscriber_id: m.subscriberId ?? null,
    payload: m.payload,
    priority: m.priority,
    status: 'queued' as const,
    created_at: nowIso,
    updated_at: nowIso,
  };
}

export async function insertTransactional(db: DB, m: NewTransactional, nowIso: string): Promise<number> {
  const r = await db.insertInto('deliveries').values(transactionalValues(m, nowIso)).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/**
 * One transactional row, unless the same subscriber got one of the same kind after `sinceIso`: one statement, so two
 * requests at once still queue one (also on D1, where a check and an insert would be two commits). Null when skipped.
 */
export async function insertTransactionalUnlessSince(
  db: DB,
  m: NewTransactional & { subscriberId: number },
  nowIso: string,
  sinceIso: string,
): Promise<number | null> {
  const v = transactionalValues(m, nowIso);
  const r = await sql<{ id: number }>`
    INSERT INTO deliveries (kind, to_email, to_name, subscriber_id, payload, priority, status, created_at, updated_at)
    SELECT ${v.kind}, ${v.to_email}, ${v.to_name}, ${v.subscriber_id}, ${v.payload}, ${v.priority}, ${v.status}, ${v.created_at}, ${v.updated_at}
    WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE subscriber_id = ${m.subscriberId} AND kind = ${m.kind} AND created_at > ${sinceIso})
    RETURNING id`.execute(db);
  return r.rows[0]?.id ?? null;
}

/** When the newest mail of `kind` to this subscriber was queued, if ever. */
export async function latestTransactionalAt(db: DB, subscriberId: number, kind: DeliveryKind): Promise<string | null> {
  const r = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('subscriber_id', '=', subscriberId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return (r?.at as string | null | undefined) ?? null;
}

/** Many transactional rows, one statement per 500 (src/db/json-rows.ts). */
export async function insertTransactionalMany(db: DB, mails: NewTransactional[], nowIso: string): Promise<void> {
  await insertJsonRows(
    db,
    'deliveries',
    mails.map((m) => transactionalValues(m, nowIso)),
  );
}

/** Snapshots the audience of an issue for subscribers with ids in (afterId, upToId]: one statement per chunk. */
export async function fanOutChunk(db: DB, issueId: string, afterId: number, upToId: number, nowIso: string): Promise<number> {
  const r = await sql`
    INSERT OR IGNORE INTO deliveries (issue_id, subscriber_id, kind, priority, status, created_at, updated_at, edition)
    SELECT ${issueId}, s.id, 'recap', 0, 'queued', ${nowIso}, ${nowIso}, ${editionSql('s.topics')}
    FROM subscribers s
    WHERE s.id > ${afterId} AND s.id <= ${upToId}
      AND s.status = 'active' AND (s.paused_until IS NULL OR s.paused_until <= ${nowIso})
  `.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Ids are walked in ranges this wide: one statement each, short enough not to hold the write lock for long. */
const FAN_OUT_CHUNK = 50_000;

/**
 * Snapshots an issue's audience: fanOutChunk per id range (OR IGNORE on the unique (issue, subscriber), so a repeat adds
 * only missing rows), then audience_total, last and only while sending: once set, the issue is fully fanned out.
 */
export async function snapshotAudience(db: DB, issueId: string, nowIso: string, beforeComplete?: () => Promise<void>): Promise<number> {
  const maxId = await maxSubscriberId(db);
  for (let after = 0; after < maxId; after += FAN_OUT_CHUNK) {
    await fanOutChunk(db, issueId, after, Math.min(after + FAN_OUT_CHUNK, maxId), nowIso);
  }
  // What must exist before any batch is built (each edition's render), while audience_total still says "not yet".
  await beforeComplete?.();
  const total = await countIssueDeliveries(db, issueId);
  await db.updateTable('issues').set({ audience_total: total }).where('id', '=', issueId).where('status', '=', 'sending').execute();
  return total;
}

/** Writes an issue's rendered snapshot if none is stored yet and it is sending: the first writer wins. */
export async function freezeIssueSnapshot(db: DB, issueId: string, snap: { html: string; text: string; subject: string }): Promise<boolean> {
  const r = await db
    .updateTable('issues')
    .set({ html_snapshot: snap.html, text_snapshot: snap.text, subject_snapshot: snap.subject })
    .where('id', '=', issueId)
    .where('status', '=', 'sending')
    .where('html_snapshot', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function maxSubscriberId(db: DB): Promise<number> {
  const r = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

export async function countIssueDeliveries(db: DB, issueId: string): Promise<number> {
  const r = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('issue_id', '=', issueId)
    .where('kind', '=', 'recap')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface BatchMember {
  deliveryId: number;
  subscriberId: number | null;
  publicId: string | null;
  email: string;
  name: string | null;
  kind: DeliveryKind;
  payload: string | null;
  /** The reader's edition, frozen with the audience snapshot (0 = the default; always 0 for transactional mail). */
  edition: number;
}

export interface ClaimedBatch {
  batch: DeliveryBatchRow;
  members: BatchMember[];
}

/**
 * Claims up to `limit` queued deliveries into a new batch owned by `owner` (recaps of one issue, or
 * transactional mail when issueId is null). Suppression is re-checked here: unsubscribed, bounced,
 * complained, erased or paused readers are marked suppressed and never handed to the provider.
 */
export async function claimNewBatch(
  db: DB,
  opts: { issueId: string | null; keyPrefix: string; limit: number; owner: string; leaseUntilIso: string; nowIso: string },
): Promise<DeliveryBatchRow | null> {
  return immediateTx(db, async (trx) => {
    const kind = opts.issueId ? 'recap' : 'transactional';
    const { id } = await trx
      .insertInto('delivery_batches')
      .values({
        issue_id: opts.issueId,
        kind,
        idempotency_key: `${opts.keyPrefix}-pending-${crypto.randomUUID()}`,
        status: 'pending',
        lease_owner: opts.owner,
        lease_expires_at: opts.leaseUntilIso,
        created_at: opts.nowIso,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The key is derived from the batch id and stored: every retry of this batch reuses it.
    await trx
      .updateTable('delivery_batches')
      .set({ idempotency_key: `${opts.keyPrefix}-${id}` })
      .where('id', '=', id)
      .execute();
    const claimed = opts.issueId
      ? await sql`
          UPDATE deliveries SET status = 'claimed', batch_id = ${id}, updated_at = ${opts.nowIso}
          WHERE id IN (SELECT id FROM deliveries WHERE issue_id = ${opts.issueId} AND kind = 'recap' AND status = 'queued'
                       ORDER BY id LIMIT ${opts.limit})`.execute(trx)
      : await sql`
          UPDATE deliveries SET status = 'claimed', batch_id = ${id}, updated_at = ${opts.nowIso}
          WHERE id IN (SELECT id FROM deliveries WHERE issue_id IS NULL AND kind <> 'recap' AND status = 'queued'
                       ORDER BY priority DESC, id LIMIT ${opts.limit})`.execute(trx);
    if (Number(claimed.numAffectedRows ?? 0) === 0) {
      await trx.deleteFrom('delivery_batches').where('id', '=', id).execute();
      return null;
    }
    await suppressAndFreeze(trx, id, opts.issueId !== null, opts.nowIso);
    return (await trx.selectFrom('delivery_batches').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as DeliveryBatchRow;
  });
}

/** Marks members that may no longer be mailed as suppressed and freezes the recipients of the rest. */
async function suppressAndFreeze(trx: Kysely<Database> | Transaction<Database>, batchId: number, recap: boolean, nowIso: string) {
  if (recap) {
    await sql`
      UPDATE deliveries SET status = 'suppressed', updated_at = ${nowIso}, error = 'suppressed at claim'
      WHERE batch_id = ${batchId} AND status = 'claimed' AND NOT EXISTS (
        SELECT 1 FROM subscribers s WHERE s.id = deliveries.subscriber_id
          AND s.status = 'active' AND s.email IS NOT NULL AND (s.paused_until IS NULL OR s.paused_until <= ${nowIso}))`.execute(trx);
    await sql`
      UPDATE deliveries SET
        to_email = (SELECT email FROM subscribers s WHERE s.id = deliveries.subscriber_id),
        to_name  = (SELECT name  FROM subscribers s WHERE s.id = deliveries.subscriber_id)
      WHERE batch_id = ${batchId} AND status = 'claimed'`.execute(trx);
  } else {
    // Transactional: never to a bounced, complained or erased address; a welcome only to an active reader.
    await sql`
      UPDATE deliveries SET status = 'suppressed', updated_at = ${nowIso}, error = 'suppressed at claim'
      WHERE batch_id = ${batchId} AND status = 'claimed' AND (
        to_email IS NULL
        OR EXISTS (SELECT 1 FROM subscribers s WHERE s.id = deliveries.subscriber_id AND s.status IN ('bounced','complained','erased'))
        OR (kind = 'welcome' AND NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.id = deliveries.subscriber_id AND s.status = 'active')))`.execute(trx);
  }
  const n = await trx
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batch_id', '=', batchId)
    .where('status', '=', 'claimed')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('delivery_batches')
    .set(Number(n.n) === 0 ? { size: 0, status: 'sent', sent_at: nowIso, lease_owner: null } : { size: Number(n.n) })
    .where('id', '=', batchId)
    .execute();
}

/**
 * Re-runs suppression for a batch nothing of which may have reached the provider (never attempted, or every attempt
 * refused outright: first_attempt_at is null), so it is safe to drop readers from it.
 */
export async function resuppressUnattempted(db: DB, batch: DeliveryBatchRow, nowIso: string): Promise<void> {
  if (batch.first_attempt_at !== null) return;
  await immediateTx(db, (trx) => suppressAndFreeze(trx, batch.id, batch.kind === 'recap', nowIso));
}

export async function batchMembers(db: DB, batchId: number): Promise<BatchMember[]> {
  const rows = await db
    .selectFrom('deliveries as d')
    .leftJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .select(['d.id', 'd.subscriber_id', 's.public_id', 'd.to_email', 'd.to_name', 'd.kind', 'd.payload', 'd.edition'])
    .where('d.batch_id', '=', batchId)
    .where('d.status', '=', 'claimed')
    .orderBy('d.id')
    .execute();
  return rows
    .filter((r) => r.to_email)
    .map((r) => ({
      deliveryId: r.id,
      subscriberId: r.subscriber_id,
      publicId: r.public_id ?? null,
      email: r.to_email!,
      name: r.to_name,
      kind: r.kind,
      payload: r.payload,
      edition: Number(r.edition),
    }));
}

/**
 * A pending batch that is due and whose lease is free (or ours), leased to `owner` in one statement, so the
 * take is atomic even where statements do not share a transaction (D1).
 */
export async function leaseDueBatch(db: DB, owner: string, nowIso: string, leaseUntilIso: string, skip: number[] = []): Promise<DeliveryBatchRow | null> {
  // `skip`: batches this process is working on right now (a lease we own may belong to a sibling worker)
  const notIn = skip.length ? sql`AND b.id NOT IN (${sql.join(skip)})` : sql``;
  const free = sql`(lease_expires_at IS NULL OR lease_expires_at < ${nowIso} OR lease_owner = ${owner})`;
  const r = await sql<DeliveryBatchRow>`
    UPDATE delivery_batches SET lease_owner = ${owner}, lease_expires_at = ${leaseUntilIso}
    WHERE status = 'pending' AND ${free} AND id = (
      SELECT b.id FROM delivery_batches b
      LEFT JOIN issues i ON i.id = b.issue_id
      WHERE b.status = 'pending'
        AND (b.next_attempt_at IS NULL OR b.next_attempt_at <= ${nowIso})
        AND (b.lease_expires_at IS NULL OR b.lease_expires_at < ${nowIso} OR b.lease_owner = ${owner})
        AND (b.issue_id IS NULL OR (i.status = 'sending' AND (i.resume_after IS NULL OR i.resume_after <= ${nowIso})))
        ${notIn}
      ORDER BY CASE WHEN b.issue_id IS NULL THEN 0 ELSE 1 END, b.id
      LIMIT 1)
    RETURNING *`.execute(db);
  return r.rows[0] ?? null;
}

/**
 * Records an attempt before the provider call, so a crash mid-call leaves the batch known as "maybe sent". In the same
 * write, what the retries must reuse: the request itself and/or a recap's frame (kept if already there: the first
 * attempt's win, so a retry can never store different bytes than an earlier attempt sent).
 */
export async function markAttempt(
  db: DB,
  batchId: number,
  owner: string,
  nowIso: string,
  leaseUntilIso: string,
  frozen: { body?: string | Uint8Array; frame?: string } = {},
): Promise<boolean> {
  const r = await db
    .updateTable('delivery_batches')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      first_attempt_at: eb.fn.coalesce('first_attempt_at', sql.lit(nowIso)),
      lease_expires_at: leaseUntilIso,
      ...(frozen.body !== undefined && { body: eb.fn.coalesce('body', eb.val(frozen.body)) }),
      ...(frozen.frame !== undefined && { frame: eb.fn.coalesce('frame', eb.val(frozen.frame)) }),
    }))
    .where('id', '=', batchId)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records the provider's answer for every member in two statements (one JSON array, not one query per row). */
export async function recordBatchSent(
  db: DB,
  batchId: number,
  results: { deliveryId: number; resendId: string | null; error: string | null }[],
  nowIso: string,
): Promise<void> {
  const json = JSON.stringify(results.map((r) => ({ id: r.deliveryId, rid: r.resendId, err: r.error })));
  await immediateTx(db, async (trx) => {
    if (results.length) {
      await sql`
        UPDATE deliveries SET
          status     = CASE WHEN r.err IS NULL THEN 'sent' ELSE 'failed' END,
          resend_id  = CASE WHEN r.err IS NULL THEN r.rid ELSE NULL END,
          error      = r.err,
          sent_at    = CASE WHEN r.err IS NULL THEN ${nowIso} ELSE sent_at END,
          updated_at = ${nowIso}
        FROM (SELECT value ->> '$.id' AS id, value ->> '$.rid' AS rid, value ->> '$.err' AS err FROM json_each(${json})) AS r
        WHERE deliveries.id = r.id AND deliveries.batch_id = ${batchId} AND deliveries.status = 'claimed'`.execute(trx);
    }
    // The stored request goes with the outcome known: it holds addresses and names, and is not needed again.
    await trx
      .updateTable('delivery_batches')
      .set({ status: 'sent', sent_at: nowIso, lease_owner: null, last_error: null, body: null })
      .where('id', '=', batchId)
      .execute();
  });
}

export async function deferBatch(db: DB, batchId: number, nextAttemptIso: string, error: string): Promise<void> {
  await db
    .updateTable('delivery_batches')
    .set({ next_attempt_at: nextAttemptIso, last_error: error, lease_owner: null, lease_expires_at: null })
    .where('id', '=', batchId)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Gives a batch's lease back without an attempt (the process is stopping): only while `owner` holds it and it is still
 * pending. Key, members, attempts and retry time stay as they were, so the next runner sends it as this one would have.
 */
export async function releaseBatchLease(db: DB, batchId: number, owner: string): Promise<void> {
  await db
    .updateTable('delivery_batches')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('id', '=', batchId)
    .where('status', '=', 'pending')
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Defers a batch whose attempt number `attempt` failed with its outcome unknown, keeping `body` (rebuilt in the same
 * process, so the bytes just sent) unless a request is stored already. Only if no later attempt was made meanwhile.
 */
export async function deferUnknownOutcome(
  db: DB,
  batchId: number,
  attempt: number,
  nextAttemptIso: string,
  error: string,
  body: string | Uint8Array | undefined,
): Promise<void> {
  await db
    .updateTable('delivery_batches')
    .set((eb) => ({
      next_attempt_at: nextAttemptIso,
      last_error: error,
      lease_owner: null,
      lease_expires_at: null,
      ...(body !== undefined && { body: eb.fn.coalesce('body', eb.val(body)) }),
    }))
    .where('id', '=', batchId)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempt)
    .execute();
}

/**
 * Defers a batch whose only attempts were refused outright (429, quota, auth: the provider created nothing and keeps no
 * key for them): it is back to "never handed over", so the next attempt is rendered from the config of that day (a
 * fixed MAIL_FROM takes effect) and suppression is checked again. Only if attempt `attempt` is still the last one.
 */
export async function deferRefusedBatch(db: DB, batchId: number, attempt: number, nextAttemptIso: string, error: string): Promise<void> {
  await db
    .updateTable('delivery_batches')
    .set({ next_attempt_at: nextAttemptIso, last_error: error, lease_owner: null, lease_expires_at: null, first_attempt_at: null, body: null, frame: null })
    .where('id', '=', batchId)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempt)
    .execute();
}

/**
 * Sends the members after `lastKeptDeliveryId` back to the queue, for a batch nothing of which was handed to the
 * provider yet (its request would not fit a stored row). Two statements, each safe alone: a crash between them leaves
 * a size the next claim of this batch recounts (resuppressUnattempted).
 */
export async function releaseMembersAfter(db: DB, batchId: number, lastKeptDeliveryId: number, nowIso: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ status: 'queued', batch_id: null, updated_at: nowIso })
    .where('batch_id', '=', batchId)
    .where('status', '=', 'claimed')
    .where('id', '>', lastKeptDeliveryId)
    .where((eb) => eb.exists(eb.selectFrom('delivery_batches as b').select('b.id').where('b.id', '=', batchId).where('b.first_attempt_at', 'is', null)))
    .execute();
  await sql`
    UPDATE delivery_batches SET size = (SELECT count(*) FROM deliveries WHERE batch_id = ${batchId} AND status = 'claimed')
    WHERE id = ${batchId} AND first_attempt_at IS NULL`.execute(db);
}

/**
 * Erase: a stored request compressed with someone in it goes whole (compressed bytes cannot be redacted in place; text bodies are
 * redacted by the erase itself). Its batch has lost a recipient, so it is held rather than retried anyway.
 */
export async function dropCompressedRequestsOf(db: DB, subscriberId: number, email: string): Promise<void> {
  await sql`
    UPDATE delivery_batches SET body = NULL
    WHERE typeof(body) = 'blob' AND EXISTS (
      SELECT 1 FROM deliveries d WHERE d.batch_id = delivery_batches.id AND (d.subscriber_id = ${subscriberId} OR d.to_email = ${email}))`.execute(db);
}

/**
 * Ends a batch without sending: its members get `status` with the reason. Its stored request goes (personal data, and
 * no use: a held batch is only ever sent again under a new key, rendered anew).
 */
export async function closeBatch(db: DB, batchId: number, batchStatus: 'failed' | 'held', memberStatus: DeliveryStatus | null, error: string, nowIso: string) {
  await immediateTx(db, async (trx) => {
    if (memberStatus) {
      await trx
        .updateTable('deliveries')
        .set({ status: memberStatus, error, updated_at: nowIso })
        .where('batch_id', '=', batchId)
        .where('status', '=', 'claimed')
        .execute();
    }
    await trx
      .updateTable('delivery_batches')
      .set({ status: batchStatus, last_error: error, lease_owner: null, lease_expires_at: null, body: null })
      .where('id', '=', batchId)
      .execute();
  });
}

/** Editor decision for a held batch: send again under a new key (may duplicate), or give up on it. */
export async function releaseHeldBatch(db: DB, batchId: number, newKey: string): Promise<boolean> {
  const r = await db
    .updateTable('delivery_batches')
    .set({ status: 'pending', idempotency_key: newKey, attempts: 0, first_attempt_at: null, next_attempt_at: null, last_error: null, body: null, frame: null })
    .where('id', '=', batchId)
    .where('status', '=', 'held')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listHeldBatches(db: DB, issueId?: string): Promise<DeliveryBatchRow[]> {
  let q = db.selectFrom('delivery_batches').selectAll().where('status', '=', 'held');
  if (issueId) q = q.where('issue_id', '=', issueId);
  return q.orderBy('id').execute() as Promise<DeliveryBatchRow[]>;
}

/** True when nothing of this issue is left to send (no queued/claimed rows, no pending or held batches). */
export async function issueSendComplete(db: DB, issueId: string): Promise<boolean> {
  const open = await db
    .selectFrom('deliveries')
    .select('id')
    .where('issue_id', '=', issueId)
    .where('status', 'in', ['queued', 'claimed'])
    .limit(1)
    .executeTakeFirst();
  if (open) return false;
  const batch = await db
    .selectFrom('delivery_batches')
    .select('id')
    .where('issue_id', '=', issueId)
    .where('status', 'in', ['pending', 'held'])
    .limit(1)
    .executeTakeFirst();
  return !batch;
}

export async function countQueued(db: DB, issueId: string): Promise<number> {
  const r = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('issue_id', '=', issueId)
    .where('kind', '=', 'recap')
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function hasQueued(db: DB, issueId: string | null): Promise<boolean> {
  let q = db.selectFrom('deliveries').select('id').where('status', '=', 'queued');
  q = issueId === null ? q.where('issue_id', 'is', null).where('kind', '<>', 'recap') : q.where('issue_id', '=', issueId).where('kind', '=', 'recap');
  return !!(await q.limit(1).executeTakeFirst());
}

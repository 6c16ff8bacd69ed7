// Subscriber storage: lookups by keyed address hash or public id, batched signup writes, status moves, erasure.
import { sql, type ExpressionBuilder, type Insertable, type Updateable } from 'kysely';
import { insertJsonRows, JSON_ROWS_CHUNK } from '../json-rows.js';
import type { Database, DB, DeliveryRow, SubscriberRow, SubscriberStatus, SubscribersTable } from '../schema.js';
import { insertConsents, scrubConsents } from './consents.js';
import { deleteSoftBouncesOf } from './soft-bounces.js';
import { dropCompressedRequestsOf, immediateTx } from './outbox.js';

export type NewSubscriber = Insertable<SubscribersTable>;
export type SubscriberPatch = Updateable<SubscribersTable>;

/**
 * Runs `fn` in one IMMEDIATE transaction: signup batches and erasure are all-or-nothing, and taking the
 * write lock up front means a second process waits (busy_timeout) instead of failing a read-then-write.
 */
export async function inTransaction<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return immediateTx(db, fn);
}

/** By keyed address hash; `emails` also finds rows whose hash was made some other way (imports, fixtures). */
export async function findSubscribersByEmailHashes(db: DB, hashes: string[], emails: string[] = []): Promise<SubscriberRow[]> {
  const out = new Map<number, SubscriberRow>();
  for (let i = 0; i < Math.max(hashes.length, emails.length); i += JSON_ROWS_CHUNK) {
    const h = hashes.slice(i, i + JSON_ROWS_CHUNK);
    const e = emails.slice(i, i + JSON_ROWS_CHUNK);
    // The lists as JSON: one statement text (and prepared statement) whatever the batch size.
    const rows = await db
      .selectFrom('subscribers')
      .selectAll()
      .where(sql<boolean>`email_hash IN (SELECT value FROM json_each(${JSON.stringify(h)})) OR email IN (SELECT value FROM json_each(${JSON.stringify(e)}))`)
      .execute();
    for (const r of rows) out.set(r.id, r);
  }
  return [...out.values()];
}

export async function findSubscriberByEmailHash(db: DB, hash: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('email_hash', '=', hash).executeTakeFirst();
}

export async function findSubscriberByPublicId(db: DB, publicId: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

/** Multi-row insert; returns the new ids keyed by email hash. */
export async function insertSubscribers(db: DB, rows: NewSubscriber[]): Promise<Map<string, number>> {
  return new Map((await insertJsonRows(db, 'subscribers', rows, ['id', 'email_hash'])).map((r) => [r.email_hash, r.id]));
}

export async function updateSubscriber(db: DB, id: number, patch: SubscriberPatch): Promise<void> {
  await db.updateTable('subscribers').set(patch).where('id', '=', id).execute();
}

/** Conditional move, so two racing requests cannot both "win" (e.g. only one welcome mail per confirmation). */
export async function transitionSubscriber(db: DB, id: number, from: SubscriberStatus[], patch: SubscriberPatch): Promise<boolean> {
  const r = await db.updateTable('subscribers').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Recap mail not yet claimed by a batch is dropped at once; claimed batches are the sender's to check. */
export async function suppressQueuedRecaps(db: DB, subscriberId: number, nowIso: string): Promise<number> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'suppressed', updated_at: nowIso })
    .where('subscriber_id', '=', subscriberId)
    .where('kind', '=', 'recap')
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listSubscriberDeliveries(db: DB, subscriberId: number, email: string | null): Promise<DeliveryRow[]> {
  let q = db.selectFrom('deliveries').selectAll();
  q = email ? q.where((eb) => eb.or([eb('subscriber_id', '=', subscriberId), eb('to_email', '=', email)])) : q.where('subscriber_id', '=', subscriberId);
  return q.orderBy('id').execute();
}

export interface Erasure {
  id: number;
  email: string;
  newPublicId: string;
  nowIso: string;
}

export const REDACTED = '[erased]';

/**
 * Removes a person's data from every table in one transaction. Only `email_hash` stays, so the
 * address is never mailed again unless it signs up anew. Old links die with the old public id.
 */
export async function eraseSubscriberEverywhere(db: DB, e: Erasure): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('subscribers')
      .set({
        email: null,
        name: null,
        status: 'erased',
        suppressed_reason: null,
        topics: '[]',
        paused_until: null,
        source: null,
        public_id: e.newPublicId,
        confirmed_at: null,
        unsubscribed_at: null,
        last_confirmation_sent_at: null,
        updated_at: e.nowIso,
      })
      .where('id', '=', e.id)
      .execute();
    await scrubConsents(trx, e.id);
    await deleteSoftBouncesOf(trx, e.id);
    // The fact of the erasure is kept (when, how), nothing about who.
    await insertConsents(trx, [
      { subscriber_id: e.id, action: 'erase', source: 'preferences-page', form_version: null, ip_hash: null, user_agent: null, created_at: e.nowIso },
    ]);
    await dropCompressedRequestsOf(trx, e.id, e.email); // before scrubDeliveries: it finds the batches by their rows
    await scrubDeliveries(trx, e);
    await scrubBatchBodies(trx, e.email);
    await scrubDevMailbox(trx, e.email);
    await scrubTextColumn(trx, 'webhook_events', 'payload', 'svix_id', e.email);
    await scrubTextColumn(trx, 'audit_log', 'details', 'id', e.email);
    // which stories they clicked (reader mode); the story counters name nobody and stay
    await trx.deleteFrom('click_readers').where('subscriber_id', '=', e.id).execute();
  });
}

async function scrubDeliveries(trx: DB, e: Erasure): Promise<void> {
  const mine = (eb: ExpressionBuilder<Database, 'deliveries'>) => eb.or([eb('subscriber_id', '=', e.id), eb('to_email', '=', e.email)]);
  await trx.updateTable('deliveries').set({ status: 'suppressed', updated_at: e.nowIso }).where(mine).where('status', '=', 'queued').execute();
  const rows = await trx.selectFrom('deliveries').select(['id', 'error']).where(mine).execute();
  for (const r of rows) {
    await trx
      .updateTable('deliveries')
      .set({ to_email: null, to_name: null, payload: null, error: r.error === null ? null : redact(r.error, e.email) })
      .where('id', '=', r.id)
      .execute();
  }
}

/** Batch bodies are the provider requests kept for retries: the person's message in them is blanked. */
async function scrubBatchBodies(trx: DB, email: string): Promise<void> {
  const rows = await trx
    .selectFrom('delivery_batches')
    .select(['id', 'body'])
    .where((eb) => eb(eb.fn('instr', [eb.fn('lower', ['body']), eb.val(email)]), '>', 0))
    .execute();
  for (const r of rows) {
    if (typeof r.body !== 'string') continue; // compressed bodies went whole (dropCompressedRequestsOf)
    let body: string;
    try {
      body = JSON.stringify(redactMessages(JSON.parse(r.body), email));
    } catch {
      body = r.body;
    }
    await trx
      .updateTable('delivery_batches')
      .set({ body: redact(body, email) })
      .where('id', '=', r.id)
      .execute();
  }
}

async function scrubDevMailbox(trx: DB, email: string): Promise<void> {
  const hit = (eb: ExpressionBuilder<Database, 'dev_outbox'>) =>
    eb.or([
      eb(eb.fn('instr', [eb.fn('lower', ['to_addr']), eb.val(email)]), '>', 0),
      eb(eb.fn('instr', [eb.fn('lower', ['html']), eb.val(email)]), '>', 0),
      eb(eb.fn('instr', [eb.fn('lower', ['text']), eb.val(email)]), '>', 0),
    ]);
  // Rows stay (the dev mailbox mailer's idempotency relies on them); their content goes. (Table name frozen: dev_outbox.)
  await trx.updateTable('dev_outbox').set({ to_addr: REDACTED, subject: REDACTED, html: '', text: '', headers: '{}', tags: '[]' }).where(hit).execute();
}

async function scrubTextColumn(trx: DB, table: 'webhook_events' | 'audit_log', column: 'payload' | 'details', key: 'svix_id' | 'id', email: string) {
  const rows = (await trx
    .selectFrom(table)
    .select([`${key} as k`, `${column} as v`] as never)
    .where((eb) => eb(eb.fn('instr', [eb.fn('lower', [column as never]), eb.val(email)]), '>', 0))
    .execute()) as unknown as { k: string | number; v: string }[];
  for (const r of rows) {
    await trx
      .updateTable(table)
      .set({ [column]: redact(r.v, email) } as never)
      .where(key as never, '=', r.k as never)
      .execute();
  }
}

function redact(s: string, email: string): string {
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return s.replace(new RegExp(escaped, 'gi'), REDACTED);
}

/** Walks a provider request: any message addressed to `email` loses its addressee and content. */
function redactMessages(node: unknown, email: string): unknown {
  if (Array.isArray(node)) return node.map((n) => redactMessages(n, email));
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const to = o.to;
    const tos = Array.isArray(to) ? to : typeof to === 'string' ? [to] : [];
    if (tos.some((t) => typeof t === 'string' && t.toLowerCase().includes(email))) {
      return { ...o, to: [REDACTED], subject: REDACTED, html: '', text: '', headers: {} };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, redactMessages(v, email)]));
  }
  return node;
}

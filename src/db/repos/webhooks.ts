// Provider event bookkeeping (Resend webhooks): seen svix ids (replay protection) and the delivery/subscriber updates
// they cause. Their table is `webhook_events` (a frozen migration); "events" elsewhere are news stories.
import { sql } from 'kysely';
import { normalizeEmail } from '../../shared/email-normal-form.js';
import type { DB, DeliveryStatus } from '../schema.js';

/** Records the svix id; false when it was seen before (a replay or a provider retry). */
export async function rememberProviderEvent(db: DB, svixId: string, type: string, payload: string, nowIso: string): Promise<boolean> {
  const r = await sql`INSERT OR IGNORE INTO webhook_events (svix_id, type, received_at, payload) VALUES (${svixId}, ${type}, ${nowIso}, ${payload})`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0) === 1;
}

/** The delivery a provider event is about: by Resend's email id, else by the delivery tag we sent with it. */
export async function findDeliveryForProviderEvent(db: DB, resendId: string, deliveryTag: number | null) {
  const byId = await db.selectFrom('deliveries').select(['id', 'status', 'subscriber_id', 'issue_id']).where('resend_id', '=', resendId).executeTakeFirst();
  if (byId || deliveryTag === null) return byId;
  return db.selectFrom('deliveries').select(['id', 'status', 'subscriber_id', 'issue_id']).where('id', '=', deliveryTag).executeTakeFirst();
}

/** Moves a delivery to `status` unless it already holds a stronger outcome (a bounce is never "un-bounced"). */
export async function advanceDeliveryStatus(
  db: DB,
  id: number,
  status: DeliveryStatus,
  allowedFrom: DeliveryStatus[],
  error: string | null,
  nowIso: string,
): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({ status, last_event_at: nowIso, updated_at: nowIso, ...(error !== null && { error }) })
    .where('id', '=', id)
    .where('status', 'in', allowedFrom)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function suppressSubscriber(db: DB, subscriberId: number, status: 'bounced' | 'complained', reason: string, nowIso: string): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ status, suppressed_reason: reason, updated_at: nowIso, unsubscribed_at: nowIso })
    .where('id', '=', subscriberId)
    .where('status', 'in', ['active', 'pending', 'unsubscribed'])
    .execute();
}

export async function suppressAddress(db: DB, email: string, status: 'bounced' | 'complained', reason: string, nowIso: string): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ status, suppressed_reason: reason, updated_at: nowIso, unsubscribed_at: nowIso })
    .where('email', '=', normalizeEmail(email))
    .where('status', 'in', ['active', 'pending', 'unsubscribed'])
    .execute();
}

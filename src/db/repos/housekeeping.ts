// Deletes what the product no longer needs: stale pending signups, expired sessions and sign-in links, old webhook ids.
import type { DB } from '../schema.js';

export async function deleteStalePending(db: DB, beforeIso: string): Promise<number> {
  const r = await db
    .deleteFrom('subscribers')
    .where('status', '=', 'pending')
    .where('created_at', '<', beforeIso)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: DB, nowIso: string): Promise<number> {
  const a = await db.deleteFrom('sessions').where('expires_at', '<', nowIso).executeTakeFirst();
  const b = await db.deleteFrom('login_tokens').where('expires_at', '<', nowIso).executeTakeFirst();
  return Number(a.numDeletedRows) + Number(b.numDeletedRows);
}

export async function deleteOldWebhookIds(db: DB, beforeIso: string): Promise<number> {
  const r = await db.deleteFrom('webhook_events').where('received_at', '<', beforeIso).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Soft bounces per reader and issue: the evidence that an address fails again and again (three issues suppress it).
import { sql } from 'kysely';
import type { DB } from '../schema.js';

/** Records that the reader's mail of this issue soft-bounced (once per issue), and returns on how many issues they have. */
export async function recordSoftBounce(db: DB, subscriberId: number, issueId: string, nowIso: string): Promise<number> {
  await sql`INSERT OR IGNORE INTO soft_bounces (subscriber_id, issue_id, created_at) VALUES (${subscriberId}, ${issueId}, ${nowIso})`.execute(db);
  const r = await db.selectFrom('soft_bounces').select(sql<number>`count(*)`.as('n')).where('subscriber_id', '=', subscriberId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Erasure: nothing about the reader stays, not even which issues bounced. */
export async function deleteSoftBouncesOf(db: DB, subscriberId: number): Promise<void> {
  await db.deleteFrom('soft_bounces').where('subscriber_id', '=', subscriberId).execute();
}

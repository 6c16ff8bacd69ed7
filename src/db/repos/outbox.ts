// Outbox storage: delivery rows and the batches that carry them to the provider. All outbox SQL lives here.
import { sql } from 'kysely';
import type { DB, DeliveryKind } from '../schema.js';

export interface NewTransactional {
  kind: DeliveryKind;
  toEmail: string;
  toName?: string | null;
  subscriberId?: number | null;
  payload: string;
  priority: number;
}

export async function insertTransactional(db: DB, m: NewTransactional, nowIso: string): Promise<number> {
  const r = await db
    .insertInto('deliveries')
    .values({
      kind: m.kind,
      to_email: m.toEmail,
      to_name: m.toName ?? null,
      subscriber_id: m.subscriberId ?? null,
      payload: m.payload,
      priority: m.priority,
      status: 'queued',
      created_at: nowIso,
      updated_at: nowIso,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export { sql };

// What the metrics read from the outbox at scrape time: queued mail per lane and its oldest row, and a batch's kinds.
import { sql } from 'kysely';
import type { DB, DeliveryKind, DeliveryStatus } from '../schema.js';

export type OutboxLane = 'transactional' | 'recap';

export interface LaneDepth {
  lane: OutboxLane;
  queued: number;
  /** created_at of the oldest queued row (the lowest id: ids grow with time), or null when none is queued. */
  oldestQueuedAt: string | null;
}

/**
 * Each lane is one walk of a partial covering index over queued rows only (deliveries_tx_queue: issue_id IS NULL;
 * deliveries_recap_queued: kind = 'recap' AND status = 'queued'), never of sent history. INDEXED BY pins it: on a
 * small or unanalysed database SQLite would pick deliveries_queue and look up every queued row, and a dropped index
 * fails the gauge loudly instead of turning it into a table scan (test/metrics.test.ts checks the plans). The cost grows
 * with what is queued: about 70 ms for 700,000 queued recaps on the development machine.
 */
export const LANE_QUERY = {
  transactional: sql`FROM deliveries INDEXED BY deliveries_tx_queue WHERE status = 'queued' AND issue_id IS NULL`,
  recap: sql`FROM deliveries INDEXED BY deliveries_recap_queued WHERE kind = 'recap' AND status = 'queued'`,
} as const;

export async function outboxDepth(db: DB): Promise<LaneDepth[]> {
  const out: LaneDepth[] = [];
  for (const lane of ['transactional', 'recap'] as const) {
    const r = await sql<{ n: number; first: number | null }>`SELECT count(*) AS n, min(id) AS first ${LANE_QUERY[lane]}`.execute(db);
    const { n, first } = r.rows[0] ?? { n: 0, first: null };
    const oldest = first === null ? undefined : await db.selectFrom('deliveries').select('created_at').where('id', '=', first).executeTakeFirst();
    out.push({ lane, queued: Number(n), oldestQueuedAt: oldest?.created_at ?? null });
  }
  return out;
}

/** How many members of a batch are in `status`, per kind (a transactional batch mixes kinds); through deliveries_batch. */
export async function batchKindCounts(db: DB, batchId: number, status: DeliveryStatus): Promise<{ kind: DeliveryKind; n: number }[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['kind', sql<number>`count(*)`.as('n')])
    .where('batch_id', '=', batchId)
    .where('status', '=', status)
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

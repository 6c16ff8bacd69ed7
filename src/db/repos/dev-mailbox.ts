// Storage of the dev outbox: mail kept locally instead of being sent.
import type { DB, DevOutboxTable } from '../schema.js';
import type { Selectable } from 'kysely';

export type DevOutboxRow = Selectable<DevOutboxTable>;

export async function findOutboxByKey(db: DB, idempotencyKey: string): Promise<DevOutboxRow[]> {
  return db.selectFrom('dev_outbox').selectAll().where('idempotency_key', '=', idempotencyKey).orderBy('position').execute();
}

export async function insertOutboxMessages(db: DB, rows: DevOutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      await trx.insertInto('dev_outbox').values(r).onConflict((oc) => oc.columns(['idempotency_key', 'position']).doNothing()).execute();
    }
  });
}

export async function listOutbox(db: DB, opts: { limit?: number; to?: string; offset?: number } = {}): Promise<DevOutboxRow[]> {
  let q = db.selectFrom('dev_outbox').selectAll();
  if (opts.to) q = q.where('to_addr', '=', opts.to.toLowerCase());
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit ?? 50).offset(opts.offset ?? 0).execute();
}

export async function getOutboxMessage(db: DB, id: string): Promise<DevOutboxRow | undefined> {
  return db.selectFrom('dev_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countOutbox(db: DB): Promise<number> {
  const r = await db.selectFrom('dev_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

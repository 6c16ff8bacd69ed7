// Storage of the dev mailbox: mail kept locally instead of being sent (not the delivery outbox: see repos/outbox.ts).
// The table is still `dev_outbox`: migrations are frozen once applied, so only the code's names changed (issue 14).
import type { DB, DevMailboxTable } from '../schema.js';
import type { Selectable } from 'kysely';
import { normalizeEmail } from '../../shared/email-normal-form.js';

export type DevMailboxRow = Selectable<DevMailboxTable>;

export async function findMailboxMessagesByKey(db: DB, idempotencyKey: string): Promise<DevMailboxRow[]> {
  return db.selectFrom('dev_outbox').selectAll().where('idempotency_key', '=', idempotencyKey).orderBy('position').execute();
}

export async function insertMailboxMessages(db: DB, rows: DevMailboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      await trx
        .insertInto('dev_outbox')
        .values(r)
        .onConflict((oc) => oc.columns(['idempotency_key', 'position']).doNothing())
        .execute();
    }
  });
}

export async function listMailbox(db: DB, opts: { limit?: number; to?: string; offset?: number } = {}): Promise<DevMailboxRow[]> {
  let q = db.selectFrom('dev_outbox').selectAll();
  if (opts.to) q = q.where('to_addr', '=', normalizeEmail(opts.to));
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0)
    .execute();
}

export async function getMailboxMessage(db: DB, id: string): Promise<DevMailboxRow | undefined> {
  return db.selectFrom('dev_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countMailbox(db: DB): Promise<number> {
  const r = await db
    .selectFrom('dev_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// The week's pool of stories and each issue's editions as they go out (migrations/0007_editions.sql).
import { sql } from 'kysely';
import type { DB, IssueEditionRow, IssuePoolRow } from '../schema.js';
import { editionSql } from '../topic-mask.js';
import { selectAudience } from './editor-subscribers.js';

export type PoolWrite = Omit<IssuePoolRow, 'issue_id'>;

/** Replaces an issue's pool in one transaction (every build writes the whole ranking). */
export async function replacePool(db: DB, issueId: string, rows: PoolWrite[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('issue_pool').where('issue_id', '=', issueId).execute();
    if (rows.length)
      await trx
        .insertInto('issue_pool')
        .values(rows.map((r) => ({ ...r, issue_id: issueId })))
        .execute();
  });
}

export async function listPool(db: DB, issueId: string): Promise<IssuePoolRow[]> {
  return db.selectFrom('issue_pool').selectAll().where('issue_id', '=', issueId).orderBy('rank').execute();
}

export type EditionWrite = Omit<IssueEditionRow, 'issue_id'>;

/**
 * Stores editions once: a row that exists is left as it is (another process may have rendered it first, and what it
 * stored is what its batches were built from), so callers read back what is stored.
 */
export async function insertEditions(db: DB, issueId: string, rows: EditionWrite[]): Promise<void> {
  for (const r of rows) {
    await db
      .insertInto('issue_editions')
      .values({ ...r, issue_id: issueId })
      .onConflict((oc) => oc.columns(['issue_id', 'edition']).doNothing())
      .execute();
  }
}

export async function listEditions(db: DB, issueId: string): Promise<IssueEditionRow[]> {
  return db.selectFrom('issue_editions').selectAll().where('issue_id', '=', issueId).orderBy('edition').execute();
}

/**
 * How many of an issue's snapshotted recipients get each edition. Counted per subscriber-id range through the unique
 * (issue, subscriber) index, so SQLite never sorts a million rows at once for the GROUP BY (its sorter's memory).
 */
export async function countDeliveriesByEdition(db: DB, issueId: string, chunk = 50_000): Promise<Map<number, number>> {
  const max = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.max('subscriber_id').as('m'))
    .where('issue_id', '=', issueId)
    .where('kind', '=', 'recap')
    .executeTakeFirst();
  const out = new Map<number, number>();
  for (let after = 0; after < Number(max?.m ?? 0); after += chunk) {
    const rows = await db
      .selectFrom('deliveries')
      .select(['edition', sql<number>`count(*)`.as('n')])
      .where('issue_id', '=', issueId)
      .where('kind', '=', 'recap')
      .where('subscriber_id', '>', after)
      .where('subscriber_id', '<=', after + chunk)
      .groupBy('edition')
      .execute();
    for (const r of rows) out.set(Number(r.edition), (out.get(Number(r.edition)) ?? 0) + Number(r.n));
  }
  return out;
}

export async function setEditionReaders(db: DB, issueId: string, readers: Map<number, number>): Promise<void> {
  for (const [edition, n] of readers) {
    await db.updateTable('issue_editions').set({ readers: n }).where('issue_id', '=', issueId).where('edition', '=', edition).execute();
  }
}

/** Today's audience by edition, as a send now would snapshot it (selectAudience: the fan-out's rule). */
export async function countAudienceByEdition(db: DB, nowIso: string): Promise<Map<number, number>> {
  const rows = await selectAudience(db, nowIso)
    .select([editionSql('topics').as('edition'), sql<number>`count(*)`.as('n')])
    .groupBy('edition')
    .execute();
  return new Map(rows.map((r) => [Number(r.edition), Number(r.n)]));
}

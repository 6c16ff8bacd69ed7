// Consent records: who agreed to what, when, through which form; erasure keeps the facts, drops the person.
import type { Insertable, Selectable } from 'kysely';
import type { ConsentsTable, DB } from '../schema.js';

export type ConsentRow = Selectable<ConsentsTable>;
export type NewConsent = Insertable<ConsentsTable>;

const CHUNK = 400; // 8 columns each: well under SQLite's bound-variable limit

export async function insertConsents(db: DB, rows: NewConsent[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db.insertInto('consents').values(rows.slice(i, i + CHUNK)).execute();
  }
}

export async function listConsents(db: DB, subscriberId: number): Promise<ConsentRow[]> {
  return db.selectFrom('consents').selectAll().where('subscriber_id', '=', subscriberId).orderBy('id').execute();
}

/** Keeps that a consent happened (action, source, time) but not from where or with what browser. */
export async function scrubConsents(db: DB, subscriberId: number): Promise<void> {
  await db.updateTable('consents').set({ ip_hash: null, user_agent: null }).where('subscriber_id', '=', subscriberId).execute();
}

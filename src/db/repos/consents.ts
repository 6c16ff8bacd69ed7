// Consent records: who agreed to what, when, through which form; erasure keeps the facts, drops the person.
import type { Insertable, Selectable } from 'kysely';
import type { ConsentsTable, DB } from '../schema.js';
import { insertJsonRows } from '../json-rows.js';

export type ConsentRow = Selectable<ConsentsTable>;
export type NewConsent = Insertable<ConsentsTable>;

export async function insertConsents(db: DB, rows: NewConsent[]): Promise<void> {
  await insertJsonRows(db, 'consents', rows);
}

export async function listConsents(db: DB, subscriberId: number): Promise<ConsentRow[]> {
  return db.selectFrom('consents').selectAll().where('subscriber_id', '=', subscriberId).orderBy('id').execute();
}

/** Keeps that a consent happened (action, source, time) but not from where or with what browser. */
export async function scrubConsents(db: DB, subscriberId: number): Promise<void> {
  await db.updateTable('consents').set({ ip_hash: null, user_agent: null }).where('subscriber_id', '=', subscriberId).execute();
}

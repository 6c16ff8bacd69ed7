// SQL for the feeds table: each feed's conditional-GET validators (ETag, Last-Modified) and the outcome of its last fetch.
import type { DB } from '../schema.js';

export interface FeedState {
  etag: string | null;
  lastModified: string | null;
  lastFetchedAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

export async function getFeedState(db: DB, url: string): Promise<FeedState | null> {
  const r = await db.selectFrom('feeds').selectAll().where('url', '=', url).executeTakeFirst();
  if (!r) return null;
  return { etag: r.etag, lastModified: r.last_modified, lastFetchedAt: r.last_fetched_at, lastStatus: r.last_status, lastError: r.last_error };
}

/** Upsert: one statement, so it also works on D1. */
export async function saveFeedState(db: DB, url: string, s: FeedState): Promise<void> {
  const row = { etag: s.etag, last_modified: s.lastModified, last_fetched_at: s.lastFetchedAt, last_status: s.lastStatus, last_error: s.lastError };
  await db
    .insertInto('feeds')
    .values({ url, ...row })
    .onConflict((oc) => oc.column('url').doUpdateSet(row))
    .execute();
}

// Conditional-GET state per feed (ETag, Last-Modified) and the outcome of its last fetch.
import type { DB } from '../schema.js';

export interface FeedState {
  etag: string | null;
  lastModified: string | null;
}

export async function getFeedState(db: DB, url: string): Promise<FeedState> {
  const r = await db.selectFrom('feeds').selectAll().where('url', '=', url).executeTakeFirst();
  return { etag: r?.etag ?? null, lastModified: r?.last_modified ?? null };
}

export async function saveFeedFetch(
  db: DB,
  url: string,
  r: { etag?: string | null; lastModified?: string | null; status: number | null; error: string | null; atIso: string },
): Promise<void> {
  const keep = r.status === 200 ? { etag: r.etag ?? null, last_modified: r.lastModified ?? null } : {};
  await db
    .insertInto('feeds')
    .values({ url, etag: r.etag ?? null, last_modified: r.lastModified ?? null, last_fetched_at: r.atIso, last_status: r.status, last_error: r.error })
    .onConflict((oc) => oc.column('url').doUpdateSet({ ...keep, last_fetched_at: r.atIso, last_status: r.status, last_error: r.error }))
    .execute();
}

// Event storage: upsert by externalId and read back as domain NewsEvents.
import type { NewsEvent, EventInput } from '../../core/events/event.js';
import { canonicalizeUrl } from '../../shared/canonical-url.js';
import type { DB, EventRow } from '../schema.js';

export function toNewsEvent(r: EventRow): NewsEvent {
  return {
    id: r.id,
    externalId: r.external_id,
    title: r.title,
    url: r.url,
    canonicalUrl: r.canonical_url,
    sourceName: r.source_name,
    sourceUrl: r.source_url,
    publishedAt: r.published_at,
    collectedAt: r.collected_at,
    category: r.category,
    topics: JSON.parse(r.topics) as string[],
    summary: r.summary,
    whyItMatters: r.why_it_matters,
    whatToDoNext: r.what_to_do_next,
    whoShouldCare: r.who_should_care,
    keyTakeaways: JSON.parse(r.key_takeaways) as string[],
    imageUrl: r.image_url,
    views: r.views,
    clicks: r.clicks,
    shares: r.shares,
    sourceCount: r.source_count,
    editorBoost: r.editor_boost,
  };
}

/** Columns set from an input; fields the input leaves out are not touched on update. */
function columnsFrom(e: EventInput) {
  const cols: Record<string, unknown> = {
    title: e.title,
    url: e.url,
    canonical_url: canonicalizeUrl(e.url),
    source_name: e.sourceName,
    published_at: e.publishedAt,
  };
  const opt: [keyof EventInput, string, (v: never) => unknown][] = [
    ['sourceUrl', 'source_url', (v) => v],
    ['collectedAt', 'collected_at', (v) => v],
    ['category', 'category', (v) => v],
    ['topics', 'topics', (v) => JSON.stringify((v as string[]).map((t) => t.toLowerCase()))],
    ['summary', 'summary', (v) => v],
    ['whyItMatters', 'why_it_matters', (v) => v],
    ['whatToDoNext', 'what_to_do_next', (v) => v],
    ['whoShouldCare', 'who_should_care', (v) => v],
    ['keyTakeaways', 'key_takeaways', (v) => JSON.stringify(v)],
    ['imageUrl', 'image_url', (v) => v],
    ['views', 'views', (v) => v],
    ['clicks', 'clicks', (v) => v],
    ['shares', 'shares', (v) => v],
    ['sourceCount', 'source_count', (v) => v],
    ['editorBoost', 'editor_boost', (v) => v],
  ];
  for (const [key, col, map] of opt) {
    if (e[key] !== undefined) cols[col] = e[key] === null ? null : map(e[key] as never);
  }
  return cols;
}

/** Upserts in one transaction, one statement per row (D1 caps bound parameters per statement). */
export async function upsertEvents(db: DB, inputs: EventInput[], nowIso: string): Promise<number> {
  if (inputs.length === 0) return 0;
  await db.transaction().execute(async (trx) => {
    for (const e of inputs) {
      const cols = columnsFrom(e);
      await trx
        .insertInto('events')
        .values({
          external_id: e.externalId,
          collected_at: nowIso,
          created_at: nowIso,
          updated_at: nowIso,
          ...(cols as object),
        } as never)
        .onConflict((oc) => oc.column('external_id').doUpdateSet({ ...(cols as object), updated_at: nowIso } as never))
        .execute();
    }
  });
  return inputs.length;
}

export async function countEvents(db: DB): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function getEventByExternalId(db: DB, externalId: string): Promise<NewsEvent | undefined> {
  const r = await db.selectFrom('events').selectAll().where('external_id', '=', externalId).executeTakeFirst();
  return r && toNewsEvent(r);
}

export async function getEventsByIds(db: DB, ids: number[]): Promise<NewsEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('events').selectAll().where('id', 'in', ids).execute();
  return rows.map(toNewsEvent);
}

/** Events published in [startIso, endIso). */
export async function listEventsPublishedBetween(db: DB, startIso: string, endIso: string): Promise<NewsEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('published_at', '>=', startIso)
    .where('published_at', '<', endIso)
    .orderBy('published_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toNewsEvent);
}

export async function searchEventsBetween(db: DB, startIso: string, endIso: string, q: string, limit = 50): Promise<NewsEvent[]> {
  const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('published_at', '>=', startIso)
    .where('published_at', '<', endIso)
    .where((eb) => eb.or([eb('title', 'like', like), eb('source_name', 'like', like)]))
    .orderBy('published_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toNewsEvent);
}

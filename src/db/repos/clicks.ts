// Click measurement's SQL (issue 16): an issue's frozen links, the click counters, per-reader rows for consenting
// readers, click-measurement consent, provider-reported opens and clicks, and their retention.
import { sql } from 'kysely';
import type { DB } from '../schema.js';
import { inTransaction } from './subscribers.js';

/** Consent actions (table consents) that switch click measurement of one reader on and off; the latest one counts. */
export const CLICK_CONSENT_YES = 'click-measurement-yes';
export const CLICK_CONSENT_NO = 'click-measurement-no';

export interface FrozenLink {
  eventId: number;
  url: string;
  title: string;
}

/** First writer wins, like the issue's render: a second process preparing the same issue changes nothing. */
export async function freezeIssueLinks(db: DB, issueId: string, links: readonly FrozenLink[]): Promise<void> {
  if (links.length === 0) return;
  const rows = JSON.stringify(links.map((l) => [l.eventId, l.url, l.title]));
  await sql`
    INSERT INTO issue_links (issue_id, event_id, url, title)
    SELECT ${issueId}, j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(${rows}) AS j WHERE true
    ON CONFLICT (issue_id, event_id) DO NOTHING`.execute(db);
}

export interface IssueLinkSet {
  startedAt: string | null;
  links: Map<number, { url: string; title: string }>;
}

/** Null when the issue does not exist. */
export async function readIssueLinks(db: DB, issueId: string): Promise<IssueLinkSet | null> {
  const issue = await db.selectFrom('issues').select('started_at').where('id', '=', issueId).executeTakeFirst();
  if (!issue) return null;
  const rows = await db.selectFrom('issue_links').select(['event_id', 'url', 'title']).where('issue_id', '=', issueId).execute();
  return { startedAt: issue.started_at, links: new Map(rows.map((r) => [Number(r.event_id), { url: r.url, title: r.title }])) };
}

const latestConsent = (asOf: string | null) => sql<string | null>`(
  SELECT c.action FROM consents c
  WHERE c.subscriber_id = s.id AND c.action IN (${CLICK_CONSENT_YES}, ${CLICK_CONSENT_NO})
    ${asOf === null ? sql`` : sql`AND c.created_at <= ${asOf}`}
  ORDER BY c.id DESC LIMIT 1)`;

/** Of these readers, those whose latest click-measurement consent up to `asOfIso` said yes. */
export async function clickConsentersAsOf(db: DB, subscriberIds: readonly number[], asOfIso: string): Promise<Set<number>> {
  if (subscriberIds.length === 0) return new Set();
  const rows = await sql<{ id: number; action: string | null }>`
    SELECT s.id, ${latestConsent(asOfIso)} AS action FROM subscribers s
    WHERE s.id IN (SELECT value FROM json_each(${JSON.stringify(subscriberIds)}))`.execute(db);
  return new Set(rows.rows.filter((r) => r.action === CLICK_CONSENT_YES).map((r) => Number(r.id)));
}

export interface ReaderClickContext {
  subscriberId: number;
  consents: boolean;
  /** When the provider accepted this reader's copy of the issue (deliveries.sent_at); null if unknown. */
  acceptedAt: string | null;
}

/** What a reader-mode click needs: who, whether they consent now, and when their copy was accepted. */
export async function readerClickContext(db: DB, issueId: string, publicId: string): Promise<ReaderClickContext | null> {
  const r = await sql<{ id: number; action: string | null; sent_at: string | null }>`
    SELECT s.id, ${latestConsent(null)} AS action,
      (SELECT d.sent_at FROM deliveries d WHERE d.issue_id = ${issueId} AND d.subscriber_id = s.id AND d.kind = 'recap') AS sent_at
    FROM subscribers s WHERE s.public_id = ${publicId} AND s.status <> 'erased'`.execute(db);
  const row = r.rows[0];
  return row ? { subscriberId: Number(row.id), consents: row.action === CLICK_CONSENT_YES, acceptedAt: row.sent_at } : null;
}

export async function currentClickConsent(db: DB, subscriberId: number): Promise<boolean> {
  return (await clickConsentersAsOf(db, [subscriberId], '9999-12-31T23:59:59.999Z')).has(subscriberId);
}

export interface ClickRecord {
  issueId: string;
  eventId: number;
  edition: number;
  scanner: boolean;
  /** Only for a consenting reader's human click in reader mode. */
  subscriberId: number | null;
  atIso: string;
}

/**
 * Adds clicks to the counters: one UPSERT per table whatever the number of clicks (the rows travel as one JSON
 * parameter), so a second's worth of buffered clicks is two statements. Duplicate keys within a call add up.
 */
export async function recordClicks(db: DB, clicks: readonly ClickRecord[]): Promise<void> {
  if (clicks.length === 0) return;
  const counts = new Map<string, [string, number, number, number, number]>();
  for (const c of clicks) {
    const key = `${c.issueId}\n${c.eventId}\n${c.edition}`;
    const row = counts.get(key) ?? [c.issueId, c.eventId, c.edition, 0, 0];
    row[c.scanner ? 4 : 3]++;
    counts.set(key, row);
  }
  const readers = clicks.filter((c) => c.subscriberId !== null && !c.scanner).map((c) => [c.issueId, c.eventId, c.subscriberId, c.edition, c.atIso]);
  await inTransaction(db, async (trx) => {
    await sql`
      INSERT INTO click_counts (issue_id, event_id, edition, clicks, scanner_clicks)
      SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4 FROM json_each(${JSON.stringify([...counts.values()])}) AS j WHERE true
      ON CONFLICT (issue_id, event_id, edition) DO UPDATE SET
        clicks = clicks + excluded.clicks, scanner_clicks = scanner_clicks + excluded.scanner_clicks`.execute(trx);
    if (readers.length === 0) return;
    await sql`
      INSERT INTO click_readers (issue_id, event_id, subscriber_id, edition, clicks, first_at, last_at)
      SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, 1, j.value ->> 4, j.value ->> 4
      FROM json_each(${JSON.stringify(readers)}) AS j WHERE true
      ON CONFLICT (issue_id, event_id, subscriber_id) DO UPDATE SET
        clicks = clicks + 1, last_at = max(last_at, excluded.last_at)`.execute(trx);
  });
}

export interface StoryClickRow {
  eventId: number;
  url: string;
  title: string;
  clicks: number;
  scanners: number;
  uniqueReaders: number;
}

/** Every frozen link of the issue with its clicks, most clicked first. */
export async function storyClicks(db: DB, issueId: string): Promise<StoryClickRow[]> {
  const r = await sql<{ event_id: number; url: string; title: string; clicks: number; scanners: number; folded: number; live: number }>`
    SELECT l.event_id, l.url, l.title,
      coalesce((SELECT sum(c.clicks) FROM click_counts c WHERE c.issue_id = l.issue_id AND c.event_id = l.event_id), 0) AS clicks,
      coalesce((SELECT sum(c.scanner_clicks) FROM click_counts c WHERE c.issue_id = l.issue_id AND c.event_id = l.event_id), 0) AS scanners,
      coalesce((SELECT sum(c.readers_folded) FROM click_counts c WHERE c.issue_id = l.issue_id AND c.event_id = l.event_id), 0) AS folded,
      (SELECT count(*) FROM click_readers r WHERE r.issue_id = l.issue_id AND r.event_id = l.event_id) AS live
    FROM issue_links l WHERE l.issue_id = ${issueId}
    ORDER BY clicks DESC, l.event_id`.execute(db);
  return r.rows.map((x) => ({
    eventId: Number(x.event_id),
    url: x.url,
    title: x.title,
    clicks: Number(x.clicks),
    scanners: Number(x.scanners),
    uniqueReaders: Number(x.folded) + Number(x.live),
  }));
}

export interface EditionClickRow {
  edition: number;
  readers: number;
  clicks: number;
  scanners: number;
}

export async function editionClicks(db: DB, issueId: string): Promise<EditionClickRow[]> {
  const r = await sql<{ edition: number; readers: number | null; clicks: number; scanners: number }>`
    SELECT c.edition, e.readers, sum(c.clicks) AS clicks, sum(c.scanner_clicks) AS scanners
    FROM click_counts c LEFT JOIN issue_editions e ON e.issue_id = c.issue_id AND e.edition = c.edition
    WHERE c.issue_id = ${issueId} GROUP BY c.edition ORDER BY c.edition`.execute(db);
  return r.rows.map((x) => ({ edition: Number(x.edition), readers: Number(x.readers ?? 0), clicks: Number(x.clicks), scanners: Number(x.scanners) }));
}

/** Readers with at least one counted click on the issue, among the per-reader rows still kept. */
export async function uniqueClickReaders(db: DB, issueId: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(DISTINCT subscriber_id) AS n FROM click_readers WHERE issue_id = ${issueId}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export async function bumpProviderEngagement(db: DB, issueId: string, type: 'opened' | 'clicked'): Promise<void> {
  await sql`
    INSERT INTO provider_engagement (issue_id, type, count) SELECT ${issueId}, ${type}, 1 WHERE EXISTS (SELECT 1 FROM issues WHERE id = ${issueId})
    ON CONFLICT (issue_id, type) DO UPDATE SET count = count + 1`.execute(db);
}

export async function providerEngagement(db: DB, issueId: string): Promise<{ opened: number; clicked: number }> {
  const rows = await db.selectFrom('provider_engagement').select(['type', 'count']).where('issue_id', '=', issueId).execute();
  const of = (t: string) => Number(rows.find((r) => r.type === t)?.count ?? 0);
  return { opened: of('opened'), clicked: of('clicked') };
}

/** A reader's per-reader click rows (erasure, withdrawn consent). */
export async function deleteReaderClicks(db: DB, subscriberId: number): Promise<number> {
  const r = await db.deleteFrom('click_readers').where('subscriber_id', '=', subscriberId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Retention: per-reader rows whose last click is older than `beforeIso` become a number (readers_folded on the
 * story's counter) and are deleted; the counters themselves stay.
 */
export async function foldOldReaderClicks(db: DB, beforeIso: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    await sql`
      UPDATE click_counts SET readers_folded = readers_folded + (
        SELECT count(*) FROM click_readers r
        WHERE r.issue_id = click_counts.issue_id AND r.event_id = click_counts.event_id AND r.edition = click_counts.edition AND r.last_at < ${beforeIso})
      WHERE EXISTS (
        SELECT 1 FROM click_readers r
        WHERE r.issue_id = click_counts.issue_id AND r.event_id = click_counts.event_id AND r.edition = click_counts.edition AND r.last_at < ${beforeIso})`.execute(
      trx,
    );
    const r = await trx.deleteFrom('click_readers').where('last_at', '<', beforeIso).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}

// Read-only subscriber queries for the editor workspace: search, counts, growth, one reader's history, export pages.
import { sql } from 'kysely';
import { normalizeEmail } from '../../shared/email-normal-form.js';
import type { DB, SubscriberRow, SubscriberStatus } from '../schema.js';

export interface SubscriberSearch {
  q?: string;
  status?: SubscriberStatus;
  topic?: string;
  /** Keyset cursor: rows with id below this (newest first). */
  beforeId?: number;
  limit?: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Fewer characters than this cannot use the trigram index (it has no shorter tokens): those searches scan. */
export const TRIGRAM_MIN_CHARS = 3;

/**
 * How a search text is matched, cheapest first. A whole address (in its normal form) is one lookup in the unique
 * index on `email`; other text of 3+ characters goes through the trigram index `subscribers_search` (migrations/0010),
 * walked in id order so a page stops after its rows; shorter text keeps the LIKE scan, which, matching most rows,
 * ends as soon as a page is full.
 */
export type SearchMatch = { kind: 'address'; email: string } | { kind: 'trigram'; phrase: string } | { kind: 'scan'; like: string };

export function searchMatchFor(raw: string): SearchMatch {
  const text = raw.trim();
  const email = normalizeEmail(text);
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { kind: 'address', email };
  // FTS5 query syntax: one phrase, quotes doubled; the trigram tokenizer makes a phrase a case-insensitive substring
  if ([...text].length >= TRIGRAM_MIN_CHARS) return { kind: 'trigram', phrase: `"${text.replaceAll('"', '""')}"` };
  return { kind: 'scan', like: `%${escapeLike(text.toLowerCase())}%` };
}

type Filters = Pick<SubscriberSearch, 'status' | 'topic'>;

const topicLike = (topic: string) => sql<string>`${`%${escapeLike(JSON.stringify(topic))}%`} escape '\\'`;

/** Readers whose address or name contains the text, in id order, `bound` the keyset cursor; one page of `limit`. */
async function matchingPage(
  db: DB,
  match: Exclude<SearchMatch, { kind: 'address' }>,
  f: Filters & { order: 'asc' | 'desc'; bound?: number; skipErased?: boolean },
  limit: number,
): Promise<SubscriberRow[]> {
  if (match.kind === 'trigram') {
    // CROSS JOIN keeps the index outer: it yields rowids in the wanted order (ORDER BY consumed by FTS5, the cursor
    // pushed into it), each row is then one primary-key lookup, and LIMIT stops the walk once a page is full. An erased
    // reader has neither address nor name, so no entry here.
    const cursor = f.bound === undefined ? sql`` : f.order === 'desc' ? sql`AND f.rowid < ${f.bound}` : sql`AND f.rowid > ${f.bound}`;
    const status = f.status ? sql`AND s.status = ${f.status}` : sql``;
    const topic = f.topic ? sql`AND s.topics LIKE ${topicLike(f.topic)}` : sql``;
    const r = await sql<SubscriberRow>`
      SELECT s.* FROM subscribers_search f CROSS JOIN subscribers s ON s.id = f.rowid
      WHERE f.subscribers_search MATCH ${match.phrase} ${cursor} ${status} ${topic}
      ORDER BY f.rowid ${f.order === 'desc' ? sql`DESC` : sql`ASC`} LIMIT ${limit}`.execute(db);
    return r.rows;
  }
  let q = db.selectFrom('subscribers').selectAll();
  q = q.where((eb) => eb.or([eb('email', 'like', sql<string>`${match.like} escape '\\'`), eb('name', 'like', sql<string>`${match.like} escape '\\'`)]));
  if (f.status) q = q.where('status', '=', f.status);
  if (f.topic) q = q.where('topics', 'like', topicLike(f.topic));
  if (f.bound !== undefined) q = q.where('id', f.order === 'desc' ? '<' : '>', f.bound);
  if (f.skipErased) q = q.where('status', '!=', 'erased');
  return q.orderBy('id', f.order).limit(limit).execute();
}

export async function searchSubscribers(db: DB, s: SubscriberSearch): Promise<SubscriberRow[]> {
  const limit = s.limit ?? 50;
  const match = s.q?.trim() ? searchMatchFor(s.q) : undefined;
  if (match?.kind === 'address') {
    // one lookup in the unique index; the filters and the cursor then apply to that one reader
    const row = await db.selectFrom('subscribers').selectAll().where('email', '=', match.email).executeTakeFirst();
    if (row) {
      const keep = (!s.status || row.status === s.status) && (!s.topic || row.topics.includes(JSON.stringify(s.topic))) && (!s.beforeId || row.id < s.beforeId);
      return keep ? [row] : [];
    }
    // no reader has exactly this address: it may still be part of one (bob@example.co in bob@example.com)
    return matchingPage(db, { kind: 'trigram', phrase: `"${match.email.replaceAll('"', '""')}"` }, { ...s, order: 'desc', bound: s.beforeId }, limit);
  }
  if (match) return matchingPage(db, match, { ...s, order: 'desc', bound: s.beforeId }, limit);
  let q = db.selectFrom('subscribers').selectAll();
  if (s.status) q = q.where('status', '=', s.status);
  if (s.topic) q = q.where('topics', 'like', topicLike(s.topic));
  if (s.beforeId) q = q.where('id', '<', s.beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function getSubscriberById(db: DB, id: number): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countSubscribersByStatus(db: DB): Promise<Record<SubscriberStatus, number>> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  const out: Record<SubscriberStatus, number> = { pending: 0, active: 0, unsubscribed: 0, bounced: 0, complained: 0, erased: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** Confirmed readers who would get a send right now: active and not paused (the audience snapshot's rule too). */
export function selectAudience(db: DB, nowIso: string) {
  return db
    .selectFrom('subscribers')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('paused_until', 'is', null), eb('paused_until', '<=', nowIso)]));
}

export async function countAudience(db: DB, nowIso: string): Promise<number> {
  const r = await selectAudience(db, nowIso).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface GrowthPoint {
  at: string;
  active: number;
  joined: number;
  left: number;
}

/**
 * Active readers at each instant in `points` (ascending), and how many confirmed/left in the span before each.
 * A reader counts as active from confirmed_at until unsubscribed_at (or, for bounces and complaints, updated_at).
 * One counting pass for the state at the first point, then only the recent changes are read and bucketed:
 * per-row CASE expressions over every point made this seconds-slow at a million readers.
 */
export async function subscriberGrowth(db: DB, points: string[]): Promise<GrowthPoint[]> {
  if (points.length === 0) return [];
  const first = points[0];
  const last = points[points.length - 1];
  const leftAt = sql<string | null>`coalesce(unsubscribed_at, case when status in ('bounced','complained','erased') then updated_at end)`;
  const base = await db
    .selectFrom('subscribers')
    .select([sql<number>`count(*)`.as('confirmed'), sql<number | null>`sum(${leftAt} <= ${first})`.as('gone')])
    .where('confirmed_at', '<=', first)
    .executeTakeFirstOrThrow();
  const joins = await db.selectFrom('subscribers').select('confirmed_at').where('confirmed_at', '>', first).where('confirmed_at', '<=', last).execute();
  const leaves = await db
    .selectFrom('subscribers')
    .select(leftAt.as('left_at'))
    .where('confirmed_at', 'is not', null)
    .where(leftAt, '>', first)
    .where(leftAt, '<=', last)
    .execute();
  const joined = new Array<number>(points.length).fill(0);
  const left = new Array<number>(points.length).fill(0);
  const bucket = (at: string) => {
    let lo = 1;
    let hi = points.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at <= points[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  for (const r of joins) joined[bucket(r.confirmed_at!)] += 1;
  for (const r of leaves) left[bucket(r.left_at!)] += 1;
  const out: GrowthPoint[] = [];
  let active = Number(base.confirmed) - Number(base.gone ?? 0);
  points.forEach((at, i) => {
    if (i > 0) active += joined[i] - left[i];
    out.push({ at, active, joined: i === 0 ? 0 : joined[i], left: i === 0 ? 0 : left[i] });
  });
  return out;
}

export async function listConsents(db: DB, subscriberId: number) {
  return db.selectFrom('consents').selectAll().where('subscriber_id', '=', subscriberId).orderBy('id', 'desc').limit(200).execute();
}

export async function listSubscriberDeliveries(db: DB, subscriberId: number, limit = 100) {
  return db
    .selectFrom('deliveries')
    .select(['id', 'issue_id', 'kind', 'status', 'error', 'created_at', 'sent_at', 'last_event_at'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** One page of the export, oldest first, by id cursor so a million rows stream in constant memory. */
export async function exportPage(db: DB, afterId: number, s: Omit<SubscriberSearch, 'beforeId' | 'limit'>, limit = 1000): Promise<SubscriberRow[]> {
  const match = s.q?.trim() ? searchMatchFor(s.q) : undefined;
  if (match) {
    // the export lists everything that contains the text, the exact address included: substring match only
    const m = match.kind === 'address' ? ({ kind: 'trigram', phrase: `"${match.email.replaceAll('"', '""')}"` } as const) : match;
    return matchingPage(db, m, { status: s.status, topic: s.topic, order: 'asc', bound: afterId, skipErased: true }, limit);
  }
  let q = db.selectFrom('subscribers').selectAll().where('id', '>', afterId).where('status', '!=', 'erased');
  if (s.status) q = q.where('status', '=', s.status);
  if (s.topic) q = q.where('topics', 'like', topicLike(s.topic));
  return q.orderBy('id').limit(limit).execute();
}

/** The most recent issue that went out (or is going out), for the dashboard's funnel. */
export async function latestSentIssueId(db: DB): Promise<string | undefined> {
  const r = await db
    .selectFrom('issues')
    .select('id')
    .where('status', 'in', ['sending', 'sent'])
    .orderBy(sql`coalesce(sent_at, started_at)`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.id;
}

export async function nextScheduledIssue(db: DB) {
  return db.selectFrom('issues').select(['id', 'week', 'scheduled_at']).where('status', '=', 'scheduled').orderBy('scheduled_at').limit(1).executeTakeFirst();
}

// Test data for the Workers suite: this week's events through the real ingest API, readers straight into D1.
import type { TestEnv } from 'cloudflare:test';
import { expect } from 'vitest';
import { TOPICS } from '../../src/shared/topics.js';
import { isoWeekOf, weekSlug, weekWindow } from '../../src/core/issues/iso-week.js';
import { postJson } from './helpers.js';

export const thisWeek = () => isoWeekOf(new Date(), 'UTC');

/** Inside the current ISO week and not in the future, whatever moment the suite runs. */
function publishedThisWeek(i: number): string {
  const start = weekWindow(thisWeek(), 'UTC').start.getTime();
  const now = Date.now();
  return new Date(start + Math.floor(((now - start) * (i + 1)) / 10)).toISOString();
}

// Distinct enough that the draft builder's near-duplicate merging keeps them apart.
const HEADLINES = [
  'Open model tops the reasoning leaderboard',
  'Chip export rules tightened again',
  'Robotics startup raises a large round',
  'Senate hearing on frontier AI safety',
  'New benchmark exposes coding agent gaps',
  'Datacenter power deals reshape utilities',
  'Speech model runs fully on phones',
  'University lab publishes protein design method',
  'Browser ships built-in assistant',
  'Insurers start pricing model risk',
  'Music labels settle training lawsuit',
  'Weather forecasting model beats physics baseline',
];

export async function ingestEvents(e: TestEnv, n: number): Promise<Response> {
  const events = Array.from({ length: n }, (_, i) => ({
    externalId: `wk-${i}`,
    title: HEADLINES[i % HEADLINES.length],
    url: `https://news.example/story-${i}`,
    sourceName: `Source ${i}`,
    publishedAt: publishedThisWeek(i % 9),
    summary: `What happened in story ${i}.`,
    whyItMatters: `Why story ${i} matters.`,
    topics: [TOPICS[i % TOPICS.length]],
    views: 100 - i,
  }));
  return postJson(e, '/api/events', { events }, { authorization: `Bearer ${e.EDITOR_API_TOKEN}` });
}

/** Active, confirmed readers reader1@example.com … readerN@example.com; `mixedTopics`: reader i follows a topic set by i % 3. */
export async function seedReaders(e: TestEnv, n: number, opts: { mixedTopics?: boolean } = {}): Promise<void> {
  const now = new Date().toISOString();
  const topics = opts.mixedTopics ? `CASE i % 3 WHEN 0 THEN '[]' WHEN 1 THEN '["policy"]' ELSE '["compute","safety"]' END` : `'[]'`;
  await e.DB.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
     INSERT INTO subscribers (email, email_hash, status, topics, created_at, updated_at, confirmed_at)
     SELECT 'reader' || i || '@example.com', 'hash-' || i, 'active', ${topics}, ?2, ?2, ?2 FROM seq`,
  )
    .bind(n, now)
    .all();
}

/**
 * This week's issue with the ingested events as items, scheduled a minute ago. Written straight into D1 so
 * the sending tests do not depend on the selection algorithm (ingest-build.test.ts covers the real build).
 */
export async function scheduleDueIssue(e: TestEnv, opts: { engine?: 'react' | 'mjml' } = {}): Promise<string> {
  expect((await ingestEvents(e, 5)).status).toBe(200);
  const week = thisWeek();
  const id = weekSlug(week);
  const now = new Date().toISOString();
  const due = new Date(Date.now() - 60_000).toISOString();
  await e.DB.prepare(
    `INSERT INTO issues (id, week, slug, status, engine, scheduled_at, schedule_source, built_at, created_at, updated_at)
     VALUES (?1, ?2, ?1, 'scheduled', ?3, ?4, 'editor', ?5, ?5, ?5)`,
  )
    .bind(id, week, opts.engine ?? 'react', due, now)
    .all();
  await e.DB.prepare(
    `INSERT INTO issue_items (issue_id, event_id, position, created_at, updated_at)
     SELECT ?1, id, row_number() OVER (ORDER BY id), ?2, ?2 FROM events`,
  )
    .bind(id, now)
    .all();
  return id;
}

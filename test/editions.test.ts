// A reader's edition: lead stories for all, then the pool's best in their topics, then the rest; and one edition key in TS and SQL.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { editionEventIds, leadStoryIds, type PoolStory } from '../src/core/selection/editions.js';
import { editionSql } from '../src/db/topic-mask.js';
import { ALL_TOPICS_MASK, editionOf, topicMask, TOPICS, topicsOfMask } from '../src/shared/topics.js';
import { createTestDb, type TestDb } from './helpers/db.js';

const story = (eventId: number, ...topics: string[]): PoolStory => ({ eventId, topics });

// Pool best first: 1..3 lead the default edition; 4..12 are the rest of the week's best.
const pool: PoolStory[] = [
  story(1, 'models'),
  story(2, 'compute'),
  story(3, 'funding'),
  story(4, 'models'),
  story(5, 'policy'),
  story(6, 'research'),
  story(7, 'safety', 'policy'),
  story(8, 'tools'),
  story(9, 'policy'),
  story(10, 'safety'),
  story(11, 'products'),
  story(12, 'models'),
];
const defaultIds = [1, 2, 3, 4, 5, 6, 8];
const input = { defaultIds, leadIds: [1, 2, 3], pool, size: 7 };

describe('editionEventIds', () => {
  it('gives a reader with no topics (edition 0) exactly the default edition', () => {
    expect(editionEventIds(0, input)).toEqual(defaultIds);
    expect(editionOf([])).toBe(0);
    expect(editionOf([...TOPICS])).toBe(0);
  });

  it('gives two readers with different topics different stories, each with the lead stories first and only pool stories', () => {
    const policySafety = editionEventIds(editionOf(['policy', 'safety']), input);
    const research = editionEventIds(editionOf(['research']), input);
    expect(policySafety.slice(0, 3)).toEqual([1, 2, 3]);
    expect(research.slice(0, 3)).toEqual([1, 2, 3]);
    // their topics' stories by pool rank, then the best of the rest
    expect(policySafety).toEqual([1, 2, 3, 5, 7, 9, 10]);
    expect(research).toEqual([1, 2, 3, 6, 4, 5, 7]);
    expect(policySafety).not.toEqual(research);
    const poolIds = new Set(pool.map((s) => s.eventId));
    for (const ids of [policySafety, research]) {
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => poolIds.has(id))).toBe(true);
    }
  });

  it('keeps every lead story even when there are more than the issue size, and never repeats one', () => {
    const many = editionEventIds(editionOf(['models']), { ...input, leadIds: [1, 2, 3, 4, 5, 6, 8, 9], size: 5 });
    expect(many).toEqual([1, 2, 3, 4, 5, 6, 8, 9]);
  });

  it("fills from the rest of the pool when the reader's topics have too few stories", () => {
    expect(editionEventIds(editionOf(['products']), input)).toEqual([1, 2, 3, 11, 4, 5, 6]);
  });
});

describe('leadStoryIds', () => {
  it('takes the pinned items when the editor pinned any, else the first LEAD_SIZE', () => {
    const items = [1, 2, 3, 4, 5].map((eventId) => ({ eventId, pinned: eventId === 4 || eventId === 2 }));
    expect(leadStoryIds(items, 3)).toEqual([2, 4]);
    expect(
      leadStoryIds(
        items.map((i) => ({ ...i, pinned: false })),
        3,
      ),
    ).toEqual([1, 2, 3]);
  });
});

describe('edition keys', () => {
  let db: TestDb | undefined;
  afterEach(async () => {
    await db?.cleanup();
    db = undefined;
  });

  it('round-trips every topic set through its mask', () => {
    for (let mask = 0; mask <= ALL_TOPICS_MASK; mask++) expect(topicMask(topicsOfMask(mask))).toBe(mask);
  });

  it('computes in SQL the same edition as in TypeScript for every topic set, in any order, with duplicates', async () => {
    db = createTestDb();
    const lists: string[][] = [];
    for (let mask = 0; mask <= ALL_TOPICS_MASK; mask++) {
      const topics = topicsOfMask(mask);
      lists.push(topics, [...topics].reverse(), [...topics, ...topics.slice(0, 1)]);
    }
    lists.push(['tool'], ['safetyx'], ['unknown']);
    const rows = lists.map((l) => JSON.stringify(l));
    const got = await sql<{ e: number }>`SELECT ${editionSql('j.value')} AS e FROM json_each(${JSON.stringify(rows)}) AS j ORDER BY j.key`.execute(db.db);
    expect(got.rows.map((r) => r.e)).toEqual(lists.map((l) => editionOf(l)));
  });
});

// The D1 dialect against a real local D1: results, parameter limits, and transactions as sequencers.
import { env } from 'cloudflare:test';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createD1Dialect, inlineParameters } from '../../src/db/d1/d1-dialect.js';
import { immediateTx } from '../../src/db/repos/outbox.js';
import type { Database } from '../../src/db/schema.js';
import { rows } from './helpers.js';

const now = '2026-04-20T10:00:00.000Z';

function open(onQuery?: (sql: string) => void) {
  return new Kysely<Database>({ dialect: createD1Dialect(env.DB, { onQuery }) });
}

const event = (i: number, title = `Event ${i}`) => ({
  external_id: `ext-${i}`,
  title,
  url: `https://news.example/${i}`,
  canonical_url: `https://news.example/${i}`,
  source_name: 'Example',
  topics: '[]',
  key_takeaways: '[]',
  views: 0,
  clicks: 0,
  shares: 0,
  source_count: 1,
  editor_boost: 0,
  published_at: now,
  collected_at: now,
  created_at: now,
  updated_at: now,
});

describe('D1 dialect', () => {
  it('returns rows, insert ids and affected-row counts', async () => {
    const db = open();
    const ins = await db.insertInto('events').values(event(1)).executeTakeFirstOrThrow();
    expect(Number(ins.insertId)).toBeGreaterThan(0);
    const upd = await db.updateTable('events').set({ views: 5 }).where('external_id', '=', 'ext-1').executeTakeFirstOrThrow();
    expect(upd.numUpdatedRows).toBe(1n);
    const none = await db.updateTable('events').set({ views: 5 }).where('external_id', '=', 'nope').executeTakeFirstOrThrow();
    expect(none.numUpdatedRows).toBe(0n);
    expect(await db.selectFrom('events').select(['title', 'views']).execute()).toEqual([{ title: 'Event 1', views: 5 }]);
  });

  it('writes statements with more than D1’s 100 parameters, quotes and all, exactly as given', async () => {
    const db = open();
    const tricky = ['O\'Brien\'s "AI" -- not a comment ?', 'emoji 🤖 and 虎嗅', "'); DROP TABLE events; --", 'back\\slash /* */'];
    const values = Array.from({ length: 30 }, (_, i) => event(i, `${tricky[i % tricky.length]} #${i}`));
    // 30 rows × 16 columns = 480 parameters: D1 would refuse them bound
    await db.insertInto('events').values(values).execute();
    const got = await db.selectFrom('events').select(['external_id', 'title']).orderBy('id').execute();
    expect(got.map((r) => r.title)).toEqual(values.map((v) => v.title));
    const ids = values.map((v) => v.external_id);
    const many = await db
      .selectFrom('events')
      .select('id')
      .where('external_id', 'in', [...ids, ...Array.from({ length: 200 }, (_, i) => `x-${i}`)])
      .execute();
    expect(many).toHaveLength(30);
  });

  it('inlines only real placeholders', () => {
    expect(inlineParameters(`select '?', "a?", ? -- ?\n, ? /* ? */`, ["it's", null])).toBe(`select '?', "a?", 'it''s' -- ?\n, NULL /* ? */`);
    expect(() => inlineParameters('select ?', [])).toThrow(/placeholders/);
    expect(() => inlineParameters('select ?', ['a\0b'])).toThrow(/NUL/);
  });

  it('runs a transaction statement by statement; BEGIN IMMEDIATE and COMMIT never reach D1', async () => {
    const seen: string[] = [];
    const db = open((q) => seen.push(q));
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('events').values(event(1)).execute();
      await trx.insertInto('events').values(event(2)).execute();
    });
    const id = await immediateTx(db, async (trx) => (await trx.insertInto('events').values(event(3)).returning('id').executeTakeFirstOrThrow()).id);
    expect(id).toBeGreaterThan(0);
    expect(seen.some((q) => /^\s*(begin|commit|rollback)/i.test(q))).toBe(false);
    expect(await rows(env, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 3 }]);
  });

  it('cannot roll back: a failed transaction keeps the statements before the failure (documented trade-off)', async () => {
    const db = open();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('events').values(event(1)).execute();
        await trx.insertInto('events').values(event(1)).execute(); // unique external_id
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await rows(env, 'SELECT external_id FROM events')).toEqual([{ external_id: 'ext-1' }]);
  });

  it('serialises transactions within one isolate, like a single SQLite connection', async () => {
    const db = open();
    const order: string[] = [];
    const tx = (name: string) =>
      db.transaction().execute(async (trx) => {
        order.push(`${name}:start`);
        await sql`SELECT 1`.execute(trx);
        await trx
          .insertInto('events')
          .values(event(name === 'a' ? 1 : 2))
          .execute();
        order.push(`${name}:end`);
      });
    await Promise.all([tx('a'), tx('b')]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });
});

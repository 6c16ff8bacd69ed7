// Multi-row inserts through one JSON parameter (src/db/json-rows.ts): the values land exactly as bound
// parameters would put them, ids follow the order given, and rows that would silently lose a default are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { insertJsonRows, JSON_ROWS_CHUNK } from '../src/db/json-rows.js';
import { createTestDb, type TestDb } from './helpers/db.js';

let db: TestDb;
afterEach(async () => {
  await db?.cleanup();
});

const consent = (subscriberId: number, i: number) => ({
  subscriber_id: subscriberId,
  action: 'signup',
  source: 'api',
  form_version: i % 2 ? null : `v${i}`,
  ip_hash: null,
  user_agent: i === 1 ? 'Mozilla/5.0 "quoted" \\ back\nslash é 😀 \u0000-free' : null,
  created_at: `2026-11-26T00:00:0${i}.000Z`,
});

describe('insertJsonRows', () => {
  it('stores text, numbers and NULLs as bound parameters would, with ids in the order given', async () => {
    db = createTestDb();
    const subs = Array.from({ length: 3 }, (_, i) => ({
      email: `r${i}@example.com`,
      email_hash: `h${i}`,
      public_id: `p${i}`,
      name: i === 2 ? 'Ünïcödé “name” <b>&amp;</b>' : null,
      created_at: '2026-11-26T00:00:00.000Z',
      updated_at: '2026-11-26T00:00:00.000Z',
    }));
    const ids = await insertJsonRows(db.db, 'subscribers', subs, ['id', 'email_hash']);
    const byHash = new Map(ids.map((r) => [r.email_hash, r.id]));
    expect([byHash.get('h0')! < byHash.get('h1')!, byHash.get('h1')! < byHash.get('h2')!]).toEqual([true, true]);

    const rows = [0, 1, 2].map((i) => consent(byHash.get(`h${i}`)!, i));
    await insertJsonRows(db.db, 'consents', rows);
    const viaJson = db.sqlite.prepare('SELECT subscriber_id, typeof(subscriber_id) AS t, form_version, user_agent FROM consents ORDER BY id').all();
    // The same rows through ordinary bound parameters, for comparison.
    const bound = db.sqlite.prepare(
      'INSERT INTO consents (subscriber_id, action, source, form_version, ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of rows) bound.run(r.subscriber_id, r.action, r.source, r.form_version, r.ip_hash, r.user_agent, r.created_at);
    const viaBound = db.sqlite
      .prepare('SELECT subscriber_id, typeof(subscriber_id) AS t, form_version, user_agent FROM consents ORDER BY id LIMIT -1 OFFSET 3')
      .all();
    expect(viaJson).toEqual(viaBound);
    expect(viaJson[0]).toMatchObject({ t: 'integer', form_version: 'v0', user_agent: null });
    expect((viaJson[1] as { user_agent: string }).user_agent).toBe(rows[1].user_agent);

    const names = db.sqlite.prepare('SELECT name, public_id, status, topics FROM subscribers ORDER BY id').all();
    expect(names[2]).toEqual({ name: subs[2].name, public_id: 'p2', status: 'pending', topics: '[]' }); // unnamed columns keep their defaults
  });

  it('refuses rows whose columns differ or hold non-scalar values, and writes nothing then', async () => {
    db = createTestDb();
    const base = { email: 'a@example.com', email_hash: 'ha', public_id: 'pa', created_at: 'x', updated_at: 'x' };
    const { public_id: _omit, ...withoutPublicId } = { ...base, email: 'b@example.com', email_hash: 'hb' };
    await expect(insertJsonRows(db.db, 'subscribers', [base, withoutPublicId as typeof base])).rejects.toThrow(/every row needs the columns/);
    await expect(insertJsonRows(db.db, 'subscribers', [{ ...base, name: { first: 'A' } as unknown as string }])).rejects.toThrow(/column name is a object/);
    await expect(insertJsonRows(db.db, 'subscribers', [{ ...base, name: undefined }])).rejects.toThrow(/column name is missing/);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM subscribers').get()).toEqual({ n: 0 });
    expect(await insertJsonRows(db.db, 'subscribers', [])).toEqual([]);
  });

  it('splits long lists into statements of JSON_ROWS_CHUNK rows, returns every new row, and checks all rows before writing any', async () => {
    db = createTestDb();
    const sub = (i: number) => ({ email: `r${i}@example.com`, email_hash: `h${i}`, public_id: `p${i}`, created_at: 'x', updated_at: 'x' });
    const n = JSON_ROWS_CHUNK * 2 + 1;
    const bad = Array.from({ length: n }, (_, i) => (i === n - 1 ? { ...sub(i), public_id: { x: 1 } as unknown as string } : sub(i)));
    await expect(insertJsonRows(db.db, 'subscribers', bad)).rejects.toThrow(/column public_id is a object/);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM subscribers').get()).toEqual({ n: 0 });

    let statements = 0;
    const counted = db.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => (statements++, a.result) });
    const rows = Array.from({ length: n }, (_, i) => sub(i));
    const seen = (await insertJsonRows(counted, 'subscribers', rows, ['email_hash'])).map((r) => r.email_hash);
    expect(statements).toBe(3);
    expect(new Set(seen)).toEqual(new Set(rows.map((r) => r.email_hash)));
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM subscribers').get()).toEqual({ n: n });
  });

  it('takes one statement text per table and columns, whatever the number of rows', async () => {
    db = createTestDb();
    const seen: string[] = [];
    const prepare = db.sqlite.prepare.bind(db.sqlite);
    db.sqlite.prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof db.sqlite.prepare;
    for (const n of [1, 7, 64]) {
      await insertJsonRows(
        db.db,
        'consents',
        Array.from({ length: n }, (_, i) => consent(0, i % 9)),
      ).catch(() => undefined); // subscriber 0 does not exist: the foreign key refuses, the statement text is what counts
    }
    expect(new Set(seen.filter((s) => s.startsWith('INSERT INTO "consents"'))).size).toBe(1);
  });
});

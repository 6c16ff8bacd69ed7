// The editor's subscriber search on a real local D1 (workerd): migration 0010's FTS5 trigram index applies there and
// the same repository finds whole addresses, substrings and names, and loses an erased reader.
import { env } from 'cloudflare:test';
import { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createD1Dialect } from '../../src/db/d1/d1-dialect.js';
import { exportPage, searchSubscribers } from '../../src/db/repos/editor-subscribers.js';
import type { Database } from '../../src/db/schema.js';

const now = '2026-04-20T10:00:00.000Z';

describe('subscriber search on D1', () => {
  it('uses the trigram index kept by triggers: address, substring, name, erasure', async () => {
    const db = new Kysely<Database>({ dialect: createD1Dialect(env.DB) });
    for (let i = 0; i < 30; i++)
      await db
        .insertInto('subscribers')
        .values({ email: `reader${i}@example.com`, email_hash: `h${i}`, name: i === 7 ? 'Hortensia Pelletier' : null, created_at: now, updated_at: now })
        .execute();
    const emails = async (q: string) => (await searchSubscribers(db, { q })).map((r) => r.email);
    expect(await emails('Reader12@Example.com')).toEqual(['reader12@example.com']);
    expect(await emails('der2')).toEqual([
      'reader29@example.com',
      'reader28@example.com',
      'reader27@example.com',
      'reader26@example.com',
      'reader25@example.com',
      'reader24@example.com',
      'reader23@example.com',
      'reader22@example.com',
      'reader21@example.com',
      'reader20@example.com',
      'reader2@example.com',
    ]);
    expect(await emails('pelleT')).toEqual(['reader7@example.com']);
    expect((await exportPage(db, 0, { q: 'example.com' }, 100)).length).toBe(30);
    await db.updateTable('subscribers').set({ status: 'erased', email: null, name: null }).where('email', '=', 'reader7@example.com').execute();
    expect(await emails('pelleT')).toEqual([]);
    expect(await emails('reader7@')).toEqual([]);
  });
});

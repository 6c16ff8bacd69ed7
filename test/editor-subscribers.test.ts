import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSubscribers } from '../src/core/subscribers/import-subscribers.js';
import { createSignupService } from '../src/core/subscribers/signup.js';
import {
  countAudience,
  countSubscribersByStatus,
  exportPage,
  searchMatchFor,
  searchSubscribers,
  subscriberGrowth,
} from '../src/db/repos/editor-subscribers.js';
import type { Database } from '../src/db/schema.js';
import { csvCell, csvLine, parseImportCsv } from '../src/http/editor/subscriber-csv.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';
import { seedSubscribers } from './helpers/seed.js';

let deps: TestDeps;
beforeEach(() => {
  deps = makeDeps();
});
afterEach(() => deps.cleanup());

const byEmail = (email: string) => deps.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();

describe('CSV import', () => {
  it('reads tolerant headers, topics lists and quoted consent sources', () => {
    const r = parseImportCsv(
      '\uFEFFE-mail,Full Name,Topics,Consent Source\na@example.com,"Ann, A.",models;policy,\nb@example.com,,tools|safety,"signed form, 2026-11-12"\n',
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        { line: 2, email: 'a@example.com', name: 'Ann, A.', topics: ['models', 'policy'], consentSource: '' },
        { line: 3, email: 'b@example.com', name: '', topics: ['tools', 'safety'], consentSource: 'signed form, 2026-11-12' },
      ],
    });
    expect(parseImportCsv('name\nx')).toMatchObject({ ok: false, message: expect.stringContaining('"email" column') });
    expect(parseImportCsv('email\n"unterminated')).toMatchObject({ ok: false });
  });

  it('starts rows without consent as pending with a confirmation mail, rows with consent as active, and never touches known addresses', async () => {
    seedSubscribers(deps.testDb.sqlite, 1, { status: 'unsubscribed', domain: 'left.example.com' });
    const known = 'reader0@left.example.com';
    // the seed's hash is not the app's keyed hash, so make the known row findable the way the app stores it
    const { hashEmail } = await import('../src/core/subscribers/email-address.js');
    await deps.db
      .updateTable('subscribers')
      .set({ email_hash: await hashEmail(deps.config.appSecret, known) })
      .where('email', '=', known)
      .execute();

    const signup = createSignupService(deps);
    const report = await importSubscribers(
      deps,
      signup,
      [
        { line: 2, email: 'New@Example.com', name: 'New', topics: ['models'] },
        { line: 3, email: 'paper@example.com', consentSource: 'paper form at the meetup' },
        { line: 4, email: 'new@example.com' },
        { line: 5, email: known },
        { line: 6, email: 'nope' },
        { line: 7, email: 'x@example.com', topics: ['gossip'] },
      ],
      'ed@example.com',
    );
    await signup.drain();
    expect(report).toEqual({
      rows: 6,
      pending: 1,
      active: 1,
      existing: 1,
      duplicates: 1,
      errors: [
        { line: 6, message: '"nope" is not a valid address' },
        { line: 7, message: expect.stringContaining('unknown topic(s) gossip') },
      ],
    });
    expect(await byEmail('new@example.com')).toMatchObject({ status: 'pending', name: 'New', topics: '["models"]', source: 'import', confirmed_at: null });
    const paper = await byEmail('paper@example.com');
    expect(paper).toMatchObject({ status: 'active', source: 'import', confirmed_at: deps.clock.now().toISOString() });
    const consents = await deps.db.selectFrom('consents').selectAll().where('subscriber_id', '=', paper!.id).execute();
    expect(consents).toMatchObject([{ action: 'import', source: 'import: paper form at the meetup' }]);
    expect((await byEmail(known))?.status).toBe('unsubscribed');

    const mails = await deps.db.selectFrom('deliveries').select(['kind', 'to_email']).execute();
    expect(mails).toEqual([{ kind: 'confirm', to_email: 'new@example.com' }]);
    const audit = await deps.db.selectFrom('audit_log').selectAll().execute();
    expect(audit).toMatchObject([{ actor: 'ed@example.com', action: 'subscribers.imported' }]);
  });
});

describe('CSV export', () => {
  it('quotes and defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
  });

  it('pages through every matching row by id, without erased readers', async () => {
    seedSubscribers(deps.testDb.sqlite, 5);
    seedSubscribers(deps.testDb.sqlite, 2, { status: 'pending', domain: 'p.example.com' });
    await deps.db.updateTable('subscribers').set({ status: 'erased', email: null }).where('email', '=', 'reader0@example.com').execute();
    const first = await exportPage(deps.db, 0, {}, 3);
    const second = await exportPage(deps.db, first[2].id, {}, 3);
    expect([...first, ...second].map((r) => r.email)).toEqual([
      'reader1@example.com',
      'reader2@example.com',
      'reader3@example.com',
      'reader4@example.com',
      'reader0@p.example.com',
      'reader1@p.example.com',
    ]);
    expect((await exportPage(deps.db, 0, { status: 'pending' })).length).toBe(2);
    expect(csvLine(first[0])).toMatch(/^reader1@example\.com,,active,,,/);
  });

  it('pages a searched export through the trigram index in id order, every match once across page boundaries', async () => {
    seedSubscribers(deps.testDb.sqlite, 250);
    seedSubscribers(deps.testDb.sqlite, 5, { domain: 'elsewhere.org' });
    const all: string[] = [];
    for (let after = 0; ; ) {
      const page = await exportPage(deps.db, after, { q: 'example.com' }, 7);
      if (page.length === 0) break;
      all.push(...page.map((r) => r.email!));
      after = page[page.length - 1].id;
    }
    expect(all).toEqual(Array.from({ length: 250 }, (_, i) => `reader${i}@example.com`));
  });
});

describe('subscriber queries', () => {
  it('searches by address or name, filters by status and topic, and counts', async () => {
    seedSubscribers(deps.testDb.sqlite, 4);
    seedSubscribers(deps.testDb.sqlite, 2, { status: 'pending', domain: 'wait.example.com' });
    await deps.db.updateTable('subscribers').set({ topics: '["policy","models"]' }).where('email', '=', 'reader1@example.com').execute();
    expect((await searchSubscribers(deps.db, { q: 'WAIT.example' })).map((r) => r.email)).toEqual(['reader1@wait.example.com', 'reader0@wait.example.com']);
    expect((await searchSubscribers(deps.db, { q: 'Reader 3' })).map((r) => r.email)).toEqual(['reader3@example.com']);
    expect((await searchSubscribers(deps.db, { topic: 'policy' })).map((r) => r.email)).toEqual(['reader1@example.com']);
    expect((await searchSubscribers(deps.db, { q: '%' })).length).toBe(0);
    expect(await countSubscribersByStatus(deps.db)).toMatchObject({ active: 4, pending: 2, unsubscribed: 0 });
    await deps.db.updateTable('subscribers').set({ paused_until: '2099-01-01T00:00:00.000Z' }).where('email', '=', 'reader2@example.com').execute();
    expect(await countAudience(deps.db, deps.clock.now().toISOString())).toBe(3);
  });

  it('finds a whole address through the unique index, 3+ characters through the trigram index, shorter text by scan', async () => {
    seedSubscribers(deps.testDb.sqlite, 300);
    await deps.db.updateTable('subscribers').set({ name: 'Zoë "Q" Ångström' }).where('email', '=', 'reader17@example.com').execute();
    // The statements the repository runs, and SQLite's plan for each (a Kysely over the same connection that logs them).
    const ran: { sql: string; params: readonly unknown[] }[] = [];
    const logged = new Kysely<Database>({
      dialect: new SqliteDialect({ database: deps.testDb.sqlite }),
      log: (e) => void (e.level === 'query' && ran.push({ sql: e.query.sql, params: e.query.parameters })),
    });
    const plansOf = async (q: string, more: Parameters<typeof searchSubscribers>[1] = {}) => {
      ran.length = 0;
      const rows = await searchSubscribers(logged, { q, ...more });
      const plans = ran.map(({ sql, params }) =>
        (deps.testDb.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as unknown[])) as { detail: string }[]).map((r) => r.detail).join(' | '),
      );
      return { emails: rows.map((r) => r.email), plans };
    };

    const exact = await plansOf('  Reader42@EXAMPLE.com ');
    expect(exact.emails).toEqual(['reader42@example.com']);
    expect(exact.plans).toEqual([expect.stringMatching(/^SEARCH subscribers USING INDEX sqlite_autoindex_subscribers_\d \(email=\?\)$/)]);

    // a substring: newest first, paged by the cursor inside the index, no scan and no sort
    const sub = await plansOf('der29');
    expect(sub.emails).toEqual([
      'reader299@example.com',
      'reader298@example.com',
      'reader297@example.com',
      'reader296@example.com',
      'reader295@example.com',
      'reader294@example.com',
      'reader293@example.com',
      'reader292@example.com',
      'reader291@example.com',
      'reader290@example.com',
      'reader29@example.com',
    ]);
    expect(sub.plans).toEqual([expect.stringMatching(/^SCAN f VIRTUAL TABLE INDEX \d+:M\d+ \| SEARCH s USING INTEGER PRIMARY KEY \(rowid=\?\)$/)]);
    expect(sub.plans[0]).not.toMatch(/TEMP B-TREE|SCAN subscribers/);
    const firstPage = await searchSubscribers(deps.db, { q: 'der29', limit: 4 });
    const nextPage = await searchSubscribers(deps.db, { q: 'der29', limit: 4, beforeId: firstPage[3].id });
    expect([...firstPage, ...nextPage].map((r) => r.email)).toEqual(sub.emails.slice(0, 8));
    expect((await searchSubscribers(deps.db, { q: 'der29', status: 'pending' })).length).toBe(0);

    // names too, case-insensitive, quotes and non-ASCII letters taken literally
    expect((await plansOf('"q" ång')).emails).toEqual(['reader17@example.com']);
    expect((await plansOf('ZOË')).emails).toEqual(['reader17@example.com']);
    // an address nobody has exactly is still found inside a longer one
    expect((await plansOf('eader42@example.com')).emails).toEqual(['reader42@example.com']);
    expect((await plansOf('der4@example.co')).emails).toEqual(['reader4@example.com']);

    // two characters: the trigram index has no shorter tokens, so the LIKE scan, which stops once a page is full
    const short = await plansOf('99');
    expect(short.emails).toEqual(['reader299@example.com', 'reader199@example.com', 'reader99@example.com']);
    expect(short.plans).toEqual(['SCAN subscribers']);
    expect(searchMatchFor('%_')).toEqual({ kind: 'scan', like: '%\\%\\_%' });
    await logged.destroy().catch(() => undefined);
  });

  it('keeps the trigram index in step with inserts, address and name changes, erasure and deletes', async () => {
    seedSubscribers(deps.testDb.sqlite, 3);
    const q = async (text: string) => (await searchSubscribers(deps.db, { q: text })).map((r) => r.id);
    const [id] = await q('reader1@example.com');
    await deps.db.updateTable('subscribers').set({ name: 'Hortensia Pelletier' }).where('id', '=', id).execute();
    expect(await q('tensia')).toEqual([id]);
    await deps.db.updateTable('subscribers').set({ name: 'Other Name', email: 'moved@example.net' }).where('id', '=', id).execute();
    expect(await q('tensia')).toEqual([]);
    expect(await q('ved@exa')).toEqual([id]);
    expect(await q('Other Na')).toEqual([id]);
    // a status change leaves the index alone; erasure (address and name blanked) takes the row out of it
    await deps.db.updateTable('subscribers').set({ status: 'unsubscribed' }).where('id', '=', id).execute();
    expect(await q('ved@exa')).toEqual([id]);
    await deps.db.updateTable('subscribers').set({ status: 'erased', email: null, name: null }).where('id', '=', id).execute();
    expect(await q('ved@exa')).toEqual([]);
    expect(await q('Other Na')).toEqual([]);
    await deps.db.deleteFrom('subscribers').where('email', '=', 'reader2@example.com').execute();
    expect(await q('reader2@')).toEqual([]);
    const entries = deps.testDb.sqlite.prepare(`SELECT count(*) AS n FROM subscribers_search WHERE subscribers_search MATCH '"example.com"'`).get();
    expect(entries).toEqual({ n: 1 }); // reader0 is all that is left
    // FTS5's own consistency check throws on an index that disagrees with what was written
    expect(() => deps.testDb.sqlite.prepare(`INSERT INTO subscribers_search (subscribers_search, rank) VALUES ('integrity-check', 0)`).run()).not.toThrow();
  });

  it('charts growth: active readers at each point, joins and leaves since the point before', async () => {
    const ins = deps.testDb.sqlite.prepare(
      `INSERT INTO subscribers (email, email_hash, status, created_at, updated_at, confirmed_at, unsubscribed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    ins.run('a@x.com', 'a', 'active', '2026-11-01', '2026-11-01', '2026-11-02T00:00:00.000Z', null);
    ins.run('b@x.com', 'b', 'unsubscribed', '2026-11-01', '2026-11-20', '2026-11-09T00:00:00.000Z', '2026-11-20T00:00:00.000Z');
    ins.run('c@x.com', 'c', 'bounced', '2026-11-01', '2026-11-18T00:00:00.000Z', '2026-11-10T00:00:00.000Z', null);
    ins.run('d@x.com', 'd', 'pending', '2026-11-01', '2026-11-01', null, null);
    const points = ['2026-11-01T00:00:00.000Z', '2026-11-08T00:00:00.000Z', '2026-11-15T00:00:00.000Z', '2026-11-22T00:00:00.000Z'];
    expect(await subscriberGrowth(deps.db, points)).toEqual([
      { at: points[0], active: 0, joined: 0, left: 0 },
      { at: points[1], active: 1, joined: 1, left: 0 },
      { at: points[2], active: 3, joined: 2, left: 0 },
      { at: points[3], active: 1, joined: 0, left: 2 },
    ]);
    // the state at the first point counts earlier joins and leaves too
    expect((await subscriberGrowth(deps.db, points.slice(2))).map((p) => p.active)).toEqual([3, 1]);
  });
});

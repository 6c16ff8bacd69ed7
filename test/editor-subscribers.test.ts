import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSubscribers } from '../src/core/subscribers/import-subscribers.js';
import { createSignupService } from '../src/core/subscribers/signup.js';
import { countAudience, countSubscribersByStatus, exportPage, searchSubscribers, subscriberGrowth } from '../src/db/repos/editor-subscribers.js';
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

// Preferences: topics, pause, export of everything stored (mailed to the reader), and an erasure that leaves no personal data anywhere.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderPacer } from '../src/core/send/provider-pacer.js';
import { runOutbox } from '../src/core/send/run-outbox.js';
import { hashIp } from '../src/core/subscribers/email-address.js';
import { listMailbox } from '../src/db/repos/dev-mailbox.js';
import { startPublicSite, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
let links: { unsubscribeUrl: string; preferencesUrl: string };
const EMAIL = 'grace.hopper@example.com';
const NAME = 'Gracewyn Hopperfield';
const UA = 'EraseMeBrowser/9.9 (unique-agent-7f3a)';

beforeEach(async () => {
  site = await startPublicSite();
  const res = await site.postJson('/api/subscribe', { email: EMAIL, name: NAME, topics: ['research'] }, { 'user-agent': UA });
  expect(res.status).toBe(202);
  const confirm = await site.confirm(await site.linkIn(EMAIL, 'confirm', 'confirm'), { 'user-agent': UA });
  expect(confirm.status).toBe(200);
  links = {
    unsubscribeUrl: await site.linkIn(EMAIL, 'welcome', 'unsubscribe'),
    preferencesUrl: await site.linkIn(EMAIL, 'welcome', 'preferences'),
  };
});
afterEach(async () => site?.close());

const path = () => new URL(links.preferencesUrl).pathname;
const row = () =>
  site.deps.db
    .selectFrom('subscribers')
    .selectAll()
    .where('email_hash', '=', site.deps.db.selectFrom('subscribers').select('email_hash').where('id', '=', 1))
    .executeTakeFirstOrThrow();

describe('GET/POST /preferences/:token', () => {
  it('shows the current topics and saves new topics and a pause (303 back to the page)', async () => {
    const page = await (await fetch(links.preferencesUrl)).text();
    expect(page).toMatch(/value="research" checked/);
    expect(page).toContain('gr••••••@example.com');
    const { cookie, token } = await site.csrf(path());
    const res = await site.postForm(path(), { csrf: token, topics: ['models', 'safety'], pause: '2' }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${path()}?saved=1`);
    const r = await row();
    expect(r.topics).toBe('["models","safety"]');
    expect(r.paused_until).toBe(new Date(site.deps.clock.now().getTime() + 14 * 864e5).toISOString());
    const after = await (await fetch(`${links.preferencesUrl}?saved=1`)).text();
    expect(after).toContain('Your preferences are saved');
    expect(after).toMatch(/value="models" checked/);
    expect(after).toContain('Paused until');

    await site.postForm(path(), { csrf: token, pause: '0' }, { cookie });
    expect(await row()).toMatchObject({ paused_until: null, topics: '[]' });
  });

  it('refuses unknown topics or pauses with 422 and without CSRF with 403, changing nothing', async () => {
    const { cookie, token } = await site.csrf(path());
    expect((await site.postForm(path(), { csrf: token, topics: ['crypto'] }, { cookie })).status).toBe(422);
    expect((await site.postForm(path(), { csrf: token, pause: '-3' }, { cookie })).status).toBe(422);
    expect((await site.postForm(path(), { csrf: token, pause: '1e9' }, { cookie })).status).toBe(422);
    expect((await site.postForm(path(), { topics: ['models'] }, { cookie })).status).toBe(403);
    expect((await row()).topics).toBe('["research"]');
  });
});

describe('export', () => {
  const exportPath = () => `${path()}/export`;
  /** The complete JSON export in a mail's text part: from the line that is just "{" to the line that is just "}". */
  const jsonIn = (text: string) => JSON.parse(/^\{$[\s\S]*?^\}$/m.exec(text)![0]);
  const flush = () => runOutbox(site.deps, { owner: 'test', limiter: createProviderPacer(1000, () => site.deps.clock.now().getTime()), leaseMs: 60_000 });

  it("mails everything stored to the reader's own address and answers with none of it", async () => {
    const { cookie, token } = await site.csrf(path());
    const res = await site.postForm(exportPath(), { csrf: token }, { cookie });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('gr••••••@example.com');
    expect(page).toMatch(/arrives within a few minutes/);
    const ipHash = await hashIp(site.deps.config.appSecret, '127.0.0.1');
    for (const secret of [EMAIL, NAME, 'Gracewyn', UA, 'unique-agent', ipHash, '"consents"', 'research']) expect(page, secret).not.toContain(secret);

    const [queued] = await site.mails({ kind: 'export' });
    expect(queued).toMatchObject({ to_email: EMAIL, subscriber_id: (await row()).id, status: 'queued' });
    expect(queued.subject).toMatch(/your data/i);
    const data = jsonIn(queued.text);
    expect(data.subscriber).toMatchObject({ email: EMAIL, name: NAME, status: 'active', topics: ['research'] });
    expect(data.consents.map((c: { action: string }) => c.action)).toEqual(['signup', 'confirm']);
    expect(data.consents[0]).toMatchObject({ source: 'api', userAgent: UA });
    expect(data.deliveries.map((d: { kind: string }) => d.kind)).toEqual(['confirm', 'welcome']);
    expect(data.deliveries[1].message.subject).toMatch(/welcome/i);
    expect(queued.html).toContain(NAME);
    expect(queued.html).toContain('<pre');

    // Through the real sender to the dev mailbox: one mail, to the reader, tagged as an export.
    await flush();
    const exports = (await listMailbox(site.deps.db, { to: EMAIL })).filter((m) => JSON.parse(m.tags).some((t: { value: string }) => t.value === 'export'));
    expect(exports).toHaveLength(1);
    const [mail] = exports;
    expect(mail.subject).toMatch(/your data/i);
    expect(JSON.parse(mail.tags)).toContainEqual({ name: 'kind', value: 'export' });
    expect(jsonIn(mail.text).subscriber.email).toBe(EMAIL);
  });

  it('escapes what the reader typed, in the summary and in the JSON block', async () => {
    await site.deps.db.updateTable('subscribers').set({ name: '<script>alert(1)</script> & "Co"' }).where('email', '=', EMAIL).execute();
    const { cookie, token } = await site.csrf(path());
    expect((await site.postForm(exportPath(), { csrf: token }, { cookie })).status).toBe(202);
    const [mail] = await site.mails({ kind: 'export' });
    expect(mail.html).not.toContain('<script>alert(1)');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; ');
    expect(jsonIn(mail.text).subscriber.name).toBe('<script>alert(1)</script> & "Co"');
  });

  it('mails one export per reader per 10 minutes, however often or fast the button is pressed', async () => {
    const { cookie, token } = await site.csrf(path());
    const post = () => site.postForm(exportPath(), { csrf: token }, { cookie });
    const first = await Promise.all([post(), post(), post(), post()]);
    expect(first.map((r) => r.status).sort()).toEqual([202, 429, 429, 429]);
    expect(await site.mails({ kind: 'export' })).toHaveLength(1);

    site.deps.clock.advance(9 * 60_000);
    const again = await post();
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const page = await again.text();
    expect(page).toContain('gr••••••@example.com');
    expect(page).not.toContain(EMAIL);
    expect(await site.mails({ kind: 'export' })).toHaveLength(1);

    site.deps.clock.advance(60_000 + 1000);
    expect((await post()).status).toBe(202);
    const mails = await site.mails({ kind: 'export' });
    expect(mails).toHaveLength(2);
    // The later export lists the earlier one without copying it (exports would otherwise nest in each other).
    const later = jsonIn(mails[1].text);
    expect(later.deliveries.map((d: { kind: string }) => d.kind)).toEqual(['confirm', 'welcome', 'export']);
    expect(JSON.stringify(later.deliveries[2])).not.toContain('consents');
  });

  it("queues nothing without the page's CSRF token", async () => {
    const { cookie, token } = await site.csrf(path());
    expect((await site.postForm(exportPath(), {}, { cookie })).status).toBe(403);
    expect((await site.postForm(exportPath(), { csrf: token })).status).toBe(403);
    expect((await site.postForm(exportPath(), { csrf: token }, { cookie, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect(await site.mails({ kind: 'export' })).toHaveLength(0);
  });

  it('says on the preferences page that the export is mailed', async () => {
    const page = await (await fetch(links.preferencesUrl)).text();
    expect(page).toMatch(/mail[^<]*to <strong>gr••••••@example.com<\/strong>/);
    expect(page).not.toMatch(/download/i);
  });
});

describe('erase', () => {
  it('needs the "I understand" box', async () => {
    const { cookie, token } = await site.csrf(path());
    const res = await site.postForm(`${path()}/erase`, { csrf: token }, { cookie });
    expect(res.status).toBe(422);
    expect((await row()).email).toBe(EMAIL);
  });

  it('removes the address, name, IP hash and user agent from every table, keeping only the address hash', async () => {
    const ipHashes = [await hashIp(site.deps.config.appSecret, '127.0.0.1'), await hashIp(site.deps.config.appSecret, '::ffff:127.0.0.1')];
    // Traces the rest of the system leaves: a sent batch, the dev mailbox, a provider webhook, the audit log.
    const now = site.deps.clock.now().toISOString();
    await site.deps.db
      .insertInto('delivery_batches')
      .values({
        kind: 'transactional',
        idempotency_key: 'k1',
        status: 'sent',
        created_at: now,
        body: JSON.stringify([
          { to: [EMAIL], subject: 'Hi', html: `Hi ${NAME}`, text: `Hi ${NAME}` },
          { to: ['other@example.com'], subject: 'Hi', html: 'x', text: 'x' },
        ]),
      })
      .execute();
    await site.deps.db
      .insertInto('dev_outbox')
      .values({
        id: 'dev_1',
        idempotency_key: 'k1',
        position: 0,
        from_addr: 'recap@localhost.test',
        to_addr: EMAIL,
        subject: 'Welcome',
        html: `<p>Hi ${NAME}</p>`,
        text: `Hi ${NAME}`,
        headers: '{}',
        tags: '[]',
        created_at: now,
      })
      .execute();
    await site.deps.db
      .insertInto('webhook_events')
      .values({ svix_id: 'msg_1', type: 'email.delivered', received_at: now, payload: JSON.stringify({ data: { to: [EMAIL.toUpperCase()] } }) })
      .execute();
    await site.deps.db
      .insertInto('audit_log')
      .values({ actor: 'editor@example.com', action: 'subscriber.view', details: JSON.stringify({ email: EMAIL }), created_at: now })
      .execute();

    const { cookie, token } = await site.csrf(path());
    // A mailed export is a full copy of the data: it must go with the rest.
    expect((await site.postForm(`${path()}/export`, { csrf: token }, { cookie })).status).toBe(202);
    const res = await site.postForm(`${path()}/erase`, { csrf: token, confirm: 'yes' }, { cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your data is erased');

    const needles = [EMAIL, NAME, UA, ...ipHashes, 'Gracewyn', 'grace.hopper'];
    const found = scanDatabase(site, needles);
    expect(found).toEqual([]);

    const r = await site.deps.db.selectFrom('subscribers').selectAll().executeTakeFirstOrThrow();
    expect(r).toMatchObject({ email: null, name: null, status: 'erased', topics: '[]' });
    expect(r.email_hash).toMatch(/^[0-9a-f]{64}$/);
    // Old links die with the erasure.
    expect((await fetch(links.preferencesUrl)).status).toBe(404);
    const oneClick = await fetch(links.unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(404);
    // The other reader in the shared batch keeps their message.
    const batch = await site.deps.db.selectFrom('delivery_batches').select('body').executeTakeFirstOrThrow();
    expect(batch.body).toContain('other@example.com');
  });
});

/** Every text cell of every table that contains one of `needles` (case-insensitive). */
function scanDatabase(s: PublicSite, needles: string[]): string[] {
  const sqlite = s.deps.testDb.sqlite;
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  const hits: string[] = [];
  expect(tables.length).toBeGreaterThan(10);
  for (const { name } of tables) {
    for (const rowData of sqlite.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const [col, v] of Object.entries(rowData)) {
        if (typeof v !== 'string') continue;
        for (const n of needles) if (v.toLowerCase().includes(n.toLowerCase())) hits.push(`${name}.${col} contains ${n}`);
      }
    }
  }
  return hits;
}

// The editor's pages for per-reader editions over real HTTP: the pool on the curate tab, the preview as a topic set,
// the send tab's editions and checks, and a failing edition (only it) blocking send now and scheduling by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoEvents } from '../src/demo/seed-demo.js';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { issueWithEditions } from '../src/core/issues/issue-editions.js';
import { startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { seedSubscribers } from './helpers/seed.js';

let site: EditorSite;
let id: string;
let auth: { cookie: string; csrf: string };

const get = async (path: string) => {
  const res = await fetch(site.url + path, { headers: { cookie: auth.cookie }, redirect: 'manual' });
  return { status: res.status, html: await res.text() };
};
const post = (path: string, fields: Record<string, string>) =>
  fetch(site.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: auth.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: auth.csrf, ...fields }),
  });
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
/** Follows a form post's 303 and returns the page it lands on (with its flash). */
async function postAndFollow(path: string, fields: Record<string, string>) {
  const res = await post(path, fields);
  expect(res.status).toBe(303);
  const next = await fetch(new URL(res.headers.get('location')!, site.url), {
    headers: { cookie: [auth.cookie, ...(res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0])].join('; ') },
  });
  return { location: res.headers.get('location')!, html: decode(await next.text()) };
}
const status = async () => (await site.deps.db.selectFrom('issues').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

beforeAll(async () => {
  site = await startEditorSite({ now: '2026-11-26T12:00:00.000Z' });
  await seedDemoEvents(site.deps);
  // 2 readers with no topics, 3 who follow policy + safety, 4 who follow research
  seedSubscribers(site.deps.testDb.sqlite, 9, { topics: (i) => (i < 2 ? [] : i < 5 ? ['safety', 'policy'] : ['research']) });
  id = (await buildDraft(site.deps)).issue.id;
  auth = await site.signIn();
});
afterAll(() => site.close());

describe('curate tab', () => {
  it('shows the week pool with rank, topics, score and the lead stories marked, also in the items', async () => {
    const { pool } = await issueWithEditions(site.deps, id);
    const { status: s, html } = await get(`/editor/issues/${id}`);
    expect(s).toBe(200);
    const section = decode(html.slice(html.indexOf('data-testid="pool"')));
    expect(section).toContain("The week's pool");
    const rows = [...section.matchAll(/<tr data-pool-event="(\d+)"( data-lead="true")?>\s*<td>(\d+)<\/td>/g)];
    expect(rows.map((r) => Number(r[1]))).toEqual(pool.map((p) => p.eventId));
    expect(rows.map((r) => Number(r[3]))).toEqual(pool.map((p) => p.rank));
    expect(rows.filter((r) => r[2]).map((r) => Number(r[1]))).toEqual(pool.filter((p) => p.lead).map((p) => p.eventId));
    expect(section).toContain(pool[0].score.toFixed(2));
    const items = html.slice(0, html.indexOf('data-testid="pool"'));
    expect(items.match(/>Lead<\/span>/g)).toHaveLength(3);
  });
});

describe('preview tab', () => {
  it('previews as a reader who follows the picked topics, HTML and text, with that edition named', async () => {
    const plain = await get(`/editor/issues/${id}/preview?part=text`);
    expect(plain.status).toBe(200);
    expect(plain.html).not.toContain('Picked for you');
    expect(plain.html).toContain('Preview as a reader who follows');
    const mine = await get(`/editor/issues/${id}/preview?part=text&topics=policy&topics=safety`);
    expect(mine.status).toBe(200);
    expect(mine.html).toContain('Picked for you: Policy, Safety');
    expect(mine.html).toMatch(/name="topics" value="policy" checked/);
    expect(mine.html).toContain('Showing: <strong style="color:var(--ink)">Policy + Safety</strong>');
    // the comma form is the same edition, and the engine switch keeps the topics
    const comma = await get(`/editor/issues/${id}/preview?part=text&topics=policy,safety&engine=mjml`);
    expect(comma.html).toContain('Picked for you: Policy, Safety');
    expect(decode(comma.html)).toContain('topics=policy%2Csafety');
    const frame = /<iframe\s+src="([^"]+)"/.exec((await get(`/editor/issues/${id}/preview?topics=research`)).html)![1];
    const mail = await get(decode(frame));
    expect(mail.status).toBe(200);
    expect(mail.html).toContain('Picked for you:');
    expect(mail.html).toContain('Research');
  });

  it('answers unknown topics with a 422 page naming them, never a 5xx', async () => {
    for (const q of ['topics=policy,astrology', 'topics=astrology&topics=safety', `topics=${'x'.repeat(5000)}`]) {
      const r = await get(`/editor/issues/${id}/preview?${q}`);
      expect(r.status, q).toBe(422);
      expect(r.html).toContain('Unknown topic');
    }
    expect((await get(`/editor/issues/${id}/preview?topics=astrology`)).html).toContain('astrology');
    expect((await get(`/editor/issues/${id}/preview/mail?topics=astrology`)).status).toBe(422);
  });
});

describe('send tab', () => {
  it('lists the editions that go out with readers and stories, and their checks pass', async () => {
    const { editions } = await issueWithEditions(site.deps, id);
    const { html } = await get(`/editor/issues/${id}/send`);
    const card = decode(html.slice(html.indexOf('data-testid="editions"')));
    for (const e of editions) {
      const row = new RegExp(`<tr data-edition="${e.edition}" data-edition-name="${e.name.replace('+', '\\+')}">[\\s\\S]*?</tr>`).exec(card)?.[0];
      expect(row, e.name).toBeTruthy();
      expect(row).toContain(`<td style="text-align:right" data-readers="true">${e.readers}</td>`);
      for (const i of e.items) expect(row).toContain(i.title);
      expect(row).toContain('data-check-ok="true"');
    }
    expect(editions.map((e) => e.name)).toEqual(['Default edition', 'Research', 'Policy + Safety']);
    expect(card).toMatch(/Largest mail: <strong data-testid="largest-size">\d+\.\d KB<\/strong>/);
    expect(html).not.toContain('data-testid="editions-blocked"');
    expect(html).toContain(`href="/editor/issues/${id}/send/confirm"`);
  });

  it('a failing edition blocks send now and scheduling, by its name, and only that edition fails', async () => {
    // A pool-only research story with an http:// link: only readers of research get it.
    const { pool, editions } = await issueWithEditions(site.deps, id);
    const research = editions.find((e) => e.name === 'Research')!;
    const story = pool.find((p) => !p.inDefault && research.items.some((i) => i.eventId === p.eventId))!;
    expect(editions.find((e) => e.name === 'Policy + Safety')!.items.some((i) => i.eventId === story.eventId)).toBe(false);
    const saved = (await site.deps.db.selectFrom('events').select('url').where('id', '=', story.eventId).executeTakeFirstOrThrow()).url;
    await site.deps.db.updateTable('events').set({ url: 'http://insecure.example.com/story' }).where('id', '=', story.eventId).execute();
    try {
      const page = await get(`/editor/issues/${id}/send`);
      const html = decode(page.html);
      expect(html).toContain('data-testid="editions-blocked"');
      expect(html).toContain('Pre-send checks fail for the “Research” edition');
      expect(html).toMatch(/data-edition-name="Research">[\s\S]*?data-check-ok="false"/);
      expect(html).toMatch(/data-edition-name="Policy \+ Safety">[\s\S]*?data-check-ok="true"/);
      expect(html).toMatch(/data-edition-name="Default edition">[\s\S]*?data-check-ok="true"/);
      expect(html).not.toContain(`href="/editor/issues/${id}/send/confirm"`);
      expect(html).toMatch(
        /<button class="btn primary" type="submit" disabled="">Schedule<\/button>|<button class="btn primary" type="submit" disabled>Schedule<\/button>/,
      );
      const confirm = decode((await get(`/editor/issues/${id}/send/confirm`)).html);
      expect(confirm).toContain('“Research” edition');
      expect(confirm).not.toContain('Yes, send to');

      // The posts check afresh, whatever the page showed
      const sent = await postAndFollow(`/editor/issues/${id}/send`, { audience: '9' });
      expect(sent.location).toBe(`/editor/issues/${id}/send`);
      expect(sent.html).toContain('Pre-send checks fail for the "Research" edition');
      expect(sent.html).toContain('http://insecure.example.com/story');
      expect(await status()).toBe('draft');
      const scheduled = await postAndFollow(`/editor/issues/${id}/schedule`, { date: '2026-11-30', time: '09:00' });
      expect(scheduled.html).toContain('Pre-send checks fail for the "Research" edition');
      expect(await status()).toBe('draft');
      // the preview as that reader shows the failing check
      const preview = decode((await get(`/editor/issues/${id}/preview?topics=research`)).html);
      expect(preview).toMatch(/data-check="links-absolute" data-ok="false"/);
      expect(decode((await get(`/editor/issues/${id}/preview?topics=policy,safety`)).html)).toMatch(/data-check="links-absolute" data-ok="true"/);
    } finally {
      await site.deps.db.updateTable('events').set({ url: saved }).where('id', '=', story.eventId).execute();
    }
    const ok = await postAndFollow(`/editor/issues/${id}/schedule`, { date: '2026-11-30', time: '09:00' });
    expect(ok.html).toContain('Scheduled for');
    expect(await status()).toBe('scheduled');
  });

  it('with more editions than the page checks by itself, offers the checks on demand', async () => {
    // 20 more topic sets among the audience
    const sets = [
      ['models'],
      ['compute'],
      ['funding'],
      ['tools'],
      ['products'],
      ['models', 'compute'],
      ['models', 'tools'],
      ['funding', 'tools'],
      ['compute', 'products'],
      ['models', 'research'],
      ['policy'],
      ['safety'],
      ['research', 'safety'],
      ['models', 'policy'],
      ['tools', 'products'],
      ['compute', 'funding'],
      ['policy', 'research'],
      ['models', 'funding'],
      ['tools', 'safety'],
      ['products', 'policy'],
    ];
    seedSubscribers(site.deps.testDb.sqlite, sets.length, { startAt: 100, topics: (i) => sets[i] });
    const t0 = performance.now();
    const { html } = await get(`/editor/issues/${id}/send`);
    const listMs = performance.now() - t0;
    expect(html).toContain(`Run the checks on all 23 editions`);
    expect(html.match(/<tr data-edition=/g)).toHaveLength(23);
    expect(html).not.toContain('data-check-ok=');
    const t1 = performance.now();
    const all = await get(`/editor/issues/${id}/send?checks=all`);
    const checkMs = performance.now() - t1;
    expect(all.html.match(/data-check-ok="true"/g)).toHaveLength(23);
    console.info(`send tab with 23 editions: list ${listMs.toFixed(0)} ms, with checks ${checkMs.toFixed(0)} ms`);
  });
});

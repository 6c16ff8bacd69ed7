// The public archive and its Atom feed: sent issues only, newest first, the mail's own content without tokens.
import { parseFeed } from 'feedsmith';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDraft } from './helpers/seed.js';
import { seedSentIssue, startPublicSite, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
beforeEach(async () => {
  site = await startPublicSite({ now: '2026-11-12T12:00:00.000Z' });
});
afterEach(async () => site?.close());

async function twoSentIssuesAndADraft() {
  const older = await seedSentIssue(site);
  site.deps.clock.set('2026-11-19T12:00:00.000Z');
  const newer = await seedSentIssue(site);
  site.deps.clock.set('2026-11-26T12:00:00.000Z');
  const draft = await seedDraft(site.deps);
  const slug = async (id: string) => (await site.deps.db.selectFrom('issues').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
  return { older: await slug(older), newer: await slug(newer), draft: await slug(draft) };
}

describe('GET /archive', () => {
  it('lists sent issues newest first and never a draft', async () => {
    const s = await twoSentIssuesAndADraft();
    const res = await fetch(`${site.url}/archive`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const iNewer = html.indexOf(`/archive/${s.newer}"`);
    const iOlder = html.indexOf(`/archive/${s.older}"`);
    expect(iNewer).toBeGreaterThan(0);
    expect(iOlder).toBeGreaterThan(iNewer);
    expect(html).not.toContain(`/archive/${s.draft}"`);
  });

  it('says so when nothing was sent yet', async () => {
    expect(await (await fetch(`${site.url}/archive`)).text()).toContain('No issue has been sent yet');
  });
});

describe('GET /archive/:slug', () => {
  it('serves the web version: the same stories as the mail, neutral links, no personal tokens', async () => {
    const s = await twoSentIssuesAndADraft();
    const res = await fetch(`${site.url}/archive/${s.newer}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Open-weights model tops the reasoning leaderboard');
    expect(html).toContain('虎嗅');
    expect(html).toContain('All issues');
    expect(html).toContain(`href="${site.url}/unsubscribe"`);
    expect(html).toContain(`href="${site.url}/preferences"`);
    expect(html).not.toMatch(/\/(unsubscribe|preferences|confirm)\/[\w-]+\.[\w-]+/);
    expect(html).not.toContain('%%WR_');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers 404 for drafts and unknown slugs', async () => {
    const s = await twoSentIssuesAndADraft();
    for (const slug of [s.draft, 'nope', '%3Cscript%3E', 'x'.repeat(300)]) {
      const res = await fetch(`${site.url}/archive/${slug}`);
      expect(res.status, slug).toBe(404);
      expect(await res.text()).toContain('No such issue');
    }
  });
});

describe('GET /feed.xml', () => {
  it('is a valid Atom feed of the sent issues, newest first', async () => {
    const s = await twoSentIssuesAndADraft();
    const res = await fetch(`${site.url}/feed.xml`);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    const parsed = parseFeed(xml);
    expect(parsed.format).toBe('atom');
    const feed = parsed.feed as {
      id?: string;
      title?: { value?: string };
      updated?: string;
      entries?: { id?: string; title?: { value?: string }; updated?: string }[];
    };
    expect(feed.id).toBe(`${site.url}/feed.xml`);
    expect(feed.title?.value).toBe('Weekly AI Recap');
    expect(feed.entries?.map((e) => e.id)).toEqual([`${site.url}/archive/${s.newer}`, `${site.url}/archive/${s.older}`]);
    for (const e of feed.entries ?? []) {
      expect(e.title?.value).toBeTruthy();
      expect(e.updated).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // RFC 4287: a feed needs id, title, updated and an author (here at feed level); one self link.
    expect(xml).toMatch(/<author><name>/);
    expect(xml.match(/rel="self"/g)).toHaveLength(1);
  });

  it('escapes hostile subjects into well-formed XML', async () => {
    const id = await seedSentIssue(site);
    await site.deps.db.updateTable('issues').set({ subject_snapshot: 'A & B <script>"x"</script> \u0001 ünïcode' }).where('id', '=', id).execute();
    const xml = await (await fetch(`${site.url}/feed.xml`)).text();
    expect(xml).toContain('A &amp; B &lt;script&gt;&quot;x&quot;&lt;/script&gt;  ünïcode');
    const parsed = parseFeed(xml);
    expect((parsed.feed as { entries?: { title?: { value?: string } }[] }).entries?.[0].title?.value).toContain('<script>');
  });
});

// The archive's web version of a reader's edition (?edition=N, what "view in browser" links to) and the rest of
// the week's pool below the mail, grouped by topic.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editionOf } from '../src/shared/topics.js';
import { seedDraft } from './helpers/seed.js';
import { seedSentIssue, startPublicSite, type PublicSite } from './helpers/public-site.js';

let site: PublicSite;
let slug: string;
// 4 stories a mail, 2 of them lead: the eight seeded stories leave funding, tools, safety and products to the pool.
beforeEach(async () => {
  site = await startPublicSite({ now: '2026-11-12T12:00:00.000Z', config: { issueSize: 4, leadSize: 2 } });
  const id = await seedSentIssue(site);
  slug = (await site.deps.db.selectFrom('issues').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
});
afterEach(async () => site?.close());

const page = async (query = '') => {
  const res = await fetch(`${site.url}/archive/${slug}${query}`);
  return { status: res.status, html: await res.text() };
};
const split = (html: string) => {
  const at = html.indexOf('data-testid="more-from-the-week"');
  return { mail: at < 0 ? html : html.slice(0, at), more: at < 0 ? '' : html.slice(at) };
};

describe('GET /archive/:slug, editions', () => {
  it('shows the default edition, then the rest of the pool grouped by topic', async () => {
    const { status, html } = await page();
    expect(status).toBe(200);
    const { mail, more } = split(html);
    expect(mail).toContain('Open-weights model tops the reasoning leaderboard');
    expect(mail).not.toContain('Lab publishes red-team results');
    expect(mail).not.toContain('Picked for you');
    expect(more).toContain('More from the week');
    expect([...more.matchAll(/data-topic="(\w+)"/g)].map((m) => m[1])).toEqual(['funding', 'tools', 'safety', 'products']);
    expect(more).toMatch(/data-topic="safety">[\s\S]*?Lab publishes red-team results/);
    expect(more).not.toContain('Open-weights model tops');
    expect(more).toContain('href="https://news.example.com/');
  });

  it('?edition=N shows that reader edition: lead stories, then their topics; the rest below', async () => {
    const n = editionOf(['safety']);
    const { status, html } = await page(`?edition=${n}`);
    expect(status).toBe(200);
    const { mail, more } = split(html);
    expect(mail).toContain('Picked for you');
    expect(mail).toContain('Safety');
    expect(mail).toContain('Lab publishes red-team results');
    expect(mail).toContain('Open-weights model tops'); // lead
    expect(mail).toContain('Chipmaker ships a new accelerator'); // lead
    expect(mail).not.toContain('Researchers shrink long-context attention');
    expect(more).toMatch(/data-topic="research">[\s\S]*?Researchers shrink long-context attention/);
    expect(more).not.toContain('Lab publishes red-team results');
  });

  it('anything but an integer 0..254 is the default edition, never an error', async () => {
    const plain = (await page()).html;
    for (const q of ['255', '-1', 'abc', '1e3', '9999', '3.5', '', '0x10', '%00']) {
      const r = await page(`?edition=${q}`);
      expect(r.status, q).toBe(200);
      expect(r.html, q).toBe(plain);
    }
    expect((await page('?edition=254')).status).toBe(200);
  });

  it('only for sent issues', async () => {
    site.deps.clock.set('2026-11-26T12:00:00.000Z');
    const draft = await seedDraft(site.deps);
    const draftSlug = (await site.deps.db.selectFrom('issues').select('slug').where('id', '=', draft).executeTakeFirstOrThrow()).slug;
    const res = await fetch(`${site.url}/archive/${draftSlug}?edition=${editionOf(['policy'])}`);
    expect(res.status).toBe(404);
  });

  it('escapes story text in the pool list', async () => {
    const ev = await site.deps.db.selectFrom('events').select('id').where('title', 'like', 'Lab publishes red-team%').executeTakeFirstOrThrow();
    await site.deps.db.updateTable('events').set({ title: '<img src=x onerror=alert(1)> & "quotes"' }).where('id', '=', ev.id).execute();
    const { more } = split((await page()).html);
    expect(more).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(more).not.toContain('<img src=x');
  });
});

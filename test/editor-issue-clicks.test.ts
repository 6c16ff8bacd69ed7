// The issue page ranks a sent issue's stories by people's clicks, scanners apart, and shows nothing for a draft.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { startSending } from '../src/core/issues/issue-lifecycle.js';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { seedDemoEvents } from '../src/demo/seed-demo.js';

let site: EditorSite;
let auth: { cookie: string; csrf: string };
const page = async (id: string) => (await fetch(`${site.url}/editor/issues/${id}`, { headers: { cookie: auth.cookie } })).text();

beforeAll(async () => {
  site = await startEditorSite({ now: '2026-11-26T12:00:00.000Z' });
  auth = await site.signIn();
});
afterAll(() => site.close());

describe('stories by clicks on the issue page', () => {
  it('shows no click table for a draft, then ranks the stories once it sends by clicks, escaping titles, scanners apart', async () => {
    await seedDemoEvents(site.deps);
    const id = (await buildDraft(site.deps)).issue.id;
    expect(await page(id)).not.toContain('data-testid="story-clicks"');
    await startSending(site.deps, id);
    const events = await site.deps.db.selectFrom('issue_items').select('event_id').where('issue_id', '=', id).orderBy('position').limit(3).execute();
    expect(events).toHaveLength(3);
    const [a, b, c] = events.map((e) => Number(e.event_id));
    await site.deps.db
      .insertInto('issue_links')
      .values([
        { issue_id: id, event_id: a, url: 'https://news.example.com/a', title: 'Story A' },
        { issue_id: id, event_id: b, url: 'https://news.example.com/b', title: 'Story <b>B</b>' },
        { issue_id: id, event_id: c, url: 'https://news.example.com/c', title: 'Story C' },
      ])
      .execute();
    await site.deps.db
      .insertInto('click_counts')
      .values([
        { issue_id: id, event_id: a, edition: 0, clicks: 2, scanner_clicks: 9 },
        { issue_id: id, event_id: b, edition: 0, clicks: 7, scanner_clicks: 0 },
        { issue_id: id, event_id: b, edition: 3, clicks: 1, scanner_clicks: 1 },
      ])
      .execute();
    const html = await page(id);
    expect(html).toContain('data-testid="story-clicks"');
    const ranked = [...html.matchAll(/<tr data-event-id="(\d+)">/g)].map((m) => Number(m[1]));
    expect(ranked).toEqual([b, a, c]);
    expect(html).toContain('Story &lt;b&gt;B&lt;/b&gt;');
    expect(html).not.toContain('Story <b>B</b>');
    expect(html).toMatch(/10 clicks · 10 by link scanners, counted apart/);
  });
});

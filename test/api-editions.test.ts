// The API's view of editions: the week's pool, the editions the audience would get, previews as a topic set, and their checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoEvents } from '../src/demo/seed-demo.js';
import { editionOf } from '../src/shared/topics.js';
import { startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { seedSubscribers } from './helpers/seed.js';

const TOKEN = 'api-token-0123456789abcdef';
let site: EditorSite;
let id: string;
type Json = Record<string, any>;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${site.url}/api/editor${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.includes('json') ? await res.json() : await res.text()) as Json & string };
}

beforeAll(async () => {
  site = await startEditorSite({ now: '2026-11-26T12:00:00.000Z', config: { editorApiToken: TOKEN } });
  await seedDemoEvents(site.deps);
  // 2 readers with no topics, 3 who follow policy + safety, 4 who follow research
  seedSubscribers(site.deps.testDb.sqlite, 9, { topics: (i) => (i < 2 ? [] : i < 5 ? ['safety', 'policy'] : ['research']) });
  id = (await api('POST', '/issues', {})).body.id;
});
afterAll(() => site.close());

describe('editions in /api/editor/issues/:id', () => {
  it('lists the pool (best first, lead stories marked) and the editions the audience would get with their readers', async () => {
    const r = await api('GET', `/issues/${id}`);
    expect(r.status).toBe(200);
    const pool = r.body.pool as Json[];
    expect(pool.length).toBeGreaterThan(r.body.items.length);
    expect(pool.map((p) => p.rank)).toEqual(pool.map((_, i) => i + 1));
    expect(pool.filter((p) => p.lead)).toHaveLength(3);
    const editions = r.body.editions as Json[];
    expect(editions.map((e) => [e.edition, e.readers])).toEqual(
      [
        [0, 2],
        [editionOf(['research']), 4],
        [editionOf(['policy', 'safety']), 3],
      ].sort((a, b) => a[0] - b[0]),
    );
    expect(editions[0]).toMatchObject({ topics: [], name: 'Default edition' });
    const defaultTitles = (r.body.items as Json[]).filter((i) => !i.excluded).map((i) => i.title);
    expect(editions[0].items.map((i: Json) => i.title)).toEqual(defaultTitles);
    const ps = editions.find((e) => e.name === 'Policy + Safety')!;
    const leads = pool.filter((p) => p.lead).map((p) => p.eventId);
    expect(ps.items.slice(0, 3).map((i: Json) => i.eventId)).toEqual(leads);
    const poolIds = new Set(pool.map((p) => p.eventId));
    expect(ps.items.every((i: Json) => poolIds.has(i.eventId))).toBe(true);
    // after the lead: policy or safety stories first
    const fourth = ps.items[3];
    expect(fourth.topics.some((t: string) => t === 'policy' || t === 'safety')).toBe(true);
  });

  it('previews as a reader who follows a topic set, HTML and text, naming the topics; unknown topics are a 422', async () => {
    const plain = await api('GET', `/issues/${id}/preview?format=text`);
    const mine = await api('GET', `/issues/${id}/preview?format=text&topics=policy,safety`);
    expect(plain.status).toBe(200);
    expect(mine.status).toBe(200);
    expect(plain.body).not.toContain('Picked for you');
    expect(mine.body).toContain('Picked for you: Policy, Safety');
    expect(mine.body).not.toEqual(plain.body);
    const html = await api('GET', `/issues/${id}/preview?topics=research&engine=mjml`);
    expect(html.body).toContain('Picked for you:');
    expect(html.body).toContain('Research');
    const bad = await api('GET', `/issues/${id}/preview?topics=policy,astrology`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('astrology');
  });

  it('runs the pre-send checks on every edition', async () => {
    const r = await api('GET', `/issues/${id}/checks`);
    expect(r.status).toBe(200);
    expect(r.body.editions.checked.map((e: Json) => e.name).sort()).toEqual(['Default edition', 'Policy + Safety', 'Research']);
    expect(r.body.editions.ok).toBe(true);
    expect(r.body.editions.largestBytes).toBeGreaterThan(5000);
  });

  it('refuses to send or schedule while one edition fails its checks, naming it; the issue stays a draft', async () => {
    // a pool story only research readers get, given an http:// link
    const r = await api('GET', `/issues/${id}`);
    const research = (r.body.editions as Json[]).find((e) => e.name === 'Research')!;
    const story = (r.body.pool as Json[]).find((p) => !p.inDefault && research.items.some((i: Json) => i.eventId === p.eventId))!;
    const saved = (await site.deps.db.selectFrom('events').select('url').where('id', '=', story.eventId).executeTakeFirstOrThrow()).url;
    await site.deps.db.updateTable('events').set({ url: 'http://insecure.example.com/story' }).where('id', '=', story.eventId).execute();
    try {
      for (const [method, path, body] of [
        ['POST', `/issues/${id}/schedule`, { at: '2026-11-30T09:00:00Z' }],
        ['POST', `/issues/${id}/send`, undefined],
      ] as const) {
        const res = await api(method, path, body);
        expect(res.status, path).toBe(422);
        expect(res.body.error.message).toContain('"Research" edition');
        expect(res.body.error.details).toMatchObject({ name: 'Research', failed: [expect.objectContaining({ id: 'links-absolute' })] });
      }
      expect((await api('GET', `/issues/${id}`)).body.status).toBe('draft');
    } finally {
      await site.deps.db.updateTable('events').set({ url: saved }).where('id', '=', story.eventId).execute();
    }
    const ok = await api('POST', `/issues/${id}/schedule`, { at: '2026-11-30T09:00:00Z' });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('scheduled');
    expect((await api('DELETE', `/issues/${id}/schedule`)).body.status).toBe('draft');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../src/core/issues/iso-week.js';
import { seedDemoEvents } from '../src/demo/seed-demo.js';
import { startEditorSite, type EditorSite } from './helpers/editor-site.js';
import { seedSubscribers } from './helpers/seed.js';

const TOKEN = 'api-token-0123456789abcdef';
let site: EditorSite;
let week: string;
beforeAll(async () => {
  site = await startEditorSite({ now: '2026-11-26T12:00:00.000Z', config: { editorApiToken: TOKEN } });
  await seedDemoEvents(site.deps);
  seedSubscribers(site.deps.testDb.sqlite, 3);
  week = isoWeekOf(site.deps.clock.now(), site.deps.config.tz);
});
afterAll(() => site.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${site.url}/api/editor${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: (type.includes('json') ? await res.json() : await res.text()) as Json & string };
}

describe('/api/editor over HTTP with the bearer token', () => {
  let id: string;

  it('answers 401 with the error shape without a token', async () => {
    const r = await api('POST', '/issues', {}, null);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await api('GET', '/issues', undefined, 'wrong-token-wrong-token')).status).toBe(401);
  });

  it("builds the current week's draft (201), then rebuilds it (200), answering the issue object", async () => {
    const r = await api('POST', '/issues', {});
    expect(r.status).toBe(201);
    id = r.body.id;
    expect(r.body).toMatchObject({ id: week.toLowerCase(), week, slug: week.toLowerCase(), status: 'draft', scheduledAt: null });
    expect(typeof r.body.subject).toBe('string');
    expect(typeof r.body.preheader).toBe('string');
    expect(r.body.items.length).toBeGreaterThan(3);
    expect(r.body.counts).toMatchObject({ total: 0, sent: 0, delivered: 0, bounced: 0, complained: 0, failed: 0 });
    const again = await api('POST', '/issues', { week });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
  });

  it('validates the week and the body', async () => {
    expect((await api('POST', '/issues', { week: '2026-48' })).status).toBe(422);
    expect((await api('POST', '/issues', { week: '2025-W53' })).status).toBe(422);
    const bad = await fetch(`${site.url}/api/editor/issues`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
    expect((await api('GET', '/issues/1999-w01')).body.error.code).toBe('not_found');
  });

  it('reads the issue with items, scores and counts', async () => {
    const r = await api('GET', `/issues/${id}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(expect.arrayContaining(['id', 'week', 'slug', 'status', 'subject', 'preheader', 'scheduledAt', 'items', 'counts']));
    expect(r.body.items[0]).toMatchObject({
      id: expect.any(Number),
      position: 1,
      pinned: false,
      excluded: false,
      scoreBreakdown: expect.objectContaining({ total: expect.any(Number) }),
    });
  });

  it('previews html and text with either engine, and refuses unknown formats', async () => {
    const html = await api('GET', `/issues/${id}/preview?format=html`);
    expect(html.status).toBe(200);
    expect(html.type).toMatch(/text\/html/);
    expect(html.body).toMatch(/<html/i);
    const mjml = await api('GET', `/issues/${id}/preview?engine=mjml`);
    expect(mjml.status).toBe(200);
    expect(mjml.body).not.toBe(html.body);
    const text = await api('GET', `/issues/${id}/preview?format=text`);
    expect(text.type).toMatch(/text\/plain/);
    const issue = (await api('GET', `/issues/${id}`)).body;
    expect(text.body).toContain(issue.items[0].title);
    expect(text.body).toContain('/unsubscribe/preview');
    expect((await api('GET', `/issues/${id}/preview?format=pdf`)).status).toBe(422);
    expect((await api('GET', `/issues/${id}/preview?engine=handlebars`)).status).toBe(422);
  });

  it('edits texts, excludes and reorders items; the preview follows', async () => {
    const before = (await api('GET', `/issues/${id}`)).body;
    const [a, b, c] = before.items;
    let r = await api('PATCH', `/issues/${id}`, { subject: 'Our own subject', intro: 'Hi **there**' });
    expect(r.status).toBe(200);
    expect(r.body.subject).toBe('Our own subject');
    r = await api('PATCH', `/issues/${id}/items/${a.id}`, { excluded: true });
    expect(r.body.items.find((i: Json) => i.id === a.id).excluded).toBe(true);
    r = await api('PUT', `/issues/${id}/order`, { itemIds: [c.id, b.id] });
    expect(
      r.body.items
        .filter((i: Json) => !i.excluded)
        .slice(0, 2)
        .map((i: Json) => i.id),
    ).toEqual([c.id, b.id]);
    const text = (await api('GET', `/issues/${id}/preview?format=text`)).body;
    expect(text).not.toContain(a.title);
    expect(text.indexOf(c.title)).toBeLessThan(text.indexOf(b.title));
    expect((await api('PATCH', `/issues/${id}`, { subject: 'x', bogus: 1 })).status).toBe(422);

    // a rebuild from the latest events keeps every one of those edits
    const rebuilt = await api('POST', '/issues', { week });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.subject).toBe('Our own subject');
    expect(rebuilt.body.items.find((i: Json) => i.id === a.id)?.excluded ?? rebuilt.body.items.find((i: Json) => i.event.id === a.event.id).excluded).toBe(
      true,
    );
    expect(
      rebuilt.body.items
        .filter((i: Json) => !i.excluded)
        .slice(0, 2)
        .map((i: Json) => i.event.id),
    ).toEqual([c.event.id, b.event.id]);
  });

  it('lists and adds events of the week', async () => {
    const events = (await api('GET', `/issues/${id}/events?q=`)).body.events as Json[];
    expect(events.length).toBeGreaterThan(0);
    const issue = (await api('GET', `/issues/${id}`)).body;
    const inIssue = new Set(issue.items.map((i: Json) => i.event.id));
    const outside = events.find((e) => !inIssue.has(e.id));
    expect(outside).toBeDefined();
    const r = await api('POST', `/issues/${id}/items`, { eventId: outside!.id });
    expect(r.body.items.find((i: Json) => i.event.id === outside!.id)).toMatchObject({ pinned: true, addedBy: 'editor' });
  });

  it('runs the pre-send checks', async () => {
    const r = await api('GET', `/issues/${id}/checks`);
    expect(r.status).toBe(200);
    expect(r.body.checks.length).toBeGreaterThan(3);
    expect(r.body.checks.find((k: Json) => k.id === 'unsubscribe-html').ok).toBe(true);
  });

  it('queues a test send through the outbox (never inline) and validates the address', async () => {
    const r = await api('POST', `/issues/${id}/test`, { to: 'Tester@Example.com' });
    expect(r.status).toBe(202);
    const rows = await site.deps.db.selectFrom('deliveries').selectAll().where('kind', '=', 'test').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].to_email).toBe('tester@example.com');
    expect(JSON.parse(rows[0].payload!).subject).toBe('[Test] Our own subject');
    const mail = await site.waitForMail('tester@example.com');
    expect(mail.subject).toBe('[Test] Our own subject');
    expect(JSON.parse(mail.headers)['List-Unsubscribe']).toMatch(/\/unsubscribe\/preview>$/);
    expect((await api('POST', `/issues/${id}/test`, { to: 'not-an-address' })).status).toBe(422);
  });

  it('schedules, refuses the past, and unschedules', async () => {
    const at = '2026-11-30T08:00:00+01:00';
    let r = await api('POST', `/issues/${id}/schedule`, { at });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-30T07:00:00.000Z' });
    expect((await api('POST', `/issues/${id}/schedule`, { at: '2020-01-01T00:00:00Z' })).status).toBe(422);
    expect((await api('POST', `/issues/${id}/schedule`, { at: 'tomorrow' })).status).toBe(422);
    r = await api('DELETE', `/issues/${id}/schedule`);
    expect(r.body).toMatchObject({ status: 'draft', scheduledAt: null });
    expect((await api('DELETE', `/issues/${id}/schedule`)).status).toBe(409);
  });

  it('sends now (202, status sending) and refuses a second send', async () => {
    const r = await api('POST', `/issues/${id}/send`);
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('sending');
    expect((await api('POST', `/issues/${id}/send`)).status).toBe(409);
    await site.flush();
    const done = (await api('GET', `/issues/${id}`)).body;
    expect(done.status).toBe('sent');
    expect(done.counts).toMatchObject({ total: 3, sent: 3, failed: 0 });
  });

  it('records every change in the audit log as the api token', async () => {
    const rows = await site.deps.db.selectFrom('audit_log').select(['actor', 'action']).orderBy('id').execute();
    expect(rows.every((r) => r.actor === 'api-token')).toBe(true);
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'issue.built',
        'issue.rebuilt',
        'issue.texts_edited',
        'issue.item_edited',
        'issue.items_reordered',
        'issue.event_added',
        'issue.test_sent',
        'issue.scheduled',
        'issue.unscheduled',
        'issue.send_started',
      ]),
    );
  });
});

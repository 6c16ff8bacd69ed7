import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getEventByExternalId, countEvents } from '../src/db/repos/events.js';
import { createApp } from '../src/http/app.js';
import { eventInput } from './factories.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';
import { startServer, type TestServer } from './helpers/server.js';

const TOKEN = 'test-api-token-0123456789abcdef';
let deps: TestDeps;
let server: TestServer;

beforeEach(async () => {
  deps = makeDeps({ config: { editorApiToken: TOKEN, bodyLimitBytes: 1_048_576 } });
  server = await startServer(createApp(deps));
});
afterEach(async () => {
  await server.close();
  await deps.cleanup();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('POST /api/events', () => {
  it('stores valid events and upserts by externalId', async () => {
    const a = eventInput({ externalId: 'x-1', title: 'First title', views: 10 });
    const res1 = await post({ events: [a, eventInput({ externalId: 'x-2' })] });
    expect(res1.status).toBe(200);
    expect(await res1.json()).toEqual({ stored: 2, errors: [] });

    const res2 = await post({ events: [{ ...a, title: 'Updated title', views: 99 }] });
    expect(await res2.json()).toEqual({ stored: 1, errors: [] });
    expect(await countEvents(deps.db)).toBe(2);
    const stored = await getEventByExternalId(deps.db, 'x-1');
    expect(stored).toMatchObject({ title: 'Updated title', views: 99, topics: ['models'], keyTakeaways: ['One', 'Two'] });
  });

  it('keeps fields an update leaves out', async () => {
    await post({ events: [eventInput({ externalId: 'keep', whyItMatters: 'Because', shares: 7 })] });
    const { whyItMatters: _w, shares: _s, ...partial } = eventInput({ externalId: 'keep', title: 'New' });
    await post({ events: [partial] });
    expect(await getEventByExternalId(deps.db, 'keep')).toMatchObject({ title: 'New', whyItMatters: 'Because', shares: 7 });
  });

  it('reports bad items with their index and a reason, and stores the valid ones', async () => {
    const res = await post({
      events: [
        eventInput({ externalId: 'ok-1' }),
        { ...eventInput(), url: 'javascript:alert(1)' },
        { ...eventInput(), publishedAt: 'yesterday' },
        { title: 'no id' },
        eventInput({ externalId: 'ok-2' }),
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stored: number; errors: { index: number; message: string }[] };
    expect(body.stored).toBe(2);
    expect(body.errors.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(body.errors[0].message).toMatch(/url/);
    expect(body.errors[1].message).toMatch(/publishedAt/);
    expect(body.errors[2].message).toMatch(/externalId/);
    expect(await countEvents(deps.db)).toBe(2);
  });

  it('rejects a missing or wrong token with 401 and stores nothing', async () => {
    const noAuth = await post({ events: [eventInput()] }, { authorization: '' });
    const wrong = await post({ events: [eventInput()] }, { authorization: 'Bearer wrong-token-wrong-token' });
    expect(noAuth.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(await countEvents(deps.db)).toBe(0);
  });

  it('rejects oversized bodies with 413', async () => {
    const huge = 'x'.repeat(1_100_000);
    const res = await post({ events: [eventInput({ summary: huge })] });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(await countEvents(deps.db)).toBe(0);
  });

  it('rejects more than 500 events per call', async () => {
    const events = Array.from({ length: 501 }, (_, i) => ({
      externalId: `e${i}`,
      title: 't',
      url: 'https://a.example/x',
      sourceName: 's',
      publishedAt: '2026-11-24T00:00:00Z',
    }));
    const res = await post({ events });
    expect(res.status).toBe(413);
    expect(await countEvents(deps.db)).toBe(0);
  });

  it('never answers 5xx to malformed JSON, wrong types or huge strings', async () => {
    const bodies: string[] = [
      '{"events": [',
      'null',
      '[]x',
      '"just a string"',
      '{"events": "nope"}',
      '{"events": [null, 1, "x", [], {}]}',
      JSON.stringify({ events: [{ ...eventInput(), views: 'many', topics: 'models' }] }),
      JSON.stringify({ events: [{ ...eventInput(), title: 'y'.repeat(100_000) }] }),
      JSON.stringify({ events: [{ ...eventInput(), title: 'bad\u0000byte' }] }),
      JSON.stringify({ events: [{ ...eventInput(), externalId: { $gt: '' } }] }),
      JSON.stringify({ events: [{ ...eventInput(), views: 1e300 }] }),
      '{"events": [{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}]}',
    ];
    for (const b of bodies) {
      const res = await post(b);
      expect(res.status, b.slice(0, 60)).toBeGreaterThanOrEqual(200);
      expect(res.status, b.slice(0, 60)).toBeLessThan(500);
      const json = (await res.json()) as Record<string, unknown>;
      expect(json).toBeTypeOf('object');
    }
    const wrongType = await post('{}', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(400);
    expect(await countEvents(deps.db)).toBe(0);
  });
});

describe('errors', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers /health with ok', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(await res.json()).toEqual({ ok: true });
  });
});

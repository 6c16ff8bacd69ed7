// The aggregator's ingest on Workers, and the BUILD_CRON trigger turning this week's events into the draft.
import { describe, expect, it } from 'vitest';
import { fireCron, postJson, request, rows, workerEnv } from './helpers.js';
import { ingestEvents, thisWeek } from './seed.js';

describe('ingest → build draft on Workers', () => {
  it('stores events posted to /api/events and builds the week’s draft when BUILD_CRON fires', async () => {
    const { env: e } = workerEnv();
    const res = await ingestEvents(e, 12);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 12, errors: [] });

    await fireCron(e, e.BUILD_CRON);
    const issues = await rows<{ id: string; week: string; status: string; default_subject: string }>(e, 'SELECT id, week, status, default_subject FROM issues');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ week: thisWeek(), status: 'draft' });
    expect(issues[0].default_subject).toMatch(/^Weekly AI Recap — .+: \w/);
    const items = await rows(e, 'SELECT position FROM issue_items WHERE issue_id = ? AND excluded = 0 ORDER BY position', issues[0].id);
    expect(items).toHaveLength(10); // ISSUE_SIZE
  });

  it('refuses ingest without the bearer token', async () => {
    const { env: e } = workerEnv();
    const res = await postJson(e, '/api/events', { events: [] });
    expect(res.status).toBe(401);
  });

  it('answers /health through the same Hono app', async () => {
    const { env: e } = workerEnv();
    const res = await request(e, '/health');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers 503 with a JSON error, and logs every bad variable, when the Worker is misconfigured', async () => {
    const { env: e } = workerEnv({ APP_SECRET: '', PUBLIC_URL: 'not a url' });
    const logged: unknown[][] = [];
    const trap = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const res = await request(e, '/health');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: { code: 'misconfigured', message: 'the service is not configured; see the Worker logs' } });
    } finally {
      console.error = trap;
    }
    expect(String(logged[0])).toMatch(/PUBLIC_URL/);
  });
});

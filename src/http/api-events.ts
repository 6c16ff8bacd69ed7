// POST /api/events: the aggregator's ingest endpoint.
import { Hono } from 'hono';
import type { Deps } from '../core/deps.js';
import { ingestEvents } from '../core/events/ingest-events.js';
import { requireApiToken } from './auth.js';
import { readJson } from './errors.js';

export function eventsApi(deps: Deps) {
  const app = new Hono();
  app.use('*', requireApiToken(deps));
  app.post('/', async (c) => {
    const result = await ingestEvents(deps, await readJson(c));
    return c.json(result, result.stored === 0 && result.errors.length > 0 ? 422 : 200);
  });
  return app;
}

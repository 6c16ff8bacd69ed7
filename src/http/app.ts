// createApp(deps): the whole HTTP surface, composed from one sub-app per area; runtime-agnostic.
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { bodyLimit } from './public/request.js'; // Hono's, without turning every request into a stream on Node
import type { Deps } from '../core/deps.js';
import { AppError } from '../core/errors.js';
import { eventsApi } from './api-events.js';
import { errorBody, toErrorResponse } from './errors.js';
import { webhooksApp } from './webhooks.js';
import { opsRoutes, type MetricsExposition, type ReadinessSources } from './ops-routes.js';
import { measureRequest } from './request-metrics.js';
import { assetRoutes } from './assets/asset-routes.js';
import { editorApi } from './api-editor.js';
import { editorApp } from './editor/index.js';
import { publicApp } from './public/index.js';

export interface AppOptions {
  /** Reports readiness for /health (true once migrations ran). */
  ready?: () => boolean;
  /** What GET /metrics serves (prom-client on Node); absent (Workers) it answers 501. */
  metrics?: MetricsExposition;
  /** What GET /health/ready compares: the migrations the code ships, the in-process scheduler. */
  readiness?: ReadinessSources;
}

export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new Hono();
  const ready = options.ready ?? (() => true);

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // Browsers that once reached an https deployment never try plain http on it again.
    if (deps.config.publicUrl.startsWith('https://')) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const elapsed = performance.now() - started;
    const ms = Math.round(elapsed * 10) / 10;
    measureRequest(deps.metrics, c, elapsed / 1000);
    // The route pattern (/unsubscribe/:token), never the path: personal links carry their token in it. Probes and
    // scrapes that went well are not worth a line each.
    // Story-link redirects come by the thousand after a send; a line each would cost more than the redirect.
    const quiet =
      c.req.path === '/health' ||
      c.req.path === '/health/ready' ||
      (c.req.path === '/metrics' && c.res.status === 200) ||
      (c.res.status === 302 && c.req.path.startsWith('/r/'));
    if (!quiet) deps.log.info(`${c.req.method} ${routePath(c)} ${c.res.status} ${ms}ms`, { ms });
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: deps.config.bodyLimitBytes,
      onError: (c) => c.json(errorBody('payload_too_large', `body larger than ${deps.config.bodyLimitBytes} bytes`), 413),
    }),
  );

  app.get('/health', (c) => (ready() ? c.json({ ok: true }) : c.json({ ok: false }, 503)));
  app.route('/', opsRoutes(deps, { metrics: options.metrics, readiness: options.readiness }));

  app.route('/', assetRoutes());
  app.route('/api/events', eventsApi(deps));
  app.route('/webhooks', webhooksApp(deps));
  app.route('/api/editor', editorApi(deps));
  app.route('/editor', editorApp(deps));
  app.route('/', publicApp(deps));

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => toErrorResponse(err, c, deps.log));
  return app;
}

export type App = ReturnType<typeof createApp>;
export { AppError };

// HTTP request counts and latency for the Metrics port, labelled by method, route pattern and status class only.
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from '../core/metrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The pattern of the handler that answered (`/confirm/:token`), never the path: personal links carry their token in
 * it. A 404 that no route answered reports the wildcard middleware it passed through; it is named `(unmatched)`, so
 * the label set stays the app's own routes whatever clients ask for.
 */
export function routeLabel(c: Context): string {
  const route = routePath(c);
  if (!route || (c.res.status === 404 && route.endsWith('*'))) return '(unmatched)';
  return route;
}

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

export function measureRequest(metrics: Metrics | undefined, c: Context, seconds: number): void {
  if (!metrics) return;
  const labels = { method: METHODS.has(c.req.method) ? c.req.method : 'other', route: routeLabel(c), status_class: statusClass(c.res.status) };
  metrics.count('http_requests_total', labels);
  metrics.observe('http_request_duration_seconds', seconds, labels);
}

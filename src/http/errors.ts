// One place that turns errors into `{ error: { code, message } }` responses; never leaks internals.
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { Logger } from '../core/deps.js';
import { AppError } from '../core/errors.js';
import { describeIssues } from '../core/events/ingest-events.js';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function toErrorResponse(err: unknown, c: Context, log: Logger): Response {
  if (err instanceof AppError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
  }
  if (err instanceof ZodError) {
    return c.json(errorBody('validation_failed', describeIssues(err), err.issues), 422);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : status < 500 ? 'bad_request' : 'internal';
    return c.json(errorBody(code, err.message || 'request failed'), status as ContentfulStatusCode);
  }
  // The route pattern, not the path (it may carry a token); the logger scrubs the stack of tokens and addresses.
  log.error('unhandled error', { route: `${c.req.method} ${routePath(c)}`, err: err instanceof Error ? err.stack : String(err) });
  return c.json(errorBody('internal', 'internal error'), 500);
}

/** Reads a JSON body, answering 400 (not 500) for malformed JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('bad_request', 'content-type must be application/json');
  }
  try {
    return await c.req.json();
  } catch (e) {
    if (e instanceof HTTPException) throw e; // e.g. body limit
    throw new AppError('bad_request', 'body is not valid JSON');
  }
}

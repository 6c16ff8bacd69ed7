// Small request readers shared by the public routes: who is asking, and form bodies that never throw.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import type { Config } from '../../config.js';
import type { RequestContext } from '../../core/subscribers/request-context.js';
import { errorBody } from '../errors.js';
import { clientAddress } from '../client-address.js';

/** Signup, unsubscribe and preference bodies are tiny; anything bigger is refused before it is read. */
export const SMALL_BODY_BYTES = 16 * 1024;

/**
 * Hono's bodyLimit with the same options, minus its cost on Node: it reads `raw.body` first, which turns
 * @hono/node-server's lightweight request into a full web Request with a stream (about half a
 * millisecond per POST here). A declared length is checked from the header; only chunked bodies are
 * counted as they stream.
 */
export function bodyLimit(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const streaming = honoBodyLimit(options);
  return (c, next) => {
    const length = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    // On Node's HTTP/1.1 server no length and no chunking means no body; elsewhere (Workers) let Hono look.
    if (!chunked && length === undefined && onNode(c)) return next();
    if (!chunked && /^\d+$/.test(length!)) return Number(length) > options.maxSize ? Promise.resolve(options.onError(c)) : next();
    return streaming(c, next);
  };
}

function onNode(c: Context): boolean {
  const env = c.env as { incoming?: unknown; server?: { incoming?: unknown } } | undefined;
  return !!(env?.incoming ?? env?.server?.incoming);
}

export function smallBody(maxSize = SMALL_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: (c) => c.json(errorBody('payload_too_large', `body larger than ${maxSize} bytes`), 413) });
}

export function requestContext(c: Context, config: Pick<Config, 'trustProxy'>): RequestContext {
  return { ip: clientAddress(c, config.trustProxy), userAgent: c.req.header('user-agent') ?? null };
}

export type FormBody = Record<string, string | string[]>;

/**
 * urlencoded or multipart bodies as strings; null when the body cannot be parsed. Uploaded files are
 * dropped: no form here has a file field.
 */
export async function readForm(c: Context): Promise<FormBody | null> {
  try {
    const raw = await c.req.parseBody({ all: true });
    const out: FormBody = {};
    for (const [k, v] of Object.entries(raw)) {
      const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
      if (values.length === 1) out[k] = values[0];
      else if (values.length > 1) out[k] = values;
    }
    return out;
  } catch {
    return null;
  }
}

export function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function allValues(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

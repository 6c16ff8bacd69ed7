// Bearer-token access for automation (`EDITOR_API_TOKEN`), compared in constant time.
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../core/deps.js';
import { AppError } from '../core/errors.js';

export function timingSafeEqualStr(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) diff |= (ea[i % ea.length] ?? 0) ^ (eb[i % eb.length] ?? 0);
  return diff === 0 && ea.length > 0;
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

export function hasApiToken(deps: Deps, authorization: string | undefined): boolean {
  const expected = deps.config.editorApiToken;
  const given = bearerToken(authorization);
  return !!expected && !!given && timingSafeEqualStr(given, expected);
}

/** Requires the API token; the editor session alternative is layered on by the editor area. */
export function requireApiToken(deps: Deps): MiddlewareHandler {
  return async (c, next) => {
    if (!hasApiToken(deps, c.req.header('authorization'))) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthorized', deps.config.editorApiToken ? 'missing or invalid bearer token' : 'token access is off (EDITOR_API_TOKEN unset)');
    }
    await next();
  };
}

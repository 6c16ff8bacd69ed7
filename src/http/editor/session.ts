// Editor session cookie, sign-in gate and CSRF checks shared by the editor pages and the editor JSON API.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../../core/deps.js';
import { resolveSession, SESSION_TTL_MS, type EditorSession } from '../../core/editors/editor-auth.js';
import { AppError } from '../../core/errors.js';
import { keyedHash, randomToken } from '../../core/tokens.js';
import { hasApiToken, timingSafeEqualStr } from '../auth.js';
import { CSRF_FIELD } from '../csrf-field.js';
import { isSameOrigin } from '../public/csrf.js';

export interface EditorVars {
  session: EditorSession | null;
  sessionId: string | null;
  /** The signed-in editor's address, or 'api-token' for bearer automation. */
  actor: string;
  nonce: string;
}

export type EditorEnv = { Variables: EditorVars };

export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isSecure(deps: Deps): boolean {
  return deps.config.publicUrl.startsWith('https://');
}

/** `__Host-` pins the cookie to this exact host and path `/` (only allowed, and only used, with Secure). */
export function sessionCookieName(deps: Deps): string {
  return isSecure(deps) ? '__Host-wr_editor' : 'wr_editor';
}

export function setSessionCookie(c: Context, deps: Deps, sessionId: string): void {
  setCookie(c, sessionCookieName(deps), sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecure(deps),
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: Context, deps: Deps): void {
  deleteCookie(c, sessionCookieName(deps), { path: '/', secure: isSecure(deps) });
}

/** Reads the cookie once per request; never fails (anonymous requests get session null). */
export function loadSession(deps: Deps): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    const sessionId = getCookie(c, sessionCookieName(deps)) ?? null;
    const session = await resolveSession(deps, sessionId ?? undefined);
    c.set('session', session);
    c.set('sessionId', session ? sessionId : null);
    c.set('actor', session?.editor.email ?? 'anonymous');
    c.set('nonce', randomToken(16));
    await next();
  };
}

/** Pages: anonymous visitors are sent to the sign-in page, keeping where they wanted to go. */
export function requireEditorPage(): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    if (!c.get('session')) {
      const url = new URL(c.req.url);
      const nextPath = c.req.method === 'GET' ? url.pathname + url.search : '/editor';
      return c.redirect(`/editor/signin?next=${encodeURIComponent(nextPath)}`, 303);
    }
    await next();
  };
}

/** API: a session cookie (plus the CSRF header on writes) or the EDITOR_API_TOKEN bearer; else 401 JSON. */
export function requireEditorApi(deps: Deps): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    if (hasApiToken(deps, c.req.header('authorization'))) {
      c.set('actor', 'api-token');
      return next();
    }
    const session = c.get('session');
    if (!session) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthorized', 'sign in as an editor or send the EDITOR_API_TOKEN bearer');
    }
    if (UNSAFE.has(c.req.method) && !isSameOrigin(c, deps.config.publicUrl)) throw new AppError('forbidden', CROSS_SITE_MESSAGE);
    if (UNSAFE.has(c.req.method) && !timingSafeEqualStr(c.req.header(CSRF_HEADER) ?? '', session.csrfToken)) {
      throw new AppError('forbidden', `missing or wrong ${CSRF_HEADER} header`);
    }
    await next();
  };
}

const CROSS_SITE_MESSAGE = 'This request came from another site, so it was refused. Open the editor workspace itself and try again there.';

/**
 * Writes the browser says came from another site (`Origin`, or `Sec-Fetch-Site` when there is no Origin) are
 * refused before anything else, sign-in forms included: the CSRF token stops forged forms, this also stops a
 * page that got hold of a token. Requests that state neither (curl, scripts) still rely on the token alone.
 */
export function refuseCrossSite(deps: Deps): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method) || isSameOrigin(c, deps.config.publicUrl)) return next();
    if (/json/i.test(c.req.header('content-type') ?? '')) return c.json({ error: { code: 'forbidden', message: CROSS_SITE_MESSAGE } }, 403);
    return refusedPage(c, CROSS_SITE_MESSAGE);
  };
}

/** Form posts carry the session's token in the CSRF field (or the header, for fetch); anything else is refused. */
export function requireCsrf(): MiddlewareHandler<EditorEnv> {
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method)) return next();
    const session = c.get('session');
    if (!session) throw new AppError('unauthorized', 'not signed in');
    const given = c.req.header(CSRF_HEADER) ?? (await formField(c, CSRF_FIELD));
    if (!given || !timingSafeEqualStr(given, session.csrfToken)) return csrfRefused(c);
    await next();
  };
}

export function csrfRefused(c: Context) {
  return refusedPage(c, 'This form was not sent from your editor session (missing or expired security token). Go back, reload the page and try again.');
}

function refusedPage(c: Context, why: string) {
  return c.html(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Request refused</title><body style="font-family:system-ui;padding:3rem"><h1>Request refused</h1><p>${why}</p><p><a href="/editor">Back to the workspace</a></p></body></html>`,
    403,
  );
}

/** Reads one field of a urlencoded or multipart body; Hono caches the parse for the handler. */
export async function formField(c: Context, name: string): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) return undefined;
  try {
    const body = await c.req.parseBody();
    const v = body[name];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

// Before sign-in there is no session to bind a token to: a random cookie and its keyed hash in the form
// (double submit) stop other sites from posting the sign-in forms on a visitor's behalf.
const PRE_COOKIE = 'wr_presession';

export async function preSessionToken(c: Context, deps: Deps): Promise<string> {
  let value = getCookie(c, PRE_COOKIE);
  if (!value || value.length > 100) {
    value = randomToken(18);
    setCookie(c, PRE_COOKIE, value, { path: '/editor/signin', httpOnly: true, sameSite: 'Lax', secure: isSecure(deps), maxAge: 3600 });
  }
  return keyedHash(deps.config.appSecret, `presession:${value}`);
}

export async function checkPreSessionToken(c: Context, deps: Deps): Promise<boolean> {
  const value = getCookie(c, PRE_COOKIE);
  const given = await formField(c, CSRF_FIELD);
  if (!value || !given) return false;
  return timingSafeEqualStr(given, await keyedHash(deps.config.appSecret, `presession:${value}`));
}

/** Where the sign-in should land: only paths inside the workspace, never another origin. */
export function safeNext(next: string | undefined | null): string {
  if (!next || !/^\/editor(\/|$|\?)/.test(next) || next.startsWith('//') || /[\\\r\n]/.test(next)) return '/editor';
  return next.startsWith('/editor/signin') ? '/editor' : next;
}

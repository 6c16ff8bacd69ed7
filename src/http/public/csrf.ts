// CSRF for the public pages' forms: a signed double-submit token (cookie nonce + HMAC of it in the form),
// plus an Origin check. Stateless, so it works the same on Node and Workers.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { keyedHash, randomToken } from '../../core/tokens.js';
import { timingSafeEqualStr } from '../auth.js';

export const CSRF_COOKIE = 'wr_csrf';

/** The token for this visitor's forms; sets the cookie when it is missing or malformed. */
export async function csrfToken(c: Context, secret: string, publicUrl: string): Promise<string> {
  let nonce = getCookie(c, CSRF_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
    nonce = randomToken(18);
    setCookie(c, CSRF_COOKIE, nonce, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: publicUrl.startsWith('https://'),
      maxAge: 7 * 24 * 3600,
    });
  }
  return `${nonce}.${await sign(secret, nonce)}`;
}

export type CsrfCheck = { ok: true } | { ok: false; reason: 'cross_origin' | 'missing' | 'mismatch' };

/** Cookie and field must carry the same nonce, the field must be signed by us, and the Origin (if sent) must be ours. */
export async function checkCsrf(c: Context, secret: string, publicUrl: string, field: unknown): Promise<CsrfCheck> {
  if (!isSameOrigin(c, publicUrl)) return { ok: false, reason: 'cross_origin' };
  const cookie = getCookie(c, CSRF_COOKIE);
  if (typeof field !== 'string' || !cookie || field.length > 200) return { ok: false, reason: 'missing' };
  const [nonce, sig, extra] = field.split('.');
  if (!nonce || !sig || extra !== undefined || !timingSafeEqualStr(nonce, cookie)) return { ok: false, reason: 'mismatch' };
  return timingSafeEqualStr(sig, await sign(secret, nonce)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

function sign(secret: string, nonce: string): Promise<string> {
  return keyedHash(secret, `csrf:${nonce}`);
}

/** Origin of the request as the browser reports it; absent for same-origin GETs and non-browser clients. */
export function requestOrigin(c: Context): string | null {
  const o = c.req.header('origin');
  return o && o !== 'null' ? o : o === 'null' ? 'null' : null;
}

/**
 * False only when the browser says the request came from another site: `Sec-Fetch-Site` when sent
 * (it is, by every current browser), else the Origin header. Pages that send no referrer make the
 * browser post `Origin: null`, so that value alone proves nothing either way.
 */
export function isSameOrigin(c: Context, publicUrl: string): boolean {
  const fetchSite = c.req.header('sec-fetch-site');
  const origin = requestOrigin(c);
  if (origin !== null && origin !== 'null') return origin === originOf(publicUrl) || origin === originOf(c.req.url);
  if (fetchSite) return fetchSite === 'same-origin';
  return true;
}

export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

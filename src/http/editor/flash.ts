// One-shot messages across a post/redirect/get ("Saved", "the time is in the past"), kept in a short-lived cookie.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export interface Flash {
  kind: 'ok' | 'error' | 'info';
  message: string;
}

const NAME = 'wr_flash';

export function setFlash(c: Context, kind: Flash['kind'], message: string): void {
  const value = encodeURIComponent(JSON.stringify({ kind, message: message.slice(0, 500) }));
  setCookie(c, NAME, value, { path: '/editor', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
}

export function takeFlash(c: Context): Flash | null {
  const raw = getCookie(c, NAME);
  if (!raw) return null;
  deleteCookie(c, NAME, { path: '/editor' });
  try {
    const v = JSON.parse(decodeURIComponent(raw)) as Flash;
    if ((v.kind === 'ok' || v.kind === 'error' || v.kind === 'info') && typeof v.message === 'string') return v;
  } catch {
    // a mangled cookie is just dropped
  }
  return null;
}

/** Post/redirect/get with a message. */
export function redirectWith(c: Context, to: string, kind: Flash['kind'], message: string) {
  setFlash(c, kind, message);
  return c.redirect(to, 303);
}

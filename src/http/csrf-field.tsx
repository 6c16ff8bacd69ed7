/** @jsxImportSource hono/jsx */
// The one form field every CSRF token travels in, public pages and editor workspace alike, and the input that carries it.
// The tokens differ (public: signed double-submit cookie, public/csrf.ts; editor: the session's token or the pre-session
// token, editor/session.ts); the field does not. It was `_csrf` on editor forms until issue 14.

export const CSRF_FIELD = 'csrf';

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

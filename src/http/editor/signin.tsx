/** @jsxImportSource hono/jsx */
// Sign-in by magic link: request form, "check your inbox", the link's landing page (a button, so scanners cannot spend it), sign-out.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../core/deps.js';
import { countActiveEditors } from '../../db/repos/editors.js';
import { completeSignIn, isSignInLinkUsable, requestSignIn, signOut } from '../../core/editors/editor-auth.js';
import { normalizeEmail } from '../../shared/email-normal-form.js';
import { redirectWith } from './flash.js';
import { CsrfField } from '../csrf-field.js';
import { renderAuthPage } from './layout.js';
import { clientAddress, clientLimitKey } from '../client-address.js';
import { createEditorLimiter } from './editor-limiter.js';
import {
  checkPreSessionToken,
  clearSessionCookie,
  csrfRefused,
  formField,
  preSessionToken,
  requireCsrf,
  requireEditorPage,
  safeNext,
  setSessionCookie,
  type EditorEnv,
} from './session.js';

const WINDOW_MS = 15 * 60_000;

export function signinRoutes(deps: Deps) {
  const app = new Hono<EditorEnv>();
  const now = () => deps.clock.now().getTime();
  const perAddress = createEditorLimiter(5, WINDOW_MS, now);
  const perClient = createEditorLimiter(20, WINDOW_MS, now);

  app.get('/signin', async (c) => {
    if (c.get('session')) return c.redirect(safeNext(c.req.query('next')), 303);
    const token = await preSessionToken(c, deps);
    const next = safeNext(c.req.query('next'));
    const noEditors = (await countActiveEditors(deps.db)) === 0;
    return renderAuthPage(
      c,
      'Sign in',
      <>
        <h1>Sign in</h1>
        <p class="muted">We will email you a sign-in link. No password needed.</p>
        <form method="post" action="/editor/signin">
          <CsrfField token={token} />
          {next !== '/editor' ? <input type="hidden" name="next" value={next} /> : null}
          <div class="field">
            <label for="email">Work email</label>
            <input id="email" type="email" name="email" required autocomplete="email" autofocus placeholder="you@example.com" />
          </div>
          <button class="btn primary" type="submit">
            Email me a sign-in link
          </button>
        </form>
        {noEditors ? (
          <p class="note">
            There are no editor accounts yet. Start the server with <code>EDITOR_EMAILS=you@example.com</code> to create one.
          </p>
        ) : null}
        {!deps.config.resendApiKey ? (
          <p class="note">No mail provider is configured (RESEND_API_KEY unset): the link is printed in the server console and kept in the dev mailbox.</p>
        ) : null}
      </>,
    );
  });

  app.post('/signin', async (c) => {
    if (!(await checkPreSessionToken(c, deps))) return csrfRefused(c);
    const parsed = z
      .email()
      .max(254)
      .safeParse(normalizeEmail((await formField(c, 'email')) ?? ''));
    if (!parsed.success) return redirectWith(c, '/editor/signin', 'error', 'Enter a valid email address.');
    // Both limits apply to every address, editor or not, so a refusal reveals nothing either.
    const wait = Math.max(perClient.hit(clientLimitKey(clientAddress(c, deps.config.trustProxy))), perAddress.hit(parsed.data));
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return renderAuthPage(
        c,
        'Too many requests',
        <>
          <h1>Slow down a little</h1>
          <p>Too many sign-in links were requested. Try again in {Math.ceil(wait / 60_000)} minute(s).</p>
          <a class="btn" href="/editor/signin">
            Back
          </a>
        </>,
        429,
      );
    }
    await requestSignIn(deps, parsed.data, { next: safeNext(await formField(c, 'next')) });
    return c.redirect('/editor/signin/sent', 303);
  });

  app.get('/signin/sent', (c) =>
    renderAuthPage(
      c,
      'Check your inbox',
      <>
        <h1>Check your inbox</h1>
        <p>If that address belongs to an editor, a sign-in link is on its way. It works once and expires in 15 minutes.</p>
        <p class="muted small">
          Nothing arrived? Check spam, or <a href="/editor/signin">request another link</a>.
        </p>
      </>,
    ),
  );

  app.get('/signin/verify', async (c) => {
    const token = c.req.query('token') ?? '';
    c.header('Referrer-Policy', 'no-referrer');
    if (!(await isSignInLinkUsable(deps, token))) {
      return renderAuthPage(
        c,
        'Link expired',
        <>
          <h1>This link no longer works</h1>
          <p>Sign-in links work once and expire after 15 minutes.</p>
          <a class="btn primary" href="/editor/signin">
            Email me a new link
          </a>
        </>,
        410,
      );
    }
    const csrf = await preSessionToken(c, deps);
    return renderAuthPage(
      c,
      'Finish signing in',
      <>
        <h1>Finish signing in</h1>
        <p class="muted">Continue to open the editor workspace in this browser.</p>
        <form method="post" action="/editor/signin/verify">
          <CsrfField token={csrf} />
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="next" value={safeNext(c.req.query('next'))} />
          <button class="btn primary" type="submit">
            Continue to the workspace
          </button>
        </form>
      </>,
    );
  });

  app.post('/signin/verify', async (c) => {
    if (!(await checkPreSessionToken(c, deps))) return csrfRefused(c);
    const token = (await formField(c, 'token')) ?? '';
    const r = await completeSignIn(deps, token, { previousSessionId: c.get('sessionId'), userAgent: c.req.header('user-agent') });
    if (!r.ok) return redirectWith(c, '/editor/signin', 'error', 'That sign-in link has expired or was already used. Request a new one.');
    setSessionCookie(c, deps, r.sessionId);
    return redirectWith(c, safeNext(await formField(c, 'next')), 'ok', `Signed in as ${r.session.editor.email}.`);
  });

  app.post('/signout', requireEditorPage(), requireCsrf(), async (c) => {
    await signOut(deps, c.get('sessionId') ?? undefined, c.get('session')?.editor.email);
    clearSessionCookie(c, deps);
    return redirectWith(c, '/editor/signin', 'info', 'You are signed out.');
  });

  return app;
}

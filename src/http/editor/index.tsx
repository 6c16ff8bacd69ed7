/** @jsxImportSource hono/jsx */
// The editors' web workspace at /editor: sign-in first, then every page behind the session gate and every form behind CSRF.
import { Hono, type Context } from 'hono';
import { routePath } from 'hono/route';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { auditRoutes } from './audit-page.js';
import { editorAccountRoutes } from './editors-page.js';
import { dashboardHandler } from './dashboard.js';
import { redirectWith } from './flash.js';
import { issueRoutes } from './issue-routes.js';
import { renderAuthPage, renderPage } from './layout.js';
import { mailboxRoutes } from './mailbox-pages.js';
import { loadSession, refuseCrossSite, requireCsrf, requireEditorPage, type EditorEnv } from './session.js';
import { signinRoutes } from './signin.js';
import { subscriberDetailRoutes } from './subscriber-detail.js';
import { subscriberRoutes } from './subscribers.js';

export function editorApp(deps: Deps) {
  const app = new Hono<EditorEnv>();
  app.use('*', refuseCrossSite(deps), loadSession(deps));
  // Registered before the gate: these answer anonymous visitors and end the chain themselves.
  app.route('/', signinRoutes(deps));
  app.use('*', requireEditorPage(), requireCsrf());
  app.get('/', dashboardHandler(deps));
  app.route('/', issueRoutes(deps));
  app.route('/', subscriberRoutes(deps));
  app.route('/', subscriberDetailRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', editorAccountRoutes(deps));
  app.route('/', mailboxRoutes(deps));
  app.all('*', () => {
    throw new AppError('not_found', 'There is no page at this address.');
  });
  app.onError((err, c) => editorError(err, c as Context<EditorEnv>, deps));
  return app;
}

function messageOf(err: unknown): { status: number; message: string } {
  if (err instanceof AppError) return { status: err.status, message: err.message };
  if (err instanceof ZodError) return { status: 422, message: err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
  if (err instanceof HTTPException) return { status: err.status, message: err.message || 'Request refused.' };
  return { status: 500, message: 'Something went wrong on our side. The error was logged.' };
}

/** Form posts go back where they came from with the reason; pages show it. Internals never reach the browser. */
function editorError(err: unknown, c: Context<EditorEnv>, deps: Deps) {
  const { status, message } = messageOf(err);
  if (status >= 500) deps.log.error('editor page failed', { route: `${c.req.method} ${routePath(c)}`, err: err instanceof Error ? err.stack : String(err) });
  if (err instanceof HTTPException && status === 413) return c.text('The upload is too large.', 413);
  const session = c.get('session');
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && session) {
    if (/json/i.test(c.req.header('content-type') ?? ''))
      return c.json({ error: { code: err instanceof AppError ? err.code : 'error', message } }, status as 400);
    return redirectWith(c, sameOriginReferer(c) ?? '/editor', 'error', message);
  }
  const title = status === 404 ? 'Not found' : status === 409 ? 'Not possible right now' : 'Something went wrong';
  const body = (
    <section class="card" style="max-width:640px">
      <p>{message}</p>
      <a class="btn" href="/editor">
        Back to the dashboard
      </a>
    </section>
  );
  if (session) return renderPage(c, deps, { title, status }, body);
  return renderAuthPage(
    c,
    title,
    <>
      <h1>{title}</h1>
      <p>{message}</p>
    </>,
    status,
  );
}

function sameOriginReferer(c: Context): string | null {
  const ref = c.req.header('referer');
  if (!ref) return null;
  try {
    const u = new URL(ref);
    return u.host === new URL(c.req.url).host && u.pathname.startsWith('/editor') ? u.pathname + u.search : null;
  } catch {
    return null;
  }
}

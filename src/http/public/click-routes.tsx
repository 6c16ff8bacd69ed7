/** @jsxImportSource hono/jsx */
// GET /r/:token: a story link of a sent recap. A 302 to that issue's own frozen link, the click counted on the way;
// anything we did not sign gets a page saying so, never a redirect.
import { Hono } from 'hono';
import type { Deps } from '../../core/deps.js';
import { followClick } from '../../core/issues/follow-click.js';
import { sendPage } from './layout.js';
import { MessagePage } from './subscriber-pages.js';

export function clickRoutes(deps: Deps) {
  const app = new Hono();
  // Hono answers HEAD with the GET handler (body dropped); HEAD is what many link scanners send.
  app.get('/r/:token', async (c) => {
    const r = await followClick(deps, { token: c.req.param('token'), method: c.req.method, userAgent: c.req.header('user-agent') });
    if (!r.ok) {
      return sendPage(
        c,
        <MessagePage title="This link does not lead anywhere" postalAddress={deps.config.postalAddress}>
          <p>
            The link is incomplete or was changed. Open the story from the mail again, or read the issue in the <a href="/archive">archive</a>.
          </p>
        </MessagePage>,
        { status: 404, personal: true },
      );
    }
    // The token (a reader's, in reader mode) must not travel on to the story's site as a Referer.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex, nofollow');
    return c.redirect(r.location, 302);
  });
  return app;
}

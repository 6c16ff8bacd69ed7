/** @jsxImportSource hono/jsx */
// GET /archive, /archive/:slug[?edition=N] (the mail's web version, a reader's edition, neutral links) and /feed.xml (Atom).
import { Hono } from 'hono';
import type { Deps } from '../../core/deps.js';
import { archivedIssueVersion, listArchive, readArchivedIssue } from '../../core/subscribers/archive.js';
import { ArchiveIndexPage, MoreFromTheWeek, WebVersionBar } from './archive-pages.js';
import { buildAtomFeed } from './feed.js';
import { sendPage, securityHeaders } from './layout.js';
import { MessagePage } from './subscriber-pages.js';

// The web version is the mail itself: its styles are inline, and it runs no script at all.
const WEB_VERSION_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const CACHE_MAX = 32;

/** `?edition=N` from "view in browser": a topic mask 0..254; anything else is the default edition, never an error. */
export function editionParam(raw: string | undefined): number {
  if (!raw || !/^\d{1,3}$/.test(raw)) return 0;
  const n = Number(raw);
  return n <= 254 ? n : 0;
}

export function archiveRoutes(deps: Deps) {
  const app = new Hono();
  const postal = deps.config.postalAddress;
  const pages = new Map<string, string>(); // version → page; an issue's stored row changes its version

  app.get('/archive', async (c) => sendPage(c, <ArchiveIndexPage entries={await listArchive(deps)} postalAddress={postal} />));

  app.get('/archive/:slug', async (c) => {
    const slug = c.req.param('slug');
    const edition = editionParam(c.req.query('edition'));
    const version = slug.length <= 100 ? await archivedIssueVersion(deps, slug) : null;
    const cached = version ? pages.get(`${version}:${edition}`) : undefined;
    const issue = version && !cached ? await readArchivedIssue(deps, slug, edition) : null;
    if (!version || (!cached && !issue)) {
      return sendPage(
        c,
        <MessagePage title="No such issue" postalAddress={postal}>
          <p>
            There is no published issue at this address. <a href="/archive">See all issues</a>.
          </p>
        </MessagePage>,
        { status: 404 },
      );
    }
    let page = cached;
    if (!page && issue) {
      const key = `${issue.version}:${issue.edition}`;
      const bar = await (<WebVersionBar entry={issue.entry} />).toString();
      const more = await (<MoreFromTheWeek groups={issue.more} />).toString();
      page = withMore(withBar(issue.html, bar), more);
      if (pages.size >= CACHE_MAX) pages.delete(pages.keys().next().value!);
      pages.set(key, page);
    }
    securityHeaders(c, false);
    c.header('Content-Security-Policy', WEB_VERSION_CSP);
    return c.html(page!);
  });

  app.get('/feed.xml', async (c) => {
    const entries = await listArchive(deps, 50);
    const xml = buildAtomFeed(entries, { publicUrl: deps.config.publicUrl, title: 'Weekly AI Recap', fallbackUpdated: new Date(0).toISOString() });
    securityHeaders(c, false);
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });

  return app;
}

// Mail clients get the mail's own muted grey; on the web it must meet WCAG AA (4.5:1) on the page colour.
// TODO(mail theme): drop once emails/components/theme.ts darkens colors.muted (#6b6f78 is 4.4:1 on #f2efe9).
const WEB_ONLY_CSS = '<style>@media (prefers-color-scheme:light){.wr-muted{color:#595d66!important}}</style>';

function withBar(html: string, bar: string): string {
  const head = /<\/head>/i.exec(html);
  const withCss = head ? html.slice(0, head.index) + WEB_ONLY_CSS + html.slice(head.index) : html;
  const m = /<body[^>]*>/i.exec(withCss);
  return m ? withCss.slice(0, m.index + m[0].length) + bar + withCss.slice(m.index + m[0].length) : bar + withCss;
}

function withMore(html: string, more: string): string {
  const end = /<\/body>/i.exec(html);
  return end ? html.slice(0, end.index) + more + html.slice(end.index) : html + more;
}

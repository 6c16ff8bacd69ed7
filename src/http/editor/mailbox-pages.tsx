/** @jsxImportSource hono/jsx */
// The dev mailbox: mail kept locally when no provider is configured, listed and opened (HTML in a sandbox, text, headers).
// (Not the delivery outbox, the queue every mail leaves through; this page was /editor/outbox until issue 14.)
import { Hono, type MiddlewareHandler } from 'hono';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { countMailbox, getMailboxMessage, listMailbox } from '../../db/repos/dev-mailbox.js';
import { fmtDateTime, fmtNum, relativeTime } from './format.js';
import { Empty, renderPage } from './layout.js';
import { FilterForm, ListTable, Pager } from './list-parts.js';
import { rawMailResponse } from './issue-preview-page.js';
import type { EditorEnv } from './session.js';

const PAGE = 50;

export function mailboxRoutes(deps: Deps) {
  const app = new Hono<EditorEnv>();
  const tz = deps.config.tz;

  // Old links and bookmarks: /editor/outbox… answers with the same sub-path and query under /editor/mailbox.
  // Nothing is read here, so anyone signed in may follow it; the new path does the admin check. ('/outbox/*' covers '/outbox'.)
  app.get('/outbox/*', (c) => {
    const url = new URL(c.req.url);
    return c.redirect(`${url.pathname.replace(/^\/editor\/outbox/, '/editor/mailbox')}${url.search}`, 308);
  });

  // Sign-in links land here too: an editor who could read them could sign in as an admin. ('/mailbox/*' covers '/mailbox'.)
  app.use('/mailbox/*', adminOnly);

  app.get('/mailbox', async (c) => {
    const to = c.req.query('to') || undefined;
    const offset = Math.max(0, Number(c.req.query('offset')) || 0);
    const rows = await listMailbox(deps.db, { to, limit: PAGE + 1, offset });
    const total = await countMailbox(deps.db);
    const page = rows.slice(0, PAGE);
    const now = deps.clock.now();
    return renderPage(
      c,
      deps,
      {
        title: 'Dev mailbox',
        section: 'mailbox',
        subtitle: deps.config.resendApiKey
          ? 'Resend is configured: new mail goes to real inboxes, not here.'
          : `${fmtNum(total)} messages kept locally because RESEND_API_KEY is not set.`,
      },
      <section class="card card-flush">
        <FilterForm action="/editor/mailbox" search primary={false}>
          <div class="field" style="max-width:320px">
            <label for="oto">Recipient</label>
            <input id="oto" type="search" name="to" value={to ?? ''} placeholder="exact address" />
          </div>
        </FilterForm>
        <ListTable
          head={['Subject', 'To', 'Kind', 'When']}
          rows={page}
          empty={<Empty title="The mailbox is empty">Sign-in links, confirmations, tests and recaps appear here when no provider is configured.</Empty>}
          row={(m) => {
            const tags = safeTags(m.tags);
            return (
              <tr>
                <td>
                  <a href={`/editor/mailbox/${encodeURIComponent(m.id)}`}>
                    <strong>{m.subject}</strong>
                  </a>
                </td>
                <td class="small">{m.to_addr}</td>
                <td>{tags.kind ? <span class="badge plain">{tags.kind}</span> : null}</td>
                <td class="small nowrap" title={m.created_at}>
                  {relativeTime(m.created_at, now)}
                </td>
              </tr>
            );
          }}
        />
        <Pager
          newer={
            offset > 0
              ? { href: `/editor/mailbox?${new URLSearchParams({ ...(to ? { to } : {}), offset: String(Math.max(0, offset - PAGE)) })}`, label: '← Newer' }
              : null
          }
          older={rows.length > PAGE ? `/editor/mailbox?${new URLSearchParams({ ...(to ? { to } : {}), offset: String(offset + PAGE) })}` : null}
        />
      </section>,
    );
  });

  app.get('/mailbox/:id', async (c) => {
    const m = await getMailboxMessage(deps.db, c.req.param('id'));
    if (!m) throw new AppError('not_found', 'There is no such message in the dev mailbox.');
    const headers = safeJson(m.headers);
    const part = c.req.query('part') === 'text' ? 'text' : 'html';
    return renderPage(
      c,
      deps,
      { title: m.subject, section: 'mailbox', crumbs: [['Dev mailbox', '/editor/mailbox'], ['Message']] },
      <div class="split">
        <div>
          <div class="toolbar">
            <div class="seg" role="group" aria-label="Part">
              <a href={`?part=html`} aria-current={part === 'html' ? 'true' : undefined}>
                HTML
              </a>
              <a href={`?part=text`} aria-current={part === 'text' ? 'true' : undefined}>
                Plain text
              </a>
            </div>
          </div>
          {part === 'text' ? (
            <pre class="text-part" role="region" data-testid="mailbox-text" aria-label="Plain-text part" tabindex={0}>
              {m.text}
            </pre>
          ) : (
            <div class="frame-wrap">
              <iframe
                src={`/editor/mailbox/${encodeURIComponent(m.id)}/html`}
                title={`Message: ${m.subject}`}
                sandbox="allow-popups allow-popups-to-escape-sandbox"
              ></iframe>
            </div>
          )}
        </div>
        <aside>
          <section class="card">
            <h2>Envelope</h2>
            <dl class="kv" style="grid-template-columns:90px 1fr">
              <dt>From</dt>
              <dd style="word-break:break-all">{m.from_addr}</dd>
              <dt>To</dt>
              <dd style="word-break:break-all">{m.to_addr}</dd>
              <dt>Sent</dt>
              <dd>{fmtDateTime(m.created_at, tz)}</dd>
              <dt>Key</dt>
              <dd class="mono small" style="word-break:break-all">
                {m.idempotency_key}
              </dd>
            </dl>
          </section>
          <section class="card">
            <h2>Headers</h2>
            {Object.keys(headers).length ? (
              <dl class="kv" style="grid-template-columns:1fr">
                {Object.entries(headers).map(([k, v]) => (
                  <>
                    <dt class="mono small">{k}</dt>
                    <dd class="mono small" style="word-break:break-all">
                      {String(v)}
                    </dd>
                  </>
                ))}
              </dl>
            ) : (
              <p class="small muted">No extra headers.</p>
            )}
          </section>
        </aside>
      </div>,
    );
  });

  app.get('/mailbox/:id/html', async (c) => {
    const m = await getMailboxMessage(deps.db, c.req.param('id'));
    if (!m) throw new AppError('not_found', 'There is no such message in the dev mailbox.');
    return rawMailResponse(c, m.html);
  });

  return app;
}

const adminOnly: MiddlewareHandler<EditorEnv> = async (c, next) => {
  if (c.get('session')?.editor.role !== 'admin')
    throw new AppError('forbidden', "Only admins can open the dev mailbox: it holds every editor's sign-in links.");
  await next();
};

function safeJson(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function safeTags(s: string): Record<string, string> {
  try {
    const v = JSON.parse(s) as { name: string; value: string }[] | Record<string, string>;
    return Array.isArray(v) ? Object.fromEntries(v.map((t) => [t.name, t.value])) : v;
  } catch {
    return {};
  }
}

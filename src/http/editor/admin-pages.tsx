/** @jsxImportSource hono/jsx */
// The audit log, the editor accounts, and the dev outbox (mail kept locally when no provider is configured).
import { Hono } from 'hono';
import { readAudit } from '../../core/audit.js';
import type { Deps } from '../../core/deps.js';
import { addEditor, listEditorAccounts, setEditorActive } from '../../core/editor-auth.js';
import { listAuditActions } from '../../db/repos/audit.js';
import { countOutbox, getOutboxMessage, listOutbox } from '../../db/repos/dev-outbox.js';
import { fmtDateTime, fmtNum, relativeTime } from './format.js';
import { redirectWith } from './flash.js';
import { Badge, CsrfField, Empty, PostButton, renderPage } from './layout.js';
import { rawMailResponse } from './issue-preview-page.js';
import { formField, type EditorEnv } from './session.js';

const PAGE = 50;

export function adminRoutes(deps: Deps) {
  const app = new Hono<EditorEnv>();
  const tz = deps.config.tz;

  app.get('/audit', async (c) => {
    const action = c.req.query('action') || undefined;
    const actor = c.req.query('actor') || undefined;
    const before = Number(c.req.query('before')) || undefined;
    const rows = await readAudit(deps, { action, actor, beforeId: before, limit: PAGE + 1 });
    const actions = await listAuditActions(deps.db);
    const page = rows.slice(0, PAGE);
    const now = deps.clock.now();
    const keep = new URLSearchParams(Object.entries({ action, actor }).filter(([, v]) => v) as [string, string][]);
    return renderPage(
      c,
      deps,
      { title: 'Audit log', section: 'audit', subtitle: 'Every change made by editors and by the API token, newest first.' },
      <section class="card card-flush">
        <form method="get" action="/editor/audit" class="row" style="padding:16px 16px 4px">
          <div class="field" style="max-width:260px">
            <label for="aaction">Action</label>
            <select id="aaction" name="action">
              <option value="">All actions</option>
              {actions.map((a) => <option value={a} selected={a === action}>{a}</option>)}
            </select>
          </div>
          <div class="field" style="max-width:260px">
            <label for="aactor">Who</label>
            <input id="aactor" type="text" name="actor" value={actor ?? ''} placeholder="editor@example.com or api-token" />
          </div>
          <div class="field btn-cell"><button class="btn primary" type="submit">Filter</button></div>
        </form>
        {page.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr>
              </thead>
              <tbody>
                {page.map((a) => (
                  <tr>
                    <td class="nowrap small" title={a.createdAt}>{fmtDateTime(a.createdAt, tz)}<div class="muted">{relativeTime(a.createdAt, now)}</div></td>
                    <td>{a.actor}</td>
                    <td><code>{a.action}</code></td>
                    <td class="small">
                      {a.targetType === 'issue' && a.targetId ? <a href={`/editor/issues/${a.targetId}`}>{a.targetId}</a> : a.targetType === 'subscriber' && a.targetId ? <a href={`/editor/subscribers/${a.targetId}`}>subscriber #{a.targetId}</a> : a.targetType ? `${a.targetType} ${a.targetId ?? ''}` : '—'}
                    </td>
                    <td style="max-width:380px"><Details details={a.details} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty title="Nothing recorded yet" />
        )}
        <div class="pager">
          {before ? <a href={`/editor/audit${keep.size ? `?${keep}` : ''}`}>← Newest</a> : <span></span>}
          {rows.length > PAGE ? <a href={`/editor/audit?${new URLSearchParams({ ...Object.fromEntries(keep), before: String(page[page.length - 1].id) })}`}>Older →</a> : <span></span>}
        </div>
      </section>,
    );
  });

  app.get('/editors', async (c) => {
    const session = c.get('session')!;
    const editors = await listEditorAccounts(deps);
    const isAdmin = session.editor.role === 'admin';
    return renderPage(
      c,
      deps,
      { title: 'Editors', section: 'editors', subtitle: 'People who can sign in to this workspace. Accounts in EDITOR_EMAILS are admins.' },
      <div class="split">
        <section class="card card-flush">
          <div class="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">Editor</th><th scope="col">Role</th><th scope="col">Last sign-in</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {editors.map((e) => (
                  <tr>
                    <td><strong>{e.email}</strong>{e.disabledAt ? <div><Badge status="canceled" label="disabled" /></div> : null}</td>
                    <td>{e.role}</td>
                    <td class="small">{fmtDateTime(e.lastLoginAt, tz)}</td>
                    <td>
                      {isAdmin && e.id !== session.editor.id ? (
                        <PostButton action={`/editor/editors/${e.id}/${e.disabledAt ? 'enable' : 'disable'}`} csrf={session.csrfToken} label={e.disabledAt ? 'Enable' : 'Disable'} class={`sm ${e.disabledAt ? '' : 'danger'}`} ariaLabel={`${e.disabledAt ? 'Enable' : 'Disable'} ${e.email}`} />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <aside>
          {isAdmin ? (
            <section class="card" aria-labelledby="add-editor">
              <h2 id="add-editor">Add an editor</h2>
              <form method="post" action="/editor/editors">
                <CsrfField token={session.csrfToken} />
                <div class="field">
                  <label for="ed-email">Email</label>
                  <input id="ed-email" type="email" name="email" required />
                </div>
                <fieldset class="field" style="border:0;padding:0">
                  <legend style="font-weight:600;font-size:13px;margin-bottom:6px">Role</legend>
                  <div class="radio-row">
                    <label><input type="radio" name="role" value="editor" checked /> Editor</label>
                    <label><input type="radio" name="role" value="admin" /> Admin</label>
                  </div>
                </fieldset>
                <button class="btn primary" type="submit">Add editor</button>
                <p class="help small muted" style="margin-top:8px">They sign in with a magic link sent to that address.</p>
              </form>
            </section>
          ) : (
            <section class="card"><p class="small muted">Only admins can add or disable editors.</p></section>
          )}
        </aside>
      </div>,
    );
  });

  app.post('/editors', async (c) => {
    const role = (await formField(c, 'role')) === 'admin' ? 'admin' : 'editor';
    await addEditor(deps, c.get('session')!.editor, { email: (await formField(c, 'email')) ?? '', role });
    return redirectWith(c, '/editor/editors', 'ok', 'Editor added. They can sign in now.');
  });

  app.post('/editors/:id{[0-9]+}/:op{enable|disable}', async (c) => {
    await setEditorActive(deps, c.get('session')!.editor, Number(c.req.param('id')), c.req.param('op') === 'enable');
    return redirectWith(c, '/editor/editors', 'ok', c.req.param('op') === 'enable' ? 'Editor enabled.' : 'Editor disabled and signed out.');
  });

  app.get('/outbox', async (c) => {
    const to = c.req.query('to') || undefined;
    const offset = Math.max(0, Number(c.req.query('offset')) || 0);
    const rows = await listOutbox(deps.db, { to, limit: PAGE + 1, offset });
    const total = await countOutbox(deps.db);
    const page = rows.slice(0, PAGE);
    const now = deps.clock.now();
    return renderPage(
      c,
      deps,
      {
        title: 'Dev outbox',
        section: 'outbox',
        subtitle: deps.config.resendApiKey
          ? 'Resend is configured: new mail goes to real inboxes, not here.'
          : `${fmtNum(total)} messages kept locally because RESEND_API_KEY is not set.`,
      },
      <section class="card card-flush">
        <form method="get" action="/editor/outbox" class="row" style="padding:16px 16px 4px" role="search">
          <div class="field" style="max-width:320px">
            <label for="oto">Recipient</label>
            <input id="oto" type="search" name="to" value={to ?? ''} placeholder="exact address" />
          </div>
          <div class="field btn-cell"><button class="btn" type="submit">Filter</button></div>
        </form>
        {page.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">Subject</th><th scope="col">To</th><th scope="col">Kind</th><th scope="col">When</th></tr>
              </thead>
              <tbody>
                {page.map((m) => {
                  const tags = safeTags(m.tags);
                  return (
                    <tr>
                      <td><a href={`/editor/outbox/${encodeURIComponent(m.id)}`}><strong>{m.subject}</strong></a></td>
                      <td class="small">{m.to_addr}</td>
                      <td>{tags.kind ? <span class="badge plain">{tags.kind}</span> : null}</td>
                      <td class="small nowrap" title={m.created_at}>{relativeTime(m.created_at, now)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty title="The outbox is empty">Sign-in links, confirmations, tests and recaps appear here when no provider is configured.</Empty>
        )}
        <div class="pager">
          {offset > 0 ? <a href={`/editor/outbox?${new URLSearchParams({ ...(to ? { to } : {}), offset: String(Math.max(0, offset - PAGE)) })}`}>← Newer</a> : <span></span>}
          {rows.length > PAGE ? <a href={`/editor/outbox?${new URLSearchParams({ ...(to ? { to } : {}), offset: String(offset + PAGE) })}`}>Older →</a> : <span></span>}
        </div>
      </section>,
    );
  });

  app.get('/outbox/:id', async (c) => {
    const m = await getOutboxMessage(deps.db, c.req.param('id'));
    if (!m) return c.notFound();
    const headers = safeJson(m.headers);
    const part = c.req.query('part') === 'text' ? 'text' : 'html';
    return renderPage(
      c,
      deps,
      { title: m.subject, section: 'outbox', crumbs: [['Dev outbox', '/editor/outbox'], ['Message']] },
      <div class="split">
        <div>
          <div class="toolbar">
            <div class="seg" role="group" aria-label="Part">
              <a href={`?part=html`} aria-current={part === 'html' ? 'true' : undefined}>HTML</a>
              <a href={`?part=text`} aria-current={part === 'text' ? 'true' : undefined}>Plain text</a>
            </div>
          </div>
          {part === 'text' ? (
            <pre class="text-part" data-testid="outbox-text" aria-label="Plain-text part" tabindex={0}>{m.text}</pre>
          ) : (
            <div class="frame-wrap">
              <iframe src={`/editor/outbox/${encodeURIComponent(m.id)}/html`} title={`Message: ${m.subject}`} sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>
            </div>
          )}
        </div>
        <aside>
          <section class="card">
            <h2>Envelope</h2>
            <dl class="kv" style="grid-template-columns:90px 1fr">
              <dt>From</dt><dd style="word-break:break-all">{m.from_addr}</dd>
              <dt>To</dt><dd style="word-break:break-all">{m.to_addr}</dd>
              <dt>Sent</dt><dd>{fmtDateTime(m.created_at, tz)}</dd>
              <dt>Key</dt><dd class="mono small" style="word-break:break-all">{m.idempotency_key}</dd>
            </dl>
          </section>
          <section class="card">
            <h2>Headers</h2>
            {Object.keys(headers).length ? (
              <dl class="kv" style="grid-template-columns:1fr">
                {Object.entries(headers).map(([k, v]) => (
                  <>
                    <dt class="mono small">{k}</dt>
                    <dd class="mono small" style="word-break:break-all">{String(v)}</dd>
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

  app.get('/outbox/:id/html', async (c) => {
    const m = await getOutboxMessage(deps.db, c.req.param('id'));
    if (!m) return c.notFound();
    return rawMailResponse(c, m.html);
  });

  return app;
}

/** Audit details as small "key value" chips instead of raw JSON. */
function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!entries.length) return null;
  const show = (v: unknown) => (Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <div class="chips">
      {entries.map(([k, v]) => (
        <span class="chip"><span class="muted">{k}</span> {show(v).slice(0, 120)}</span>
      ))}
    </div>
  );
}

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

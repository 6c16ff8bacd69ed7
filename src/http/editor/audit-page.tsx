/** @jsxImportSource hono/jsx */
// The audit log page: who changed what and when, filterable by action and actor, newest first.
import { Hono } from 'hono';
import { readAudit } from '../../core/editors/audit.js';
import type { Deps } from '../../core/deps.js';
import { listAuditActions } from '../../db/repos/audit.js';
import { fmtDateTime, relativeTime } from './format.js';
import { Empty, renderPage } from './layout.js';
import { AuditTarget, FilterForm, ListTable, Pager, SelectField } from './list-parts.js';
import type { EditorEnv } from './session.js';

const PAGE = 50;

export function auditRoutes(deps: Deps) {
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
        <FilterForm action="/editor/audit">
          <SelectField
            id="aaction"
            name="action"
            label="Action"
            anyLabel="All actions"
            options={actions.map((a) => ({ value: a, label: a }))}
            selected={action}
            maxWidth={260}
          />
          <div class="field" style="max-width:260px">
            <label for="aactor">Who</label>
            <input id="aactor" type="text" name="actor" value={actor ?? ''} placeholder="editor@example.com or api-token" />
          </div>
        </FilterForm>
        <ListTable
          head={['When', 'Who', 'Action', 'Target', 'Details']}
          rows={page}
          empty={<Empty title="Nothing recorded yet" />}
          row={(a) => (
            <tr>
              <td class="nowrap small" title={a.createdAt}>
                {fmtDateTime(a.createdAt, tz)}
                <div class="muted">{relativeTime(a.createdAt, now)}</div>
              </td>
              <td class="nowrap">{a.actor}</td>
              <td>
                <code>{a.action}</code>
              </td>
              <td class="small">
                <AuditTarget type={a.targetType} id={a.targetId} />
              </td>
              <td style="min-width:220px;max-width:340px">
                <Details details={a.details} />
              </td>
            </tr>
          )}
        />
        <Pager
          newer={before ? { href: `/editor/audit${keep.size ? `?${keep}` : ''}`, label: '← Newest' } : null}
          older={rows.length > PAGE ? `/editor/audit?${new URLSearchParams({ ...Object.fromEntries(keep), before: String(page[page.length - 1].id) })}` : null}
        />
      </section>,
    );
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
        <span class="chip">
          <span class="muted">{k}</span> {show(v).slice(0, 120)}
        </span>
      ))}
    </div>
  );
}

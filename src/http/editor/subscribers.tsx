/** @jsxImportSource hono/jsx */
// Subscribers: search and filter by status and topic, CSV import and export.
import { Hono } from 'hono';
import { recordAudit } from '../../core/editors/audit.js';
import type { Deps } from '../../core/deps.js';
import { TOPIC_LABELS, TOPICS } from '../../shared/topics.js';
import { importSubscribers } from '../../core/subscribers/import-subscribers.js';
import { createSignupService } from '../../core/subscribers/signup.js';
import { countSubscribersByStatus, exportPage, searchSubscribers, type SubscriberSearch } from '../../db/repos/editor-subscribers.js';
import type { SubscriberStatus } from '../../db/schema.js';
import { fmtDate, fmtNum } from './format.js';
import { redirectWith } from './flash.js';
import { CsrfField } from '../csrf-field.js';
import { Badge, Empty, renderPage } from './layout.js';
import { FilterForm, ListTable, Pager, SelectField } from './list-parts.js';
import { csvLine, EXPORT_COLUMNS, parseImportCsv, topicsOf } from './subscriber-csv.js';
import type { EditorEnv } from './session.js';
import { yieldTurn } from '../yield-turn.js';

const STATUSES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'bounced', 'complained', 'erased'];
const PAGE = 50;

function readFilters(q: (k: string) => string | undefined): Omit<SubscriberSearch, 'limit'> {
  const status = q('status') as SubscriberStatus | undefined;
  const topic = q('topic');
  const before = Number(q('before'));
  return {
    q: (q('q') ?? '').trim().slice(0, 100) || undefined,
    status: status && STATUSES.includes(status) ? status : undefined,
    topic: topic && (TOPICS as readonly string[]).includes(topic) ? topic : undefined,
    beforeId: Number.isInteger(before) && before > 0 ? before : undefined,
  };
}

export function subscriberRoutes(deps: Deps) {
  const app = new Hono<EditorEnv>();
  const signup = createSignupService(deps);
  const tz = deps.config.tz;

  app.get('/subscribers', async (c) => {
    const f = readFilters((k) => c.req.query(k));
    const rows = await searchSubscribers(deps.db, { ...f, limit: PAGE + 1 });
    const more = rows.length > PAGE;
    const page = rows.slice(0, PAGE);
    const counts = await countSubscribersByStatus(deps.db);
    const csrf = c.get('session')!.csrfToken;
    const keep = new URLSearchParams(Object.entries({ q: f.q, status: f.status, topic: f.topic }).filter(([, v]) => v) as [string, string][]);
    const nextHref = more ? `/editor/subscribers?${new URLSearchParams({ ...Object.fromEntries(keep), before: String(page[page.length - 1].id) })}` : null;
    return renderPage(
      c,
      deps,
      {
        title: 'Subscribers',
        section: 'subscribers',
        subtitle: `${fmtNum(counts.active)} confirmed · ${fmtNum(counts.pending)} pending · ${fmtNum(counts.unsubscribed)} unsubscribed · ${fmtNum(counts.bounced + counts.complained)} bounced or complained`,
        actions: (
          <a class="btn" href={`/editor/subscribers/export.csv${keep.size ? `?${keep}` : ''}`}>
            Export CSV
          </a>
        ),
      },
      <>
        <section class="card card-flush" aria-label="Subscriber list">
          <FilterForm action="/editor/subscribers" search>
            <div class="field">
              <label for="sq">Search</label>
              <input id="sq" type="search" name="q" value={f.q ?? ''} placeholder="Address or name" />
            </div>
            <SelectField
              id="sstatus"
              name="status"
              label="Status"
              anyLabel="Any status"
              options={STATUSES.map((v) => ({ value: v, label: v }))}
              selected={f.status}
              maxWidth={170}
            />
            <SelectField
              id="stopic"
              name="topic"
              label="Topic"
              anyLabel="Any topic"
              options={TOPICS.map((t) => ({ value: t, label: TOPIC_LABELS[t] }))}
              selected={f.topic}
              maxWidth={170}
            />
          </FilterForm>
          <ListTable
            head={['Address', 'Status', 'Topics', 'Joined', 'Confirmed']}
            rows={page}
            empty={<Empty title="No subscribers match">Try another search or filter.</Empty>}
            row={(s) => (
              <tr>
                <td>
                  <a href={`/editor/subscribers/${s.id}`}>
                    <strong>{s.email ?? '(erased)'}</strong>
                  </a>
                  {s.name ? <div class="small muted">{s.name}</div> : null}
                </td>
                <td>
                  <Badge status={s.status} />
                </td>
                <td class="small">
                  {topicsOf(s.topics)
                    .map((t) => TOPIC_LABELS[t as keyof typeof TOPIC_LABELS] ?? t)
                    .join(', ') || <span class="muted">all</span>}
                </td>
                <td class="small nowrap">{fmtDate(s.created_at, tz)}</td>
                <td class="small nowrap">{s.confirmed_at ? fmtDate(s.confirmed_at, tz) : '—'}</td>
              </tr>
            )}
          />
          <Pager newer={f.beforeId ? { href: `/editor/subscribers${keep.size ? `?${keep}` : ''}`, label: '← Newest' } : null} older={nextHref} />
        </section>
        <div class="grid g2" style="margin-top:16px">
          <section class="card" aria-labelledby="import-h">
            <h2 id="import-h">Import CSV</h2>
            <p class="small muted">
              Header row with <code>email</code>, optional <code>name</code>, <code>topics</code> (separated by ;) and <code>consent_source</code>. Rows without
              a consent source start <strong>pending</strong> and get a confirmation mail; rows with one become active and keep that source on record. Known
              addresses are left unchanged.
            </p>
            <form method="post" action="/editor/subscribers/import" enctype="multipart/form-data">
              <CsrfField token={csrf} />
              <div class="field">
                <label for="csv">CSV file</label>
                <input id="csv" type="file" name="file" accept=".csv,text/csv" required />
              </div>
              <button class="btn primary" type="submit">
                Import
              </button>
            </form>
          </section>
          <section class="card" aria-labelledby="export-h">
            <h2 id="export-h">Export CSV</h2>
            <p class="small muted">
              Every subscriber matching the current filters (erased readers excluded), with status, topics, source and the dates of sign-up, confirmation and
              unsubscribe. Cells a spreadsheet would run as a formula are defused.
            </p>
            <a class="btn" href={`/editor/subscribers/export.csv${keep.size ? `?${keep}` : ''}`}>
              Download CSV
            </a>
          </section>
        </div>
      </>,
    );
  });

  app.get('/subscribers/export.csv', async (c) => {
    const f = readFilters((k) => c.req.query(k));
    await recordAudit(deps, c.get('actor'), {
      action: 'subscribers.exported',
      targetType: 'subscribers',
      details: { q: f.q ?? null, status: f.status ?? null, topic: f.topic ?? null },
    });
    let after = 0;
    let headerSent = false;
    const enc = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(enc.encode(`${EXPORT_COLUMNS.join(',')}\r\n`));
        } else {
          // A page is ~8 ms of SQLite and CSV at a million rows; between pages /health and other requests get their
          // turn (a fast client never makes the server wait for 'drain', so without this the export ran in one go).
          await yieldTurn();
        }
        const rows = await exportPage(deps.db, after, { q: f.q, status: f.status, topic: f.topic });
        if (rows.length === 0) return controller.close();
        after = rows[rows.length - 1].id;
        controller.enqueue(enc.encode(rows.map(csvLine).join('')));
      },
    });
    const day = deps.clock.now().toISOString().slice(0, 10);
    return c.body(stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="subscribers-${day}.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  app.post('/subscribers/import', async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return redirectWith(c, '/editor/subscribers', 'error', 'Choose a CSV file to import.');
    const parsed = parseImportCsv(await file.text());
    if (!parsed.ok) return redirectWith(c, '/editor/subscribers', 'error', parsed.message);
    const r = await importSubscribers(deps, signup, parsed.rows, c.get('actor'));
    const errs = r.errors
      .slice(0, 3)
      .map((e) => `line ${e.line}: ${e.message}`)
      .join('; ');
    const msg =
      `Imported ${r.pending + r.active} of ${r.rows} rows: ${r.pending} pending (confirmation sent), ${r.active} active with recorded consent` +
      `${r.existing ? `, ${r.existing} already known` : ''}${r.duplicates ? `, ${r.duplicates} duplicates` : ''}` +
      `${r.errors.length ? `. ${r.errors.length} rejected — ${errs}${r.errors.length > 3 ? '…' : ''}` : '.'}`;
    return redirectWith(c, '/editor/subscribers', r.errors.length && r.pending + r.active === 0 ? 'error' : 'ok', msg);
  });

  return app;
}

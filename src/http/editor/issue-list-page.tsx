/** @jsxImportSource hono/jsx */
// All issues, newest week first, with status, schedule and delivery numbers, and a way to build any week's draft.
import type { Context } from 'hono';
import type { Deps } from '../../core/deps.js';
import { isoWeekOf, weekLabel } from '../../core/issues/iso-week.js';
import { countsFrom } from '../../core/issues/issue-view.js';
import { deliveryCounts, listIssues } from '../../db/repos/issues.js';
import { fmtDateTime, fmtNum } from './format.js';
import { CsrfField } from '../csrf-field.js';
import { Badge, Empty, renderPage } from './layout.js';
import type { EditorEnv } from './session.js';

export async function issueListPage(c: Context<EditorEnv>, deps: Deps) {
  const csrf = c.get('session')!.csrfToken;
  const tz = deps.config.tz;
  const issues = await listIssues(deps.db, { limit: 60 });
  // Counting deliveries scans an issue's rows, so only the most recent sends get live numbers here.
  let counted = 0;
  const rows = [];
  for (const i of issues) {
    const live = ['sending', 'sent', 'failed'].includes(i.status) && counted++ < 6;
    rows.push({ issue: i, counts: countsFrom(live ? await deliveryCounts(deps.db, i.id) : {}, live ? i.audience_total : null) });
  }
  const week = isoWeekOf(deps.clock.now(), tz);
  return renderPage(
    c,
    deps,
    {
      title: 'Issues',
      section: 'issues',
      subtitle: 'Every weekly recap: drafts, scheduled, sent.',
      actions: (
        <form method="post" action="/editor/issues" class="row" style="align-items:center">
          <CsrfField token={csrf} />
          <label for="build-week" class="sr-only">
            ISO week
          </label>
          <input id="build-week" type="text" name="week" value={week} pattern="\d{4}-[Ww]\d{2}" style="width:120px" aria-describedby="build-help" />
          <span id="build-help" class="sr-only">
            An ISO week such as 2026-W48
          </span>
          <button class="btn primary" type="submit">
            Build or rebuild draft
          </button>
        </form>
      ),
    },
    <section class="card card-flush">
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Send time</th>
                <th scope="col" class="num">
                  Sent
                </th>
                <th scope="col" class="num">
                  Delivered
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ issue, counts }) => (
                <tr>
                  <td class="nowrap">
                    <a href={`/editor/issues/${issue.id}`}>
                      <strong>{issue.week}</strong>
                    </a>
                    <div class="small muted">{weekLabel(issue.week)}</div>
                  </td>
                  <td>{issue.subject ?? issue.default_subject}</td>
                  <td>
                    <Badge status={issue.status} />
                  </td>
                  <td class="small nowrap">{fmtDateTime(issue.sent_at ?? issue.started_at ?? issue.scheduled_at, tz)}</td>
                  <td class="num">{counts.total ? `${fmtNum(counts.sent)} / ${fmtNum(counts.total)}` : '—'}</td>
                  <td class="num">{counts.total ? fmtNum(counts.delivered) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty title="No issues yet">
          <p class="small">Build the first draft with the button above.</p>
        </Empty>
      )}
    </section>,
  );
}

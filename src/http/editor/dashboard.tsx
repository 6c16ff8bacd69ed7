/** @jsxImportSource hono/jsx */
// The editor's home: this week's draft, the next send, the last issue's funnel, subscriber growth and counts.
import type { Context } from 'hono';
import { readAudit } from '../../core/editors/audit.js';
import type { Deps } from '../../core/deps.js';
import { isoWeekOf, previousWeek, weekLabel, weekWindow } from '../../core/issues/iso-week.js';
import { issueFunnelTrend } from '../../core/issues/issue-funnel.js';
import { getIssueView } from '../../core/issues/issue-view.js';
import { countAudience, countSubscribersByStatus, nextScheduledIssue, subscriberGrowth, type GrowthPoint } from '../../db/repos/editor-subscribers.js';
import { getIssueByWeek, listIssuesInStatus } from '../../db/repos/issues.js';
import { GrowthChart } from './charts.js';
import { FunnelChart, FunnelTrendChart } from './funnel-charts.js';
import { fmtDateTime, fmtNum, relativeTime } from './format.js';
import { Badge, Empty, PostButton, renderPage } from './layout.js';
import { AuditTarget, ListTable } from './list-parts.js';
import type { EditorEnv } from './session.js';

const WEEKS = 12;
/** The growth series scans every subscriber; a weekly chart can be a few minutes old. */
const GROWTH_TTL_MS = 5 * 60_000;

export function dashboardHandler(deps: Deps) {
  let cached: { key: string; at: number; value: GrowthPoint[] } | null = null;
  const growthFor = async (points: string[], nowMs: number) => {
    const key = points.slice(0, -1).join();
    if (cached && cached.key === key && nowMs - cached.at < GROWTH_TTL_MS) return cached.value;
    const value = await subscriberGrowth(deps.db, points);
    cached = { key, at: nowMs, value };
    return value;
  };
  return (c: Context<EditorEnv>) => dashboardPage(c, deps, growthFor);
}

async function dashboardPage(c: Context<EditorEnv>, deps: Deps, growthFor: (points: string[], nowMs: number) => Promise<GrowthPoint[]>) {
  const now = deps.clock.now();
  const tz = deps.config.tz;
  const week = isoWeekOf(now, tz);
  const csrf = c.get('session')!.csrfToken;
  const thisIssue = await getIssueByWeek(deps.db, week);
  const draft = thisIssue ? await getIssueView(deps, thisIssue.id) : null;
  const next = await nextScheduledIssue(deps.db);
  // counters kept by the database (migrations/0009): a few index lookups, not a count over the issue's deliveries
  const trend = await issueFunnelTrend(deps, WEEKS);
  const last = trend.length ? trend[trend.length - 1] : null;
  const paused = (await listIssuesInStatus(deps.db, 'sending')).filter((i) => i.paused_reason);
  const counts = await countSubscribersByStatus(deps.db);
  const audience = await countAudience(deps.db, now.toISOString());
  const weeks: string[] = [week];
  while (weeks.length < WEEKS) weeks.unshift(previousWeek(weeks[0]));
  // one extra point before the first week, so the first column counts that week's confirmations too
  const points = [
    weekWindow(weeks[0], tz).start.toISOString(),
    ...weeks.map((w, i) => (i === weeks.length - 1 ? now.toISOString() : weekWindow(w, tz).end.toISOString())),
  ];
  const growth = (await growthFor(points, now.getTime())).slice(1);
  const recent = await readAudit(deps, { limit: 6 });
  const joined4 = growth.slice(-4).reduce((a, p) => a + p.joined, 0);

  return renderPage(
    c,
    deps,
    { title: 'Dashboard', section: 'dashboard', subtitle: `Week ${week.split('-W')[1]} · ${weekLabel(week)} · times in ${tz}` },
    <>
      {paused.map((i) => (
        <div class={`flash ${i.guard_paused ? 'error' : 'info'}`} role="status" data-testid="dashboard-paused">
          <a href={`/editor/issues/${i.id}/send`}>{i.week}</a>: {i.paused_reason}
        </div>
      ))}
      <div class="grid g4" style="margin-bottom:16px">
        <div class="card stat">
          <span class="label">Confirmed readers</span>
          <span class="value">{fmtNum(counts.active)}</span>
          <span class="hint">{fmtNum(audience)} will get the next send</span>
        </div>
        <div class="card stat">
          <span class="label">Pending confirmation</span>
          <span class="value">{fmtNum(counts.pending)}</span>
          <span class="hint">double opt-in not finished</span>
        </div>
        <div class="card stat">
          <span class="label">Unsubscribed</span>
          <span class="value">{fmtNum(counts.unsubscribed)}</span>
          <span class="hint">{fmtNum(counts.bounced + counts.complained)} bounced or complained</span>
        </div>
        <div class="card stat">
          <span class="label">New in the last 4 weeks</span>
          <span class="value">+{fmtNum(joined4)}</span>
          <span class="hint">confirmed sign-ups</span>
        </div>
      </div>

      <div class="grid g2">
        <section class="card" aria-labelledby="this-week">
          <h2 id="this-week">This week's issue {draft ? <Badge status={draft.status} /> : null}</h2>
          {draft ? (
            <div class="stack">
              <div>
                <div class="muted small">
                  {draft.week} · {weekLabel(draft.week)}
                </div>
                <div style="font-weight:650;font-size:15px;margin-top:2px">{draft.subject}</div>
                <div class="muted small">{draft.preheader}</div>
              </div>
              <div class="small">
                {draft.items.filter((i) => !i.excluded).length} stories selected · {draft.items.filter((i) => i.pinned).length} pinned · built{' '}
                {relativeTime(draft.builtAt, now)}
              </div>
              <div class="actions">
                <a class="btn primary" href={`/editor/issues/${draft.id}`}>
                  Curate
                </a>
                <a class="btn" href={`/editor/issues/${draft.id}/preview`}>
                  Preview
                </a>
                <a class="btn" href={`/editor/issues/${draft.id}/send`}>
                  Schedule & send
                </a>
              </div>
            </div>
          ) : (
            <Empty title="No draft for this week yet">
              <p class="small">It is built automatically on schedule; you can build it now from this week's events.</p>
              <PostButton action="/editor/issues" csrf={csrf} fields={{ week }} label="Build this week's draft" class="primary" />
            </Empty>
          )}
        </section>

        <section class="card" aria-labelledby="next-send">
          <h2 id="next-send">Next scheduled send</h2>
          {next?.scheduled_at ? (
            <div class="stack">
              <div style="font-size:20px;font-weight:700">{fmtDateTime(next.scheduled_at, tz)}</div>
              <div class="local-time" data-local-time={next.scheduled_at} hidden></div>
              <div class="small muted">
                {next.week} · {relativeTime(next.scheduled_at, now)} · to about {fmtNum(audience)} readers
              </div>
              <div class="actions">
                <a class="btn" href={`/editor/issues/${next.id}/send`}>
                  Manage schedule
                </a>
              </div>
            </div>
          ) : (
            <Empty title="Nothing scheduled">
              <p class="small">Open an issue's "Schedule & send" tab to pick a time.</p>
            </Empty>
          )}
        </section>

        <section class="card" aria-labelledby="funnel">
          <h2 id="funnel">
            Last issue's delivery{' '}
            {last ? (
              <a class="small" href={`/editor/issues/${last.issueId}/send`}>
                {last.week}
              </a>
            ) : null}
          </h2>
          {last ? (
            <>
              <p class="small muted">
                {last.subject} · {last.status === 'sent' ? `sent ${fmtDateTime(last.sentAt, tz)}` : last.status === 'failed' ? 'stopped' : 'sending now'}
                {last.audience !== null ? ` · ${fmtNum(last.audience)} readers` : ''}
              </p>
              <FunnelChart funnel={last} />
              <h3 class="small" style="margin-top:12px">
                Last {trend.length} {trend.length === 1 ? 'issue' : 'issues'}
              </h3>
              <FunnelTrendChart trend={trend} />
            </>
          ) : (
            <Empty title="No issue sent yet">
              <p class="small">Delivery numbers appear here once the first issue goes out.</p>
            </Empty>
          )}
        </section>

        <section class="card" aria-labelledby="growth">
          <h2 id="growth">
            Subscriber growth <span class="small muted">last {WEEKS} weeks</span>
          </h2>
          <GrowthChart points={growth} labels={weeks.map((w) => `W${w.split('-W')[1]}`)} />
        </section>
      </div>

      <section class="card card-flush" style="margin-top:16px" aria-labelledby="activity">
        <h2 id="activity">
          Recent activity{' '}
          <a class="small" href="/editor/audit">
            Full audit log
          </a>
        </h2>
        <ListTable
          head={['When', 'Who', 'What', 'Target']}
          rows={recent}
          empty={<Empty title="No activity yet" />}
          row={(a) => (
            <tr>
              <td class="nowrap small">{relativeTime(a.createdAt, now)}</td>
              <td>{a.actor}</td>
              <td>
                <code>{a.action}</code>
              </td>
              <td class="small">
                <AuditTarget type={a.targetType} id={a.targetId} />
              </td>
            </tr>
          )}
        />
      </section>
    </>,
  );
}

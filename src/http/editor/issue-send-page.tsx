/** @jsxImportSource hono/jsx */
// Schedule, reschedule, cancel or send now (behind a confirmation naming the audience), the editions that go out with their checks, and live progress while sending.
import type { Context } from 'hono';
import type { Deps } from '../../core/deps.js';
import { nextWeeklySlot } from '../../core/issues/iso-week.js';
import { getIssueView, type IssueView } from '../../core/issues/issue-view.js';
import { EditionsCard, editionsWithChecks } from './issue-editions-card.js';
import { countAudience } from '../../db/repos/editor-subscribers.js';
import { Funnel } from './charts.js';
import { issueHeader, IssueTabs } from './issue-chrome.js';
import { fmtDateTime, fmtNum, pct, wallClockParts } from './format.js';
import { CsrfField } from '../csrf-field.js';
import { Badge, PostButton, renderPage } from './layout.js';
import type { EditorEnv } from './session.js';

/** A pause an editor can lift: a restore's hold (nothing else lifts it) or a provider pause they choose not to wait out. */
function PausedCard({ view, csrf }: { view: IssueView; csrf: string }) {
  return (
    <section class="card" aria-labelledby="hold-h" data-testid="paused">
      <h2 id="hold-h">{view.heldForEditor ? 'Sending is on hold' : 'Sending is paused'}</h2>
      <div class={`flash ${view.heldForEditor ? 'error' : 'info'}`}>{view.pausedReason}</div>
      <p class="small muted">
        {view.heldForEditor
          ? 'Nothing more of this issue is sent until you resume it. Check the provider’s logs for the time stated above first.'
          : 'It resumes by itself at the time stated; resume earlier only once the cause is fixed (e.g. a new API key).'}
      </p>
      <PostButton action={`/editor/issues/${view.id}/resume`} csrf={csrf} label="Resume sending" class={view.heldForEditor ? 'danger-solid' : 'primary'} />
    </section>
  );
}

function Progress({ view }: { view: IssueView }) {
  const c = view.counts;
  const done = c.sent + c.failed + c.suppressed;
  const p = c.total ? Math.min(100, Math.round((done * 100) / c.total)) : view.status === 'sent' ? 100 : 0;
  return (
    <section class="card" aria-labelledby="progress-h" data-progress-url={view.status === 'sending' ? `/api/editor/issues/${view.id}` : undefined}>
      <h2 id="progress-h">
        <span data-progress-title>{view.status === 'sending' ? 'Sending' : view.status === 'sent' ? 'Sent' : 'Delivery'}</span>{' '}
        <span data-status class={`badge ${view.status}`}>
          {view.status}
        </span>
      </h2>
      <div class="progress" role="progressbar" aria-label="Send progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p}>
        <span style={`width:${p}%`}></span>
      </div>
      <p class="small" style="margin-top:8px" data-progress-label aria-live="polite">
        {p}% · {fmtNum(c.sent)} of {fmtNum(c.total)} sent{c.failed ? ` · ${c.failed} failed` : ''}
        {c.delivered ? ` · ${fmtNum(c.delivered)} delivered` : ''}
      </p>
      <div class="grid g4" style="margin-top:12px">
        {(['total', 'queued', 'sent', 'delivered', 'bounced', 'complained', 'failed', 'suppressed'] as const).map((k) => (
          <div class="stat">
            <span class="label">{k[0].toUpperCase() + k.slice(1)}</span>
            <span class="value" style="font-size:20px" data-count={k}>
              {fmtNum(c[k])}
            </span>
          </div>
        ))}
      </div>
      {view.pausedReason && view.status !== 'sending' ? (
        <div class="flash info" style="margin-top:12px">
          Paused: {view.pausedReason}
        </div>
      ) : null}
      {view.failureReason ? (
        <div class="flash error" style="margin-top:12px">
          Failed: {view.failureReason}
        </div>
      ) : null}
    </section>
  );
}

export async function sendPage(c: Context<EditorEnv>, deps: Deps, id: string) {
  const view = await getIssueView(deps, id);
  const csrf = c.get('session')!.csrfToken;
  const tz = deps.config.tz;
  const now = deps.clock.now();
  const audience = await countAudience(deps.db, now.toISOString());
  const base = `/editor/issues/${view.id}`;
  const suggested = view.scheduledAt ? new Date(view.scheduledAt) : nextWeeklySlot(now, deps.config.sendAt, tz);
  const wall = wallClockParts(suggested, tz);
  const schedulable = view.status === 'draft' || view.status === 'scheduled';
  const ed = await editionsWithChecks(c, deps, view);

  return renderPage(
    c,
    deps,
    issueHeader(view),
    <>
      <IssueTabs view={view} tab="send" />
      {/* while sending, the pause card states the reason; the progress card does not repeat it */}
      {view.pausedReason && (view.status === 'sending' || view.status === 'scheduled' || view.status === 'draft') ? (
        <PausedCard view={view} csrf={csrf} />
      ) : null}
      {view.status === 'sending' || view.status === 'sent' || (view.status === 'failed' && view.counts.total > 0) ? (
        <>
          <Progress view={view} />
          {view.counts.sent ? (
            <section class="card" aria-labelledby="funnel-h">
              <h2 id="funnel-h">Funnel</h2>
              <Funnel counts={view.counts} />
              <p class="small muted" style="margin-top:10px">
                Bounce rate {pct(view.counts.bounced, view.counts.sent)} · complaint rate {pct(view.counts.complained, view.counts.sent)}
              </p>
            </section>
          ) : null}
        </>
      ) : null}

      {ed.blocked ? (
        <div class="flash error" role="alert" data-testid="editions-blocked">
          {ed.blocked}
        </div>
      ) : null}

      {schedulable ? (
        <div class="grid g2">
          <section class="card" aria-labelledby="schedule-h">
            <h2 id="schedule-h">{view.status === 'scheduled' ? 'Scheduled' : 'Schedule'}</h2>
            {view.status === 'scheduled' && view.scheduledAt ? (
              <div class="stack" style="margin-bottom:16px">
                <div style="font-size:18px;font-weight:700" data-testid="scheduled-at">
                  {fmtDateTime(view.scheduledAt, tz)}
                </div>
                <div class="local-time" data-local-time={view.scheduledAt} hidden></div>
                <PostButton action={`${base}/unschedule`} csrf={csrf} label="Cancel schedule" class="danger sm" />
              </div>
            ) : (
              <p class="small muted">Pick when this issue goes out. It is sent at that time to every confirmed reader.</p>
            )}
            {view.status === 'scheduled' ? <h3 style="margin-bottom:10px">Move to another time</h3> : null}
            <form method="post" action={`${base}/schedule`} data-schedule-tz={tz}>
              <CsrfField token={csrf} />
              <div class="row">
                <div class="field">
                  <label for="date">Date</label>
                  <input id="date" type="date" name="date" required value={wall.date} />
                </div>
                <div class="field">
                  <label for="time">
                    Time <span class="muted small">({tz})</span>
                  </label>
                  <input id="time" type="time" name="time" required value={wall.time} step={60} />
                </div>
              </div>
              <p class="local-time" data-schedule-local aria-live="polite"></p>
              <button class="btn primary" type="submit" disabled={ed.blocked !== null}>
                {view.status === 'scheduled' ? 'Reschedule' : 'Schedule'}
              </button>
            </form>
          </section>

          <section class="card" aria-labelledby="now-h">
            <h2 id="now-h">Send now</h2>
            <p>
              Goes to <strong>{fmtNum(audience)}</strong> confirmed {audience === 1 ? 'reader' : 'readers'} right away. You confirm on the next step.
            </p>
            {ed.blocked ? (
              <button class="btn danger-solid" type="button" disabled>
                Send now…
              </button>
            ) : (
              <a class="btn danger-solid" href={`${base}/send/confirm`}>
                Send now…
              </a>
            )}
            <hr style="border:0;border-top:1px solid var(--line-2);margin:18px 0" />
            <h3 style="margin-bottom:6px">Skip this week</h3>
            <p class="small muted">Cancelling keeps the draft; you can reopen it later.</p>
            <PostButton action={`${base}/cancel`} csrf={csrf} label="Cancel issue" class="danger sm" />
          </section>
        </div>
      ) : null}

      <EditionsCard editions={ed.editions} checks={ed.checks} checksHref={ed.checksHref} frozen={!schedulable} />

      {view.status === 'canceled' || view.status === 'failed' ? (
        <section class="card">
          <h2>This issue is {view.status}</h2>
          <p class="small muted">Reopen it as a draft to edit and schedule it again.</p>
          <PostButton action={`${base}/reopen`} csrf={csrf} label="Reopen as draft" class="primary" />
        </section>
      ) : null}
    </>,
  );
}

export async function sendConfirmPage(c: Context<EditorEnv>, deps: Deps, id: string) {
  const view = await getIssueView(deps, id);
  const csrf = c.get('session')!.csrfToken;
  const audience = await countAudience(deps.db, deps.clock.now().toISOString());
  const base = `/editor/issues/${view.id}`;
  const failingHint = view.items.filter((i) => !i.excluded).length === 0;
  const ed = await editionsWithChecks(c, deps, view);
  return renderPage(
    c,
    deps,
    { ...issueHeader(view, 'Send this issue now?') },
    <section class="card" style="max-width:620px">
      <p style="font-size:15px">
        <strong>“{view.subject}”</strong> will be sent to <strong data-testid="audience">{fmtNum(audience)}</strong> confirmed{' '}
        {audience === 1 ? 'reader' : 'readers'} now. This cannot be undone.
      </p>
      <p class="small muted">
        Status now: <Badge status={view.status} />. Run the pre-send checks and a test send first if you have not.
      </p>
      {failingHint ? <div class="flash error">This issue has no stories.</div> : null}
      <p class="small">
        {ed.editions.filter((e) => e.edition === 0 || e.readers > 0).length} editions:{' '}
        {ed.editions
          .filter((e) => e.edition === 0 || e.readers > 0)
          .map((e) => `${e.name} (${fmtNum(e.readers)})`)
          .join(', ')}
        .
      </p>
      {ed.blocked ? (
        <div class="flash error" role="alert" data-testid="editions-blocked">
          {ed.blocked}
        </div>
      ) : null}
      <div class="actions" style="margin-top:16px">
        {ed.blocked ? null : (
          <form method="post" action={`${base}/send`} class="inline">
            <CsrfField token={csrf} />
            <input type="hidden" name="audience" value={String(audience)} />
            <button class="btn danger-solid" type="submit">
              Yes, send to {fmtNum(audience)} {audience === 1 ? 'reader' : 'readers'}
            </button>
          </form>
        )}
        <a class="btn" href={`${base}/send`}>
          Not now
        </a>
      </div>
    </section>,
  );
}

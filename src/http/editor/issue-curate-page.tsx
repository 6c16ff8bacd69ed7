/** @jsxImportSource hono/jsx */
// The issue editor: ranked stories with their score breakdown, pin/exclude/reorder, texts, rebuild, adding events, and the week's pool.
import type { Context } from 'hono';
import { raw } from 'hono/html';
import MarkdownIt from 'markdown-it';
import type { Deps } from '../../core/deps.js';
import { TOPIC_LABELS, type Topic } from '../../shared/topics.js';
import { weekWindow } from '../../core/issues/iso-week.js';
import { getIssueView, type IssueItemView, type IssueView } from '../../core/issues/issue-view.js';
import { getIssuePool, type IssuePool } from '../../core/issues/issue-pool.js';
import { searchEventsBetween } from '../../db/repos/events.js';
import { EDITABLE_STATUSES, issueHeader, IssueTabs, ReadOnlyNote } from './issue-chrome.js';
import { fmtDate, relativeTime } from './format.js';
import { CsrfField } from '../csrf-field.js';
import { clickStatsFor, IssueClicksCard } from './issue-clicks-card.js';
import { Empty, PostButton, renderPage } from './layout.js';
import type { EditorEnv } from './session.js';

// The editor's own view of the intro: raw HTML off, so whatever is typed is shown, never executed.
const md = new MarkdownIt('default', { html: false, linkify: true, typographer: true });
md.validateLink = (url) => /^(https?:\/\/|mailto:)/i.test(url.trim());

const PARTS: [keyof Omit<IssueItemView['scoreBreakdown'], 'total'>, string, string][] = [
  ['views', 'Views', '#6366f1'],
  ['clicks', 'Clicks', '#0ea5e9'],
  ['shares', 'Shares', '#14b8a6'],
  ['sources', 'Sources', '#f59e0b'],
  ['recency', 'Recency', '#a855f7'],
  ['boost', 'Editor boost', '#ec4899'],
  ['readerInterest', 'Reader interest', '#84cc16'],
];

function ScoreBreakdown({ item, max }: { item: IssueItemView; max: number }) {
  const b = item.scoreBreakdown;
  const total = b.total ?? item.score;
  // Reader interest may be negative (readers clicked the topic less than average): described, not drawn in the bar.
  const described = PARTS.filter(([k]) => (b[k] ?? 0) > 0 || (k === 'readerInterest' && (b[k] ?? 0) !== 0))
    .map(([k, label]) => `${label} ${(b[k] ?? 0).toFixed(2)}`)
    .join(', ');
  return (
    <div class="score">
      <span class="score-total" title="Total score">
        {total.toFixed(2)}
      </span>
      <span
        class="sbar"
        role="img"
        aria-label={`Score ${total.toFixed(2)}: ${described || 'added by an editor'}`}
        style={`width:${Math.max(24, (total / max) * 160).toFixed(0)}px`}
      >
        {PARTS.map(([k, , color]) => {
          const v = b[k] ?? 0;
          return v > 0 && total > 0 ? (
            <span style={`width:${((v / total) * 100).toFixed(1)}%;background:${color}`} title={`${k} ${v.toFixed(2)}`}></span>
          ) : null;
        })}
      </span>
      <span class="small">{described || 'added by an editor'}</span>
    </div>
  );
}

function topicLabel(t: string): string {
  return TOPIC_LABELS[t as Topic] ?? t;
}

/** Every reader's edition draws from this: lead stories for all, then stories in the reader's topics by rank. */
function PoolTable({ pool }: { pool: IssuePool }) {
  return (
    <section class="card" aria-labelledby="pool-h" style="margin-top:24px" data-testid="pool">
      <h2 id="pool-h">
        The week's pool{' '}
        <span class="muted small">({pool.pool.length}) · readers with topics get the lead stories, then the best of their topics from here</span>
      </h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Story</th>
              <th scope="col">Topics</th>
              <th scope="col" style="text-align:right">
                Score
              </th>
            </tr>
          </thead>
          <tbody>
            {pool.pool.map((p) => (
              <tr data-pool-event={String(p.eventId)} data-lead={p.lead ? 'true' : undefined}>
                <td>{p.rank}</td>
                <td>
                  {p.title}
                  {p.lead ? (
                    <span class="badge pin plain" style="margin-left:6px">
                      Lead
                    </span>
                  ) : null}
                  {p.inDefault ? (
                    <span class="badge plain" style="margin-left:6px">
                      In default edition
                    </span>
                  ) : null}
                </td>
                <td class="small">{p.topics.map(topicLabel).join(', ')}</td>
                <td style="text-align:right">{p.score.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ItemCard(props: {
  view: IssueView;
  item: IssueItemView;
  index: number;
  count: number;
  editable: boolean;
  csrf: string;
  maxScore: number;
  tz: string;
  lead?: boolean;
}) {
  const { view, item, index, count, editable, csrf, tz } = props;
  const act = `/editor/issues/${view.id}/items/${item.id}`;
  const topic = item.event.topics[0];
  return (
    <li class={`item${item.excluded ? ' excluded' : ''}`} id={`item-${item.id}`} data-item-id={item.excluded ? undefined : String(item.id)}>
      <div>
        <div class="pos" aria-hidden="true">
          {item.excluded ? '–' : item.position}
        </div>
        {!item.excluded && editable ? (
          <div class="handle" aria-hidden="true" title="Drag to reorder">
            ⠿
          </div>
        ) : null}
      </div>
      <div>
        <a class="item-title" href={item.event.url} target="_blank" rel="noopener noreferrer">
          {item.title}
        </a>
        <div class="item-meta">
          <span>{item.event.sourceName}</span>
          {topic ? <span>· {TOPIC_LABELS[topic as Topic] ?? topic}</span> : null}
          <span>· {fmtDate(item.event.publishedAt, tz)}</span>
          {item.sourceCount > 1 ? <span>· {item.sourceCount} sources</span> : null}
          {props.lead ? (
            <span class="badge pin plain" title="Every reader's edition opens with the lead stories">
              Lead
            </span>
          ) : null}
          {item.pinned ? <span class="badge pin plain">Pinned</span> : null}
          {item.addedBy === 'editor' ? <span class="badge plain">Added by editor</span> : null}
          {item.titleOverride || item.blurbOverride ? <span class="badge plain">Edited</span> : null}
        </div>
        {item.blurb ? <p class="item-blurb">{item.blurb}</p> : null}
        <ScoreBreakdown item={item} max={props.maxScore} />
        {editable ? (
          <div class="item-foot">
            {item.excluded ? (
              <PostButton action={act} csrf={csrf} fields={{ op: 'include' }} label="Include again" class="sm" ariaLabel={`Include “${item.title}”`} />
            ) : (
              <>
                <PostButton
                  action={act}
                  csrf={csrf}
                  fields={{ op: 'up' }}
                  label="↑"
                  class="sm icon"
                  disabled={index === 0}
                  ariaLabel={`Move “${item.title}” up`}
                  title="Move up"
                />
                <PostButton
                  action={act}
                  csrf={csrf}
                  fields={{ op: 'down' }}
                  label="↓"
                  class="sm icon"
                  disabled={index === count - 1}
                  ariaLabel={`Move “${item.title}” down`}
                  title="Move down"
                />
                <span class="sep" aria-hidden="true"></span>
                <PostButton
                  action={act}
                  csrf={csrf}
                  fields={{ op: item.pinned ? 'unpin' : 'pin' }}
                  label={item.pinned ? 'Unpin' : 'Pin'}
                  class="sm"
                  ariaLabel={`${item.pinned ? 'Unpin' : 'Pin'} “${item.title}”`}
                />
                <PostButton action={act} csrf={csrf} fields={{ op: 'exclude' }} label="Exclude" class="sm danger" ariaLabel={`Exclude “${item.title}”`} />
              </>
            )}
          </div>
        ) : null}
        {editable && !item.excluded ? (
          <details class="edit">
            <summary>Edit title and blurb</summary>
            <form method="post" action={`${act}/text`} style="margin-top:10px">
              <CsrfField token={csrf} />
              <div class="field">
                <label for={`t-${item.id}`}>Title</label>
                <input id={`t-${item.id}`} type="text" name="title" value={item.titleOverride ?? ''} placeholder={item.event.title} maxlength={300} />
              </div>
              <div class="field">
                <label for={`b-${item.id}`}>Blurb</label>
                <textarea id={`b-${item.id}`} name="blurb" rows={3} maxlength={1000} placeholder={item.event.whyItMatters ?? item.event.summary ?? ''}>
                  {item.blurbOverride ?? ''}
                </textarea>
                <div class="help">Leave a field empty to use the aggregator's text.</div>
              </div>
              <button class="btn sm primary" type="submit">
                Save story
              </button>
            </form>
          </details>
        ) : null}
      </div>
    </li>
  );
}

export async function curatePage(c: Context<EditorEnv>, deps: Deps, id: string) {
  const view = await getIssueView(deps, id);
  const pool = await getIssuePool(deps, view);
  const lead = new Set(pool.leadIds);
  const csrf = c.get('session')!.csrfToken;
  const tz = deps.config.tz;
  const editable = EDITABLE_STATUSES.includes(view.status);
  const included = view.items.filter((i) => !i.excluded);
  const excluded = view.items.filter((i) => i.excluded);
  const maxScore = Math.max(0.0001, ...view.items.map((i) => i.scoreBreakdown.total ?? i.score));
  const q = (c.req.query('q') ?? '').trim().slice(0, 100);
  const { start, end } = weekWindow(view.week, tz);
  const inIssue = new Set(view.items.filter((i) => !i.excluded).flatMap((i) => [i.event.id, ...i.mergedEventIds]));
  const found = editable
    ? (await searchEventsBetween(deps.db, start.toISOString(), end.toISOString(), q, 40)).filter((e) => !inIssue.has(e.id)).slice(0, 12)
    : [];
  const base = `/editor/issues/${view.id}`;
  const clicks = await clickStatsFor(deps, view);

  return renderPage(
    c,
    deps,
    issueHeader(view),
    <>
      <IssueTabs view={view} tab="curate" />
      <ReadOnlyNote view={view} />
      <IssueClicksCard stats={clicks} />
      <div class="split">
        <div>
          <div class="toolbar" style="justify-content:space-between">
            <div class="small muted">
              <strong style="color:var(--ink)">{included.length} stories</strong> in this issue · built {relativeTime(view.builtAt, deps.clock.now())}
              {editable ? ' · drag or use the arrows to reorder' : ''}
            </div>
            <div class="legend small muted" aria-hidden="true">
              {PARTS.map(([, label, color]) => (
                <span>
                  <i style={`background:${color}`}></i>
                  {label}
                </span>
              ))}
            </div>
          </div>
          {included.length ? (
            <ol class="items" aria-label="Stories in this issue" data-sortable={editable ? `${base}/order` : undefined}>
              {included.map((item, i) => (
                <ItemCard
                  view={view}
                  item={item}
                  index={i}
                  count={included.length}
                  editable={editable}
                  csrf={csrf}
                  maxScore={maxScore}
                  tz={tz}
                  lead={lead.has(item.event.id)}
                />
              ))}
            </ol>
          ) : (
            <div class="card">
              <Empty title="No stories selected">Rebuild from the latest events or add events from the search.</Empty>
            </div>
          )}
          {excluded.length ? (
            <>
              <h2 style="margin:24px 0 10px">
                Excluded <span class="muted small">({excluded.length}) · kept out on every rebuild</span>
              </h2>
              <ul class="items" aria-label="Excluded stories">
                {excluded.map((item, i) => (
                  <ItemCard view={view} item={item} index={i} count={excluded.length} editable={editable} csrf={csrf} maxScore={maxScore} tz={tz} />
                ))}
              </ul>
            </>
          ) : null}
          {pool.pool.length ? <PoolTable pool={pool} /> : null}
        </div>

        <aside>
          <section class="card" aria-labelledby="texts">
            <h2 id="texts">Subject, preheader and intro</h2>
            <form method="post" action={`${base}/text`}>
              <CsrfField token={csrf} />
              <fieldset disabled={!editable} style="border:0;padding:0;margin:0">
                <div class="field">
                  <label for="subject">Subject</label>
                  <input id="subject" type="text" name="subject" maxlength={200} value={view.subjectIsDefault ? '' : view.subject} placeholder={view.subject} />
                  <div class="help">
                    {view.subjectIsDefault ? 'Using the generated subject. Type to replace it.' : 'Your subject. Empty it to go back to the generated one.'}
                  </div>
                </div>
                <div class="field">
                  <label for="preheader">Preheader</label>
                  <input
                    id="preheader"
                    type="text"
                    name="preheader"
                    maxlength={250}
                    value={view.preheaderIsDefault ? '' : view.preheader}
                    placeholder={view.preheader}
                  />
                  <div class="help">The grey line inboxes show after the subject.</div>
                </div>
                <div class="field">
                  <label for="intro">
                    Intro <span class="muted small">(Markdown)</span>
                  </label>
                  <textarea
                    id="intro"
                    name="intro"
                    rows={6}
                    maxlength={5000}
                    placeholder="A few lines from the editor. **bold**, _italic_, [links](https://…) and lists work."
                  >
                    {view.intro ?? ''}
                  </textarea>
                </div>
                {view.intro ? (
                  <div class="field">
                    <div class="small muted" style="margin-bottom:4px">
                      Intro as readers will see it
                    </div>
                    <div class="intro-preview">{raw(md.render(view.intro))}</div>
                  </div>
                ) : null}
                <fieldset class="field" style="border:0;padding:0;margin:0 0 14px">
                  <legend style="font-weight:600;font-size:13px;margin-bottom:6px;color:var(--ink-2)">Template engine</legend>
                  <div class="radio-row">
                    <label>
                      <input type="radio" name="engine" value="react" checked={view.engine === 'react'} /> React Email
                    </label>
                    <label>
                      <input type="radio" name="engine" value="mjml" checked={view.engine === 'mjml'} /> MJML
                    </label>
                  </div>
                </fieldset>
                <button class="btn primary" type="submit">
                  Save texts
                </button>
              </fieldset>
            </form>
          </section>

          {editable ? (
            <>
              <section class="card" aria-labelledby="rebuild">
                <h2 id="rebuild">Rebuild from the latest events</h2>
                <p class="small muted">Re-scores the week's events. Pinned, excluded, edited, added and manually placed stories are kept.</p>
                <PostButton action={`${base}/rebuild`} csrf={csrf} label="Rebuild draft" />
              </section>

              <section class="card" aria-labelledby="add">
                <h2 id="add">Add an event of the week</h2>
                <form method="get" action={base} class="row" role="search">
                  <div class="field" style="margin:0">
                    <label for="q" class="sr-only">
                      Search this week's events
                    </label>
                    <input id="q" type="search" name="q" value={q} placeholder="Search titles and sources" />
                  </div>
                  <button class="btn" type="submit">
                    Search
                  </button>
                </form>
                <ul style="list-style:none;padding:0;margin:12px 0 0" aria-label="Events you can add">
                  {found.length ? (
                    found.map((e) => (
                      <li style="display:flex;gap:10px;justify-content:space-between;align-items:flex-start;padding:8px 0;border-top:1px solid var(--line-2)">
                        <div>
                          <div style="font-weight:600;font-size:13px">{e.title}</div>
                          <div class="small muted">
                            {e.sourceName} · {fmtDate(e.publishedAt, tz)}
                          </div>
                        </div>
                        <PostButton action={`${base}/add`} csrf={csrf} fields={{ eventId: e.id }} label="Add" class="sm" ariaLabel={`Add “${e.title}”`} />
                      </li>
                    ))
                  ) : (
                    <li class="small muted">{q ? 'No other events match.' : 'Every event of the week is already in the issue.'}</li>
                  )}
                </ul>
              </section>
            </>
          ) : null}
        </aside>
      </div>
    </>,
  );
}

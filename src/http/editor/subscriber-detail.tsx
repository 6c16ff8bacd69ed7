/** @jsxImportSource hono/jsx */
// One subscriber: profile, consent history, deliveries, and a manual unsubscribe.
import { Hono } from 'hono';
import { recordAudit } from '../../core/editors/audit.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { TOPIC_LABELS } from '../../shared/topics.js';
import { unsubscribeSubscriber } from '../../core/subscribers/unsubscribe.js';
import { getSubscriberById, listConsents, listSubscriberDeliveries } from '../../db/repos/editor-subscribers.js';
import { fmtDateTime } from './format.js';
import { redirectWith } from './flash.js';
import { Badge, Empty, PostButton, renderPage } from './layout.js';
import type { EditorEnv } from './session.js';
import { topicsOf } from './subscriber-csv.js';

export function subscriberDetailRoutes(deps: Deps) {
  const app = new Hono<EditorEnv>();
  const tz = deps.config.tz;
  const requireSubscriber = async (id: string) => {
    const sub = await getSubscriberById(deps.db, Number(id));
    if (!sub) throw new AppError('not_found', `There is no subscriber #${id}.`);
    return sub;
  };

  app.get('/subscribers/:id{[0-9]+}', async (c) => {
    const sub = await requireSubscriber(c.req.param('id'));
    const consents = await listConsents(deps.db, sub.id);
    const deliveries = await listSubscriberDeliveries(deps.db, sub.id);
    const csrf = c.get('session')!.csrfToken;
    return renderPage(
      c,
      deps,
      {
        title: sub.email ?? '(erased subscriber)',
        section: 'subscribers',
        crumbs: [['Subscribers', '/editor/subscribers'], [`#${sub.id}`]],
        subtitle: <Badge status={sub.status} />,
        actions:
          sub.status === 'active' || sub.status === 'pending' ? (
            <PostButton action={`/editor/subscribers/${sub.id}/unsubscribe`} csrf={csrf} label="Unsubscribe" class="danger" />
          ) : null,
      },
      <div class="grid g2">
        <section class="card" aria-labelledby="profile-h">
          <h2 id="profile-h">Profile</h2>
          <dl class="kv">
            <dt>Name</dt>
            <dd>{sub.name ?? '—'}</dd>
            <dt>Topics</dt>
            <dd>
              {topicsOf(sub.topics)
                .map((t) => TOPIC_LABELS[t as keyof typeof TOPIC_LABELS] ?? t)
                .join(', ') || 'All topics'}
            </dd>
            <dt>Source</dt>
            <dd>{sub.source ?? '—'}</dd>
            <dt>Joined</dt>
            <dd>{fmtDateTime(sub.created_at, tz)}</dd>
            <dt>Confirmed</dt>
            <dd>{fmtDateTime(sub.confirmed_at, tz)}</dd>
            <dt>Unsubscribed</dt>
            <dd>{fmtDateTime(sub.unsubscribed_at, tz)}</dd>
            <dt>Paused until</dt>
            <dd>{fmtDateTime(sub.paused_until, tz)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="consent-h">
          <h2 id="consent-h">Consent history</h2>
          {consents.length ? (
            <ol class="timeline">
              {consents.map((k) => (
                <li>
                  <strong>{k.action}</strong> <span class="muted">via {k.source}</span>
                  <div class="small muted">
                    {fmtDateTime(k.created_at, tz)}
                    {k.form_version ? ` · form ${k.form_version}` : ''}
                    {k.user_agent ? ` · ${k.user_agent.slice(0, 60)}` : ''}
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <Empty title="No consent records" />
          )}
        </section>
        <section class="card card-flush" style="grid-column:1/-1" aria-labelledby="deliveries-h">
          <h2 id="deliveries-h">Deliveries</h2>
          {deliveries.length ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Mail</th>
                    <th scope="col">Status</th>
                    <th scope="col">Queued</th>
                    <th scope="col">Sent</th>
                    <th scope="col">Last event</th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((d) => (
                    <tr>
                      <td>
                        {d.kind}
                        {d.issue_id ? (
                          <>
                            {' '}
                            · <a href={`/editor/issues/${d.issue_id}/send`}>{d.issue_id}</a>
                          </>
                        ) : null}
                        {d.error ? <div class="small muted">{d.error}</div> : null}
                      </td>
                      <td>
                        <Badge status={d.status} />
                      </td>
                      <td class="small nowrap">{fmtDateTime(d.created_at, tz)}</td>
                      <td class="small nowrap">{fmtDateTime(d.sent_at, tz)}</td>
                      <td class="small nowrap">{fmtDateTime(d.last_event_at, tz)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty title="Nothing sent to this address yet" />
          )}
        </section>
      </div>,
    );
  });

  app.post('/subscribers/:id{[0-9]+}/unsubscribe', async (c) => {
    const sub = await requireSubscriber(c.req.param('id'));
    const changed = await unsubscribeSubscriber(deps, sub, 'editor', { ip: null, userAgent: null });
    if (changed) await recordAudit(deps, c.get('actor'), { action: 'subscriber.unsubscribed', targetType: 'subscriber', targetId: sub.id });
    return redirectWith(
      c,
      `/editor/subscribers/${sub.id}`,
      'ok',
      changed ? 'Unsubscribed. No further recaps go to this address.' : 'This address was already off the list.',
    );
  });

  return app;
}

/** @jsxImportSource hono/jsx */
// Unsubscribe (GET shows a button, POST acts: RFC 8058 one-click or the button) and preferences
// (topics, pause, export by mail, erase). Every form is CSRF-checked; the one-click body needs no cookie.
import { Hono, type Context } from 'hono';
import type { Deps } from '../../core/deps.js';
import { TOPICS, type Topic } from '../../shared/topics.js';
import { mailSubscriberData } from '../../core/subscribers/export-mail.js';
import { eraseSubscriberData } from '../../core/subscribers/personal-data.js';
import { PAUSE_MAX_WEEKS, preferencesOf, savePreferences } from '../../core/subscribers/preferences.js';
import { clickConsentOf, setClickConsent } from '../../core/subscribers/click-consent.js';
import { maskEmail, resolveSubscriberLink, type ResolvedLink } from '../../core/subscribers/resolve-token.js';
import { resubscribeSubscriber, unsubscribeSubscriber } from '../../core/subscribers/unsubscribe.js';
import type { TokenPurpose } from '../../core/tokens.js';
import { subscriberLinks } from '../../core/tokens.js';
import type { SubscriberRow } from '../../db/schema.js';
import { CSRF_FIELD } from '../csrf-field.js';
import { checkCsrf, csrfToken } from './csrf.js';
import { sendPage, securityHeaders } from './layout.js';
import { allValues, firstValue, readForm, requestContext, smallBody } from './request.js';
import {
  ExportMailedPage,
  LinkProblemPage,
  linkProblemStatus,
  MessagePage,
  PersonalLinkHelpPage,
  PreferencesPage,
  UnsubscribedPage,
  UnsubscribePage,
} from './subscriber-pages.js';

export function subscriberRoutes(deps: Deps) {
  const app = new Hono();
  const { config } = deps;
  const postal = config.postalAddress;
  const csrfFor = (c: Context) => csrfToken(c, config.appSecret, config.publicUrl);

  async function resolve(c: Context, purpose: TokenPurpose): Promise<ResolvedLink> {
    return resolveSubscriberLink(deps, purpose, c.req.param('token') ?? '');
  }

  async function problemPage(c: Context, link: Extract<ResolvedLink, { ok: false }>, what: 'unsubscribe' | 'preferences') {
    return sendPage(c, <LinkProblemPage reason={link.reason} csrf={await csrfFor(c)} what={what} postalAddress={postal} />, {
      status: linkProblemStatus(link.reason),
      personal: true,
    });
  }

  async function expiredForm(c: Context, backTo: string) {
    return sendPage(
      c,
      <MessagePage title="Please try again" postalAddress={postal}>
        <p>For your security, forms on this site only work from a page opened in this browser. Nothing was changed.</p>
        <p>
          <a class="button" href={backTo}>
            Go back and try again
          </a>
        </p>
      </MessagePage>,
      { status: 403, personal: true },
    );
  }

  const linksOf = (sub: SubscriberRow) => subscriberLinks(config.appSecret, config.publicUrl, sub.public_id);
  const tokenPath = (c: Context, base: string) => `${base}/${encodeURIComponent(c.req.param('token') ?? '')}`;

  app.get('/unsubscribe', (c) => sendPage(c, <PersonalLinkHelpPage what="unsubscribe" postalAddress={postal} />));
  app.get('/preferences', (c) => sendPage(c, <PersonalLinkHelpPage what="preferences" postalAddress={postal} />));

  app.get('/unsubscribe/:token', async (c) => {
    const link = await resolve(c, 'unsubscribe');
    if (!link.ok) return problemPage(c, link, 'unsubscribe');
    const sub = link.subscriber;
    const action = tokenPath(c, '/unsubscribe');
    return sendPage(
      c,
      <UnsubscribePage
        maskedEmail={maskEmail(sub.email!)}
        csrf={await csrfFor(c)}
        action={action}
        resubscribeAction={`${action}/resubscribe`}
        alreadyOff={sub.status !== 'active' && sub.status !== 'pending'}
        preferencesUrl={(await linksOf(sub)).preferencesUrl}
        postalAddress={postal}
      />,
      { personal: true },
    );
  });

  app.post('/unsubscribe/:token', smallBody(), async (c) => {
    const form = (await readForm(c)) ?? {};
    const oneClick = firstValue(form['List-Unsubscribe']) === 'One-Click';
    const link = await resolve(c, 'unsubscribe');
    if (oneClick) {
      // RFC 8058: the mail client posts on the reader's behalf, with no cookies and no page.
      securityHeaders(c, true);
      if (!link.ok) return c.text('This unsubscribe link is not valid.', link.reason === 'unknown' ? 404 : 400);
      await unsubscribeSubscriber(deps, link.subscriber, 'one-click', requestContext(c, config));
      return c.text('You are unsubscribed.', 200);
    }
    if (!link.ok) return problemPage(c, link, 'unsubscribe');
    const action = tokenPath(c, '/unsubscribe');
    if (!(await checkCsrf(c, config.appSecret, config.publicUrl, form[CSRF_FIELD])).ok) return expiredForm(c, action);
    const changed = await unsubscribeSubscriber(deps, link.subscriber, 'unsubscribe-page', requestContext(c, config));
    return sendPage(
      c,
      <UnsubscribedPage
        maskedEmail={maskEmail(link.subscriber.email!)}
        csrf={await csrfFor(c)}
        changed={changed}
        resubscribeAction={`${action}/resubscribe`}
        canResubscribe={link.subscriber.confirmed_at !== null}
        postalAddress={postal}
      />,
      { personal: true },
    );
  });

  for (const purpose of ['unsubscribe', 'preferences'] as const) {
    app.post(`/${purpose}/:token/resubscribe`, smallBody(), async (c) => {
      const link = await resolve(c, purpose);
      if (!link.ok) return problemPage(c, link, purpose);
      const back = tokenPath(c, `/${purpose}`);
      const form = (await readForm(c)) ?? {};
      if (!(await checkCsrf(c, config.appSecret, config.publicUrl, form[CSRF_FIELD])).ok) return expiredForm(c, back);
      const back2 = await resubscribeSubscriber(
        deps,
        link.subscriber,
        purpose === 'unsubscribe' ? 'unsubscribe-page' : 'preferences-page',
        requestContext(c, config),
      );
      const prefs = (await linksOf(link.subscriber)).preferencesUrl;
      return sendPage(
        c,
        <MessagePage title={back2 || link.subscriber.status === 'active' ? 'Welcome back' : 'Please sign up again'} postalAddress={postal}>
          {back2 || link.subscriber.status === 'active' ? (
            <p class="alert ok" role="status">
              You are subscribed again. The next recap will find you.
            </p>
          ) : (
            <p>
              This address cannot be resubscribed from here. Please <a href="/">sign up again</a>; we will send a confirmation link.
            </p>
          )}
          <p>
            <a href={prefs}>Choose topics or pause instead</a>
          </p>
        </MessagePage>,
        { personal: true },
      );
    });
  }

  app.get('/preferences/:token', async (c) => {
    const link = await resolve(c, 'preferences');
    if (!link.ok) return problemPage(c, link, 'preferences');
    return preferencesPage(c, link.subscriber, { saved: c.req.query('saved') === '1' });
  });

  async function preferencesPage(c: Context, sub: SubscriberRow, opts: { saved?: boolean; problem?: string; status?: 200 | 422 }) {
    return sendPage(
      c,
      <PreferencesPage
        maskedEmail={maskEmail(sub.email!)}
        csrf={await csrfFor(c)}
        base={tokenPath(c, '/preferences')}
        prefs={preferencesOf(sub, deps.clock.now())}
        clickConsent={await clickConsentOf(deps.db, sub.id)}
        tracking={config.tracking}
        saved={opts.saved}
        problem={opts.problem}
        unsubscribeUrl={(await linksOf(sub)).unsubscribeUrl}
        postalAddress={postal}
      />,
      { personal: true, status: opts.status ?? 200 },
    );
  }

  app.post('/preferences/:token', smallBody(), async (c) => {
    const link = await resolve(c, 'preferences');
    if (!link.ok) return problemPage(c, link, 'preferences');
    const base = tokenPath(c, '/preferences');
    const form = await readForm(c);
    if (!form || !(await checkCsrf(c, config.appSecret, config.publicUrl, form[CSRF_FIELD])).ok) return expiredForm(c, base);
    const topics = allValues(form.topics);
    const pause = firstValue(form.pause) ?? 'keep';
    const weeks = pause === 'keep' ? undefined : Number(pause);
    const badTopic = topics.find((t) => !(TOPICS as readonly string[]).includes(t));
    if (badTopic !== undefined || (weeks !== undefined && (!Number.isInteger(weeks) || weeks < 0 || weeks > PAUSE_MAX_WEEKS))) {
      return preferencesPage(c, link.subscriber, { problem: 'Those choices could not be saved: pick topics and a pause from the lists.', status: 422 });
    }
    await savePreferences(deps, link.subscriber, { topics: topics as Topic[], pauseWeeks: weeks }, requestContext(c, config));
    // only a form that showed the box may withdraw by leaving it unticked
    if (firstValue(form.clicksShown) === '1') {
      await setClickConsent(deps, link.subscriber.id, firstValue(form.clicks) === 'yes', 'preferences-page', requestContext(c, config));
    }
    return c.redirect(`${base}?saved=1`, 303);
  });

  app.post('/preferences/:token/export', smallBody(), async (c) => {
    const link = await resolve(c, 'preferences');
    if (!link.ok) return problemPage(c, link, 'preferences');
    const form = await readForm(c);
    if (!form || !(await checkCsrf(c, config.appSecret, config.publicUrl, form[CSRF_FIELD])).ok) return expiredForm(c, tokenPath(c, '/preferences'));
    // Mailed to the reader's own address: the holder of a forwarded link sees only where it went, masked.
    const r = await mailSubscriberData(deps, link.subscriber);
    if (!r.ok) c.header('Retry-After', String(r.retryAfterSec));
    return sendPage(c, <ExportMailedPage {...r} preferencesUrl={tokenPath(c, '/preferences')} postalAddress={postal} />, {
      status: r.ok ? 202 : 429,
      personal: true,
    });
  });

  app.post('/preferences/:token/erase', smallBody(), async (c) => {
    const link = await resolve(c, 'preferences');
    if (!link.ok) return problemPage(c, link, 'preferences');
    const form = await readForm(c);
    if (!form || !(await checkCsrf(c, config.appSecret, config.publicUrl, form[CSRF_FIELD])).ok) return expiredForm(c, tokenPath(c, '/preferences'));
    if (firstValue(form.confirm) !== 'yes') {
      return preferencesPage(c, link.subscriber, { problem: 'Tick "I understand" to erase your data. Nothing was erased.', status: 422 });
    }
    await eraseSubscriberData(deps, link.subscriber);
    return sendPage(
      c,
      <MessagePage title="Your data is erased" postalAddress={postal}>
        <p class="alert ok" role="status">
          Your address, name, topics and history are gone. Only a one-way hash of the address remains, so it is never mailed again.
        </p>
        <p>
          Changed your mind later? You can always <a href="/">subscribe again</a>.
        </p>
      </MessagePage>,
      { personal: true },
    );
  });

  return app;
}

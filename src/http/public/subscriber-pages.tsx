/** @jsxImportSource hono/jsx */
// Pages reached from links in mails: confirmation, link problems, unsubscribe, preferences, erasure.
import type { Child } from 'hono/jsx';
import { TOPIC_LABELS, TOPICS } from '../../shared/topics.js';
import { PAUSE_CHOICES, type PreferencesView } from '../../core/subscribers/preferences.js';
import type { LinkProblem } from '../../core/subscribers/resolve-token.js';
import { SIGNUP_FORM_VERSION } from '../../core/subscribers/signup-input.js';
import { CsrfField } from '../csrf-field.js';
import { BRAND, Layout } from './layout.js';
import { ClickConsentField } from './click-consent-field.js';

interface Base {
  postalAddress: string;
}

export function MessagePage(p: Base & { title: string; children?: Child }) {
  return (
    <Layout title={p.title} postalAddress={p.postalAddress}>
      <h1>{p.title}</h1>
      <div class="card">{p.children}</div>
    </Layout>
  );
}

/** The confirmation link's page: one button, so a mail scanner that fetches the link confirms nothing. */
export function ConfirmPage(p: Base & { maskedEmail: string; csrf: string; action: string; notice?: string }) {
  return (
    <MessagePage title="Confirm your subscription" postalAddress={p.postalAddress}>
      {p.notice ? (
        <p class="alert error" role="alert">
          {p.notice}
        </p>
      ) : null}
      <p>
        Send the {BRAND} to <strong>{p.maskedEmail}</strong>? One mail a week; every mail has a one-click unsubscribe link.
      </p>
      <form method="post" action={p.action}>
        <CsrfField token={p.csrf} />
        <button class="button" type="submit">
          Confirm my subscription
        </button>
      </form>
    </MessagePage>
  );
}

export function ConfirmedPage(p: Base & { already: boolean; preferencesUrl: string; latestIssueUrl: string | null }) {
  return (
    <MessagePage title={p.already ? 'You are already subscribed' : 'You are subscribed'} postalAddress={p.postalAddress}>
      <p class="alert ok" role="status">
        {p.already
          ? 'This address was confirmed before: nothing more to do.'
          : `Thanks for confirming. A welcome mail is on its way, and the ${BRAND} arrives every week.`}
      </p>
      <div class="actions">
        {p.latestIssueUrl ? (
          <a class="button" href={p.latestIssueUrl}>
            Read the latest issue
          </a>
        ) : (
          <a class="button" href="/archive">
            Browse the archive
          </a>
        )}
        <a class="button secondary" href={p.preferencesUrl}>
          Choose topics
        </a>
      </div>
    </MessagePage>
  );
}

const PROBLEM_TEXT: Record<LinkProblem, { title: string; body: string }> = {
  expired: { title: 'This link has expired', body: 'Confirmation links work for 7 days. Enter your address and we will send a fresh one.' },
  stale: {
    title: 'This link is out of date',
    body: 'You unsubscribed after this link was sent, so it no longer works. Enter your address to get a fresh one.',
  },
  forged: {
    title: 'This link is not valid',
    body: 'The link may have been cut off or changed when it was copied. Enter your address and we will send a new one.',
  },
  malformed: {
    title: 'This link is not valid',
    body: 'The link may have been cut off or changed when it was copied. Enter your address and we will send a new one.',
  },
  wrong_purpose: { title: 'This link is not valid', body: 'This link belongs somewhere else. Enter your address and we will send a new one.' },
  suppressed: {
    title: 'This address cannot get the recap',
    body: 'Mail to this address bounced or was reported as spam, so we no longer send to it. You are welcome to sign up with another address.',
  },
  unknown: {
    title: 'This link no longer works',
    body: 'The subscription it belonged to does not exist any more (perhaps its data was erased). You are welcome to sign up again.',
  },
};

export function linkProblemStatus(reason: LinkProblem): 400 | 404 | 410 {
  return reason === 'expired' || reason === 'stale' || reason === 'suppressed' ? 410 : reason === 'unknown' ? 404 : 400;
}

/** A friendly dead end with a way out: a small form that asks for a new link. */
export function LinkProblemPage(p: Base & { reason: LinkProblem; csrf: string; what: 'confirm' | 'unsubscribe' | 'preferences' }) {
  const text = PROBLEM_TEXT[p.reason];
  return (
    <MessagePage title={text.title} postalAddress={p.postalAddress}>
      <p>{text.body}</p>
      {p.what !== 'confirm' ? <p>To unsubscribe or change settings, use the links at the bottom of any recent {BRAND} mail.</p> : null}
      <form method="post" action="/subscribe">
        <CsrfField token={p.csrf} />
        <input type="hidden" name="formVersion" value={SIGNUP_FORM_VERSION} />
        <div class="field">
          <label for="email">Email address</label>
          <input id="email" name="email" type="email" inputmode="email" autocomplete="email" required maxlength={254} />
        </div>
        <div class="hp" aria-hidden="true">
          <label for="website">Leave this field empty</label>
          <input id="website" name="website" type="text" tabindex={-1} autocomplete="off" />
        </div>
        <button class="button" type="submit">
          Send me a new link
        </button>
      </form>
    </MessagePage>
  );
}

/** Where the web archive's neutral "unsubscribe" and "preferences" links lead. */
export function PersonalLinkHelpPage(p: Base & { what: 'unsubscribe' | 'preferences' }) {
  return (
    <MessagePage title={p.what === 'unsubscribe' ? 'Unsubscribe' : 'Your preferences'} postalAddress={p.postalAddress}>
      <p>
        Every {BRAND} mail ends with your own links to{' '}
        {p.what === 'unsubscribe' ? 'unsubscribe in one click' : 'change topics, pause, export or erase your data'}. Open the most recent one and use the link
        at the bottom.
      </p>
      <p>
        Not subscribed yet? <a href="/">Subscribe here</a>.
      </p>
    </MessagePage>
  );
}

export function UnsubscribePage(
  p: Base & { maskedEmail: string; csrf: string; action: string; alreadyOff: boolean; resubscribeAction: string; preferencesUrl: string },
) {
  if (p.alreadyOff) return <UnsubscribedPage {...p} changed={false} />;
  return (
    <MessagePage title="Unsubscribe?" postalAddress={p.postalAddress}>
      <p>
        Stop sending the {BRAND} to <strong>{p.maskedEmail}</strong>?
      </p>
      <form method="post" action={p.action}>
        <CsrfField token={p.csrf} />
        <div class="actions">
          <button class="button" type="submit">
            Unsubscribe
          </button>
          <a class="button secondary" href={p.preferencesUrl}>
            Fewer topics or a pause instead
          </a>
        </div>
      </form>
    </MessagePage>
  );
}

export function UnsubscribedPage(p: Base & { maskedEmail: string; csrf: string; changed: boolean; resubscribeAction: string; canResubscribe?: boolean }) {
  return (
    <MessagePage title="You are unsubscribed" postalAddress={p.postalAddress}>
      <p class="alert ok" role="status">
        {p.changed ? `Done: ${p.maskedEmail} will get no more recaps.` : `${p.maskedEmail} is not on the list: no recaps will be sent to it.`}
      </p>
      {p.canResubscribe !== false ? (
        <form method="post" action={p.resubscribeAction}>
          <CsrfField token={p.csrf} />
          <p>Unsubscribed by mistake?</p>
          <button class="button secondary" type="submit">
            Resubscribe
          </button>
        </form>
      ) : null}
    </MessagePage>
  );
}

/** After "Email me my data": where it went (masked), or that one is already on its way. */
export function ExportMailedPage(p: Base & { ok: boolean; maskedEmail: string; retryAfterSec?: number; preferencesUrl: string }) {
  const minutes = Math.max(1, Math.ceil((p.retryAfterSec ?? 0) / 60));
  return (
    <MessagePage title={p.ok ? 'Check your inbox' : 'Your data is on its way'} postalAddress={p.postalAddress}>
      {p.ok ? (
        <p class="alert ok" role="status">
          We've sent your data to <strong>{p.maskedEmail}</strong>; it arrives within a few minutes.
        </p>
      ) : (
        <p class="alert ok" role="status">
          We sent your data to <strong>{p.maskedEmail}</strong> a few minutes ago; it arrives within a few minutes (look in spam too). To keep this link from
          flooding your inbox, you can ask again in {minutes} minute{minutes === 1 ? '' : 's'}.
        </p>
      )}
      <p>The mail holds a summary and the complete export as JSON. Only that address gets it, whoever presses the button.</p>
      <p>
        <a href={p.preferencesUrl}>Back to your preferences</a>
      </p>
    </MessagePage>
  );
}

export interface PreferencesPageProps extends Base {
  maskedEmail: string;
  csrf: string;
  base: string; // /preferences/:token
  prefs: PreferencesView;
  saved?: boolean;
  unsubscribeUrl: string;
  problem?: string | null;
  /** The reader's current click-measurement consent, and what this deployment measures (TRACKING). */
  clickConsent?: boolean;
  tracking?: 'off' | 'aggregate' | 'reader';
}

export function PreferencesPage(p: PreferencesPageProps) {
  const chosen = new Set<string>(p.prefs.topics);
  const off = p.prefs.status !== 'active' && p.prefs.status !== 'pending';
  return (
    <Layout title="Your preferences" postalAddress={p.postalAddress}>
      <h1>Your preferences</h1>
      <p>
        For <strong>{p.maskedEmail}</strong>.
      </p>
      {p.saved ? (
        <p class="alert ok" role="status">
          Your preferences are saved.
        </p>
      ) : null}
      {p.problem ? (
        <p class="alert error" role="alert">
          {p.problem}
        </p>
      ) : null}
      {off ? (
        <section class="card" aria-labelledby="status-heading">
          <h2 id="status-heading">You are not receiving the recap</h2>
          <form method="post" action={`${p.base}/resubscribe`}>
            <CsrfField token={p.csrf} />
            <p>This address is unsubscribed.</p>
            <button class="button" type="submit">
              Resubscribe
            </button>
          </form>
        </section>
      ) : null}
      <section class="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">What you get</h2>
        <form method="post" action={p.base}>
          <CsrfField token={p.csrf} />
          <fieldset aria-describedby="topics-hint">
            <legend>Topics</legend>
            <span id="topics-hint" class="hint">
              None ticked means everything. With topics picked, your recap leads with the editor's top stories, then picks from these topics. Changes apply from
              the next issue.
            </span>
            <div class="topics">
              {TOPICS.map((t) => (
                <label class="check">
                  <input type="checkbox" name="topics" value={t} checked={chosen.has(t)} />
                  {TOPIC_LABELS[t]}
                </label>
              ))}
            </div>
          </fieldset>
          <div class="field">
            <label for="pause">
              Pause <span class="hint">{p.prefs.pausedUntil ? `Paused until ${formatDay(p.prefs.pausedUntil)}.` : 'Take a break without unsubscribing.'}</span>
            </label>
            <select id="pause" name="pause">
              <option value="keep" selected>
                {p.prefs.pausedUntil ? 'Keep the current pause' : 'No pause'}
              </option>
              {p.prefs.pausedUntil ? <option value="0">Resume now</option> : null}
              {PAUSE_CHOICES.map((w) => (
                <option value={String(w)}>{`Pause for ${w} week${w === 1 ? '' : 's'}`}</option>
              ))}
            </select>
          </div>
          <ClickConsentField checked={p.clickConsent ?? false} tracking={p.tracking ?? 'aggregate'} />
          <button class="button" type="submit">
            Save preferences
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="data-heading">
        <h2 id="data-heading">Your data</h2>
        <form method="post" action={`${p.base}/export`}>
          <CsrfField token={p.csrf} />
          <p>
            We will mail everything we store about you to <strong>{p.maskedEmail}</strong>: your subscription, consent records and the mails sent to you, as a
            summary and as JSON. Only that address gets it.
          </p>
          <button class="button secondary" type="submit">
            Email me my data
          </button>
        </form>
        <hr />
        <form method="post" action={`${p.base}/erase`}>
          <CsrfField token={p.csrf} />
          <p>
            Erasing removes your address, name, topics and history. We keep only a one-way hash of the address so it is never mailed again, unless you sign up
            anew. This cannot be undone.
          </p>
          <label class="check">
            <input type="checkbox" name="confirm" value="yes" required />I understand: erase my data
          </label>
          <div class="actions">
            <button class="button danger" type="submit">
              Erase my data
            </button>
          </div>
        </form>
      </section>
      {!off ? (
        <p>
          Want no mail at all? <a href={p.unsubscribeUrl}>Unsubscribe</a>.
        </p>
      ) : null}
    </Layout>
  );
}

export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** @jsxImportSource hono/jsx */
// The signup page (works without JavaScript; src/http/assets/signup.js enhances it) and the "check your inbox" answer.
import type { HeadlineSample } from '../../core/subscribers/archive.js';
import { SIGNUP_FORM_VERSION } from '../../core/subscribers/signup-input.js';
import { TOPIC_LABELS, TOPICS, type Topic } from '../../shared/topics.js';
import { assetUrl } from '../assets/asset-routes.js';
import { CsrfField } from '../csrf-field.js';
import { BRAND, Layout } from './layout.js';
import { ClickConsentField } from './click-consent-field.js';

export interface SignupValues {
  email?: string;
  name?: string;
  topics?: string[];
  clickMeasurement?: boolean;
}

export interface FormProblem {
  field: 'email' | 'name' | 'topics' | 'formVersion' | 'body';
  message: string;
}

export interface SignupPageProps {
  csrf: string;
  values?: SignupValues;
  problem?: FormProblem | null;
  notice?: string | null;
  sample: HeadlineSample | null;
  postalAddress: string;
  /** TRACKING, for the click-measurement checkbox's wording. */
  tracking?: 'off' | 'aggregate' | 'reader';
}

export function SignupPage(p: SignupPageProps) {
  return (
    <Layout title={BRAND} current="home" postalAddress={p.postalAddress} description="The AI stories that mattered this week, in one short email.">
      <h1>The AI stories that mattered this week, in one short email.</h1>
      <p class="lede">
        Every week we read the week's AI news from hundreds of sources and send you the ten stories worth your time: what happened, and a line on why it
        matters. Free, no ads, leave with one click.
      </p>
      <section class="card" aria-labelledby="signup-heading">
        <h2 id="signup-heading">Subscribe</h2>
        <SignupForm {...p} />
      </section>
      <Headlines sample={p.sample} />
      <p>
        <a href="/archive">Read past issues in the archive</a> or follow the <a href="/feed.xml">Atom feed</a>.
      </p>
      <script src={assetUrl('signup.js')} defer></script>
    </Layout>
  );
}

function SignupForm(p: SignupPageProps) {
  const v = p.values ?? {};
  const chosen = new Set(v.topics ?? []);
  const emailProblem = p.problem && (p.problem.field === 'email' || p.problem.field === 'body') ? p.problem.message : '';
  const otherProblem = p.problem && !emailProblem ? p.problem.message : '';
  return (
    <form method="post" action="/subscribe" data-signup data-api="/api/subscribe">
      {p.problem ? (
        <div class="alert error" role="alert" id="form-problem">
          {`There is a problem: ${sentence(p.problem.message)}`}
        </div>
      ) : null}
      {p.notice ? (
        <div class="alert error" role="alert">
          {p.notice}
        </div>
      ) : null}
      <CsrfField token={p.csrf} />
      <input type="hidden" name="formVersion" value={SIGNUP_FORM_VERSION} />
      <div class="field">
        <label for="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          inputmode="email"
          autocomplete="email"
          required
          maxlength={254}
          value={v.email ?? ''}
          aria-describedby="email-error"
          aria-invalid={emailProblem ? 'true' : undefined}
          autofocus={emailProblem ? true : undefined}
        />
        <p id="email-error" class="error-text">
          {emailProblem ? sentence(emailProblem) : ''}
        </p>
      </div>
      <div class="field">
        <label for="name">
          First name <span class="hint">Optional, so we can say hello.</span>
        </label>
        <input id="name" name="name" type="text" autocomplete="given-name" maxlength={100} value={v.name ?? ''} />
      </div>
      <fieldset aria-describedby="topics-hint">
        <legend>Topics you care about</legend>
        <span id="topics-hint" class="hint">
          Optional. Leave all unticked to get everything; you can change this later.
        </span>
        <div class="topics">
          {TOPICS.map((t) => (
            <label class="check">
              <input type="checkbox" name="topics" value={t} checked={chosen.has(t)} />
              {TOPIC_LABELS[t as Topic]}
            </label>
          ))}
        </div>
        {otherProblem ? <p class="error-text">{sentence(otherProblem)}</p> : null}
      </fieldset>
      <ClickConsentField checked={v.clickMeasurement ?? false} tracking={p.tracking ?? 'aggregate'} />
      <div class="hp" aria-hidden="true">
        <label for="website">Leave this field empty</label>
        <input id="website" name="website" type="text" tabindex={-1} autocomplete="off" />
      </div>
      <div class="actions">
        <button class="button" type="submit">
          Subscribe
        </button>
      </div>
      <p id="signup-status" class="status" role="status" aria-live="polite" tabindex={-1}></p>
      <p class="fine">
        We will send a confirmation link first: nothing arrives until you click it. We keep your address, name and topics, and a record of this signup (time, a
        hash of your IP address, your browser). Every mail has links to change topics, pause, export or erase your data, and unsubscribe.
      </p>
    </form>
  );
}

function Headlines({ sample }: { sample: HeadlineSample | null }) {
  if (!sample) return null;
  return (
    <section class="card" aria-labelledby="headlines-heading">
      <h2 id="headlines-heading">{sample.from === 'sent' ? "Last week's headlines" : "This week's picks so far"}</h2>
      <p class="meta">{sample.weekLabel}</p>
      <ol class="headlines">
        {sample.headlines.map((h) => (
          <li>
            <span>
              {h.url ? (
                <a href={h.url} rel="noopener noreferrer">
                  {h.title}
                </a>
              ) : (
                h.title
              )}
              <span class="source">{h.sourceName}</span>
            </span>
          </li>
        ))}
      </ol>
      {sample.issueUrl ? (
        <p class="more">
          <a href={sample.issueUrl}>Read the whole issue</a>
        </p>
      ) : null}
    </section>
  );
}

export function CheckInboxPage({ email, postalAddress }: { email: string; postalAddress: string }) {
  return (
    <Layout title="Check your inbox" postalAddress={postalAddress}>
      <h1>Check your inbox</h1>
      <div class="card">
        <p>
          If <strong>{email}</strong> can receive the {BRAND}, a confirmation link is on its way to it. Click the link to start your subscription; it works for
          7 days.
        </p>
        <p>Nothing there after a few minutes? Look in your spam folder, or sign up again in ten minutes for a new link.</p>
        <p class="actions">
          <a class="button secondary" href="/archive">
            Read past issues meanwhile
          </a>
        </p>
      </div>
    </Layout>
  );
}

export function sentence(message: string): string {
  const s = message.trim();
  if (!s) return s;
  const cap = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
}

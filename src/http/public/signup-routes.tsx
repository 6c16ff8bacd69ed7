/** @jsxImportSource hono/jsx */
// GET / (signup page), POST /subscribe (form), POST /api/subscribe (JSON, CORS), GET /confirm/:token (a button)
// and POST /confirm/:token (confirms).
// Every accepted signup gets the same answer, whatever was known about the address before.
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { sampleHeadlines } from '../../core/subscribers/archive.js';
import { confirmSubscription, viewConfirmLink } from '../../core/subscribers/confirm.js';
import type { LinkProblem } from '../../core/subscribers/resolve-token.js';
import { parseSignupBody, signupBodyFromForm, type SignupSource } from '../../core/subscribers/signup-input.js';
import type { SignupService } from '../../core/subscribers/signup.js';
import { errorBody, readJson } from '../errors.js';
import { clientLimitKey } from '../client-address.js';
import type { SignupLimiter } from '../signup-limiter.js';
import { CSRF_FIELD } from '../csrf-field.js';
import { checkCsrf, csrfToken, isSameOrigin, requestOrigin } from './csrf.js';
import { sendPage } from './layout.js';
import { allValues, firstValue, readForm, requestContext, smallBody, type FormBody } from './request.js';
import { CheckInboxPage, SignupPage, type FormProblem, type SignupValues } from './signup-page.js';
import { embedSnippet } from './embed-snippet.js';
import { ConfirmedPage, ConfirmPage, LinkProblemPage, linkProblemStatus, MessagePage } from './subscriber-pages.js';

// The answer depends on the Origin header (CORS), also when there was none.
const VARY_ORIGIN = { Vary: 'Origin' };

export const ACCEPTED_BODY = { ok: true, message: 'Check your inbox: if the address can receive mail, a confirmation link is on its way.' } as const;

export function signupRoutes(deps: Deps, signups: SignupService, limiter: SignupLimiter) {
  const app = new Hono();
  const { config } = deps;
  const postal = config.postalAddress;

  async function signupPage(
    c: Context,
    extra: { values?: SignupValues; problem?: FormProblem | null; notice?: string; status?: 200 | 403 | 413 | 422 | 429 | 400 },
  ) {
    const [csrf, sample] = await Promise.all([csrfToken(c, config.appSecret, config.publicUrl), sampleHeadlines(deps).catch(() => null)]);
    return sendPage(
      c,
      <SignupPage
        csrf={csrf}
        sample={sample}
        postalAddress={postal}
        tracking={deps.config.tracking}
        values={extra.values}
        problem={extra.problem}
        notice={extra.notice}
      />,
      {
        status: extra.status ?? 200,
      },
    );
  }

  function limited(c: Context): number | null {
    const r = limiter.take(clientLimitKey(requestContext(c, config).ip));
    if (r.ok) return null;
    c.header('Retry-After', String(r.retryAfterSec));
    return r.retryAfterSec;
  }

  app.get('/', (c) => signupPage(c, {}));

  app.get('/embed', (c) =>
    sendPage(
      c,
      <MessagePage title="Put the signup form on your site" postalAddress={postal}>
        <p>
          Paste this where the form should appear, and add your site's origin (for example <code>https://blog.example.org</code>) to <code>CORS_ORIGINS</code>.
          Without JavaScript the form still works: it opens this site, which asks for one more click.
        </p>
        {/* Focusable, so keyboard users can scroll the long lines. */}
        <pre tabindex={0} role="region" aria-label="Embed code">
          <code>{embedSnippet(config.publicUrl)}</code>
        </pre>
      </MessagePage>,
    ),
  );

  app.post('/subscribe', smallBody(), async (c) => {
    const form = await readForm(c);
    if (!form) return signupPage(c, { problem: { field: 'body', message: 'the form could not be read, please try again' }, status: 400 });
    const values = echoValues(form);
    const csrf = await checkCsrf(c, config.appSecret, config.publicUrl, form[CSRF_FIELD]);
    if (!csrf.ok) {
      return signupPage(c, { values, notice: 'For your security this form needs one more click: please press Subscribe again.', status: 403 });
    }
    const wait = limited(c);
    if (wait !== null) {
      return signupPage(c, { values, notice: `Too many signups from your network just now. Please try again in ${wait} seconds.`, status: 429 });
    }
    const parsed = parseSignupBody(signupBodyFromForm(form));
    if (!parsed.ok) return signupPage(c, { values, problem: { field: parsed.field, message: parsed.message }, status: 422 });
    if (!parsed.honeypot) await signups.submit(parsed.input, 'form', requestContext(c, config));
    return sendPage(c, <CheckInboxPage email={parsed.input.email} postalAddress={postal} />, { status: 202 });
  });

  const allowed = new Set(config.corsOrigins);
  const originAllowed = (origin: string | null) => origin !== null && (allowed.has('*') || allowed.has(origin));
  const corsHeaders = cors({
    origin: (origin) => (originAllowed(origin) ? origin : null),
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  });
  // Only a request with an Origin needs CORS headers. Skipping the middleware otherwise keeps server-to-server
  // signups on @hono/node-server's fast path: the middleware edits the finished response, which rebuilds it as a
  // full web Response (about a third of a signup's CPU here).
  const hasOrigin = (c: Context) => c.req.header('origin') !== undefined;
  app.use('/api/subscribe', (c, next) => (hasOrigin(c) ? corsHeaders(c, next) : next()));

  app.post('/api/subscribe', smallBody(), async (c) => {
    const sameOrigin = isSameOrigin(c, config.publicUrl);
    if (!sameOrigin && !originAllowed(requestOrigin(c))) {
      return c.json(errorBody('forbidden', 'this origin may not use the signup API (see CORS_ORIGINS)'), 403);
    }
    let body: unknown;
    try {
      body = await readJson(c);
    } catch (e) {
      if (e instanceof AppError) return c.json(errorBody(e.code, e.message), e.status as 400);
      throw e;
    }
    const wait = limited(c);
    if (wait !== null) return c.json(errorBody('rate_limited', `too many signups from this address; retry in ${wait} seconds`), 429);
    const parsed = parseSignupBody(body);
    if (!parsed.ok) return c.json(errorBody('validation_failed', parsed.message, { field: parsed.field }), 422);
    // Our own page's enhanced form arrives here too; it is still "the form" for the consent record.
    const source: SignupSource = sameOrigin && requestOrigin(c) !== null ? 'form' : 'api';
    if (!parsed.honeypot) await signups.submit(parsed.input, source, requestContext(c, config));
    return c.json(ACCEPTED_BODY, 202, hasOrigin(c) ? undefined : VARY_ORIGIN); // with an Origin the CORS middleware adds it
  });

  async function confirmProblem(c: Context, reason: LinkProblem) {
    const csrf = await csrfToken(c, config.appSecret, config.publicUrl);
    return sendPage(c, <LinkProblemPage reason={reason} csrf={csrf} what="confirm" postalAddress={postal} />, {
      status: linkProblemStatus(reason),
      personal: true,
    });
  }

  /** The link's page; changes nothing. `notice`: the button was pressed without this page's CSRF token. */
  async function confirmLinkPage(c: Context, notice?: string) {
    const view = await viewConfirmLink(deps, c.req.param('token') ?? '');
    if (!view.ok) return confirmProblem(c, view.reason);
    if (!('pending' in view)) return sendPage(c, <ConfirmedPage {...view} postalAddress={postal} />, { personal: true });
    const csrf = await csrfToken(c, config.appSecret, config.publicUrl);
    return sendPage(c, <ConfirmPage maskedEmail={view.maskedEmail} csrf={csrf} action={confirmPath(c)} notice={notice} postalAddress={postal} />, {
      status: notice ? 403 : 200,
      personal: true,
    });
  }

  // Mail scanners fetch (and HEAD) every link in a mail, so opening the link only shows the button.
  app.get('/confirm/:token', (c) => confirmLinkPage(c));

  app.post('/confirm/:token', smallBody(), async (c) => {
    const form = await readForm(c);
    if (!form || !(await checkCsrf(c, config.appSecret, config.publicUrl, form[CSRF_FIELD])).ok) {
      return confirmLinkPage(c, 'For your security this needs one more click: please press the button again.');
    }
    const result = await confirmSubscription(deps, c.req.param('token'), requestContext(c, config));
    if (!result.ok) return confirmProblem(c, result.reason);
    return sendPage(c, <ConfirmedPage {...result} postalAddress={postal} />, { personal: true });
  });

  return app;
}

const confirmPath = (c: Context) => `/confirm/${encodeURIComponent(c.req.param('token') ?? '')}`;

/** What the visitor typed, to put back in the form (the page escapes it). */
function echoValues(form: FormBody): SignupValues {
  const cut = (s: string | undefined, n: number) => (s ?? '').slice(0, n);
  return {
    email: cut(firstValue(form.email), 254),
    name: cut(firstValue(form.name), 100),
    topics: allValues(form.topics).slice(0, 20),
    clickMeasurement: firstValue(form.clicks) === 'yes',
  };
}

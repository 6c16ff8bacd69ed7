/** @jsxImportSource hono/jsx */
// The workspace shell (sidebar, page header, flash) and the small components every page shares.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Deps } from '../../core/deps.js';
import { mailOffWarning } from '../../mail/mail-off-warning.js';
import { assetUrl } from '../assets/asset-routes.js';
import { takeFlash } from './flash.js';
import type { EditorEnv } from './session.js';
import { CsrfField } from '../csrf-field.js';

type Section = 'dashboard' | 'issues' | 'subscribers' | 'audit' | 'mailbox' | 'editors';

const icons: Record<Section, string> = {
  dashboard: '<path d="M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z" fill="currentColor"/>',
  issues: '<path d="M4 4h16v2H4zm0 4h16v2H4zm0 4h10v2H4zm0 4h10v2H4z" fill="currentColor"/>',
  subscribers:
    '<path d="M16 11a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm-8 0a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm0 2c-2.3 0-7 1.2-7 3.5V19h14v-2.5C15 14.2 10.3 13 8 13zm8 0c-.3 0-.6 0-1 .1a4.3 4.3 0 0 1 2 3.4V19h6v-2.5c0-2.3-4.7-3.5-7-3.5z" fill="currentColor"/>',
  audit: '<path d="M13 3a9 9 0 1 0 9 9h-2a7 7 0 1 1-7-7V3zm-1 5v5l4.3 2.5.7-1.2-3.5-2.1V8H12z" fill="currentColor"/>',
  mailbox: '<path d="M20 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 4-8 5-8-5V6l8 5 8-5v2z" fill="currentColor"/>',
  editors: '<path d="M12 12a4 4 0 1 0-4-4 4 4 0 0 0 4 4zm0 2c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4z" fill="currentColor"/>',
};

const navItems: [Section, string, string][] = [
  ['dashboard', 'Dashboard', '/editor'],
  ['issues', 'Issues', '/editor/issues'],
  ['subscribers', 'Subscribers', '/editor/subscribers'],
  ['audit', 'Audit log', '/editor/audit'],
  ['editors', 'Editors', '/editor/editors'],
  ['mailbox', 'Dev mailbox', '/editor/mailbox'],
];

export function Icon({ name }: { name: Section }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {raw(icons[name])}
    </svg>
  );
}

function Head({ title, csrf }: { title: string; csrf?: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      {csrf ? <meta name="csrf-token" content={csrf} /> : null}
      <title>{`${title} · Weekly AI Recap`}</title>
      <link rel="stylesheet" href={assetUrl('editor.css')} />
    </head>
  );
}

export interface PageOptions {
  title: string;
  section?: Section;
  crumbs?: [string, string?][];
  subtitle?: Child;
  actions?: Child;
  status?: number;
}

/** Renders a signed-in page, with the security headers every page gets. */
export function renderPage(c: Context<EditorEnv>, deps: Deps, opts: PageOptions, body: Child) {
  const session = c.get('session')!;
  const nonce = c.get('nonce');
  const flash = takeFlash(c);
  const mailOff = mailOffWarning(deps.config);
  securityHeaders(c, nonce);
  const page = (
    <html lang="en">
      <Head title={opts.title} csrf={session.csrfToken} />
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <div class="app">
          <nav class="sidebar" aria-label="Workspace">
            <a class="brand" href="/editor">
              <span class="brand-mark" aria-hidden="true">
                ◆
              </span>
              <span>
                Weekly AI Recap<small>Editor workspace</small>
              </span>
            </a>
            <ul class="nav">
              {navItems
                // Only admins: the dev mailbox holds every editor's sign-in links (an editor could sign in as an admin).
                .filter(([s]) => s !== 'mailbox' || (!deps.config.resendApiKey && session.editor.role === 'admin'))
                .map(([s, label, href]) => (
                  <li>
                    <a href={href} aria-current={opts.section === s ? 'page' : undefined}>
                      <Icon name={s} />
                      {label}
                    </a>
                  </li>
                ))}
            </ul>
            <div class="sidebar-foot">
              <strong>{session.editor.name ?? session.editor.email.split('@')[0]}</strong>
              {session.editor.email}
              <form method="post" action="/editor/signout">
                <CsrfField token={session.csrfToken} />
                <button type="submit">Sign out</button>
              </form>
            </div>
          </nav>
          <main class="main" id="main">
            <header class="page-head">
              <div>
                {opts.crumbs?.length ? (
                  <div class="crumbs">
                    {opts.crumbs.map(([label, href], i) => (
                      <>
                        {i > 0 ? ' / ' : ''}
                        {href ? <a href={href}>{label}</a> : label}
                      </>
                    ))}
                  </div>
                ) : null}
                <h1>{opts.title}</h1>
                {opts.subtitle ? <div class="sub">{opts.subtitle}</div> : null}
              </div>
              {opts.actions ? <div class="actions">{opts.actions}</div> : null}
            </header>
            {mailOff ? (
              <div class="flash error" role="alert" data-testid="mail-off">
                {mailOff}
              </div>
            ) : null}
            {flash ? (
              <div class={`flash ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
                {flash.message}
              </div>
            ) : null}
            {body}
          </main>
        </div>
        <script nonce={nonce} src={assetUrl('editor.js')} />
      </body>
    </html>
  );
  return c.html(`<!doctype html>${page}`, (opts.status ?? 200) as 200);
}

/** The sign-in pages: no sidebar, a centred card. */
export function renderAuthPage(c: Context<EditorEnv>, title: string, body: Child, status = 200) {
  const nonce = c.get('nonce');
  securityHeaders(c, nonce);
  const flash = takeFlash(c);
  const page = (
    <html lang="en">
      <Head title={title} />
      <body>
        <main class="auth" id="main">
          <div class="auth-card">
            <div class="brand">
              <span class="brand-mark" aria-hidden="true">
                ◆
              </span>
              <span>
                Weekly AI Recap<small>Editor workspace</small>
              </span>
            </div>
            {flash ? (
              <div class={`flash ${flash.kind}`} role="status">
                {flash.message}
              </div>
            ) : null}
            {body}
          </div>
        </main>
      </body>
    </html>
  );
  return c.html(`<!doctype html>${page}`, status as 200);
}

export function securityHeaders(c: Context, nonce: string) {
  c.header(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'; object-src 'none'`,
  );
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cache-Control', 'no-store');
}

/** A POST button in its own tiny form, so it works without JavaScript. */
export function PostButton(props: {
  action: string;
  csrf: string;
  label: Child;
  class?: string;
  fields?: Record<string, string | number>;
  title?: string;
  disabled?: boolean;
  ariaLabel?: string;
}) {
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField token={props.csrf} />
      {Object.entries(props.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={String(v)} />
      ))}
      <button type="submit" class={`btn ${props.class ?? ''}`} title={props.title} disabled={props.disabled} aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  );
}

export function Badge({ status, label }: { status: string; label?: string }) {
  return <span class={`badge ${status}`}>{label ?? status}</span>;
}

export function Empty({ title, children }: { title: string; children?: Child }) {
  return (
    <div class="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

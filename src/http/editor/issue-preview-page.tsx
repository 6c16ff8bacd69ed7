/** @jsxImportSource hono/jsx */
// Preview: the real rendered mail (desktop/mobile, light/dark, both engines, any reader's edition), its plain-text part, the pre-send checks and "send test".
import type { Context } from 'hono';
import type { Deps } from '../../core/deps.js';
import { getIssueView } from '../../core/issues/issue-view.js';
import { renderIssuePreview } from '../../core/issues/render-issue.js';
import { runPresendChecks } from '../../mail/presend-checks.js';
import type { MailEngine } from '../../mail/render.js';
import { brandFromMailFrom } from '../../mail/view-model.js';
import { editionName } from '../../core/issues/issue-editions.js';
import { TOPIC_LABELS, TOPICS } from '../../shared/topics.js';
import { parseTopicsQuery, topicsParam, type TopicsQuery } from './topic-query.js';
import { issueHeader, IssueTabs } from './issue-chrome.js';
import { CsrfField } from '../csrf-field.js';
import { renderPage } from './layout.js';
import type { EditorEnv } from './session.js';

export interface PreviewOptions {
  engine: MailEngine;
  width: 'desktop' | 'mobile';
  scheme: 'light' | 'dark';
  part: 'html' | 'text';
}

export function previewOptions(c: Context, fallbackEngine: MailEngine): PreviewOptions {
  const q = (k: string) => c.req.query(k);
  return {
    engine: q('engine') === 'mjml' ? 'mjml' : q('engine') === 'react' ? 'react' : fallbackEngine,
    width: q('width') === 'mobile' ? 'mobile' : 'desktop',
    scheme: q('scheme') === 'dark' ? 'dark' : 'light',
    part: q('part') === 'text' ? 'text' : 'html',
  };
}

/** The reader edition asked for: `?topics=policy&topics=safety` (the picker's GET form) or `?topics=policy,safety`. */
export function previewTopics(c: Context): TopicsQuery {
  return parseTopicsQuery(c.req.queries('topics'));
}

function Seg<K extends keyof PreviewOptions>(props: {
  base: string;
  opts: PreviewOptions;
  topics: string;
  k: K;
  choices: [PreviewOptions[K], string][];
  label: string;
}) {
  const href = (v: PreviewOptions[K]) => {
    const p = new URLSearchParams({ ...props.opts, [props.k]: v } as Record<string, string>);
    if (props.topics) p.set('topics', props.topics);
    return `${props.base}?${p}`;
  };
  return (
    <div class="seg" role="group" aria-label={props.label}>
      {props.choices.map(([v, text]) => (
        <a href={href(v)} aria-current={props.opts[props.k] === v ? 'true' : undefined}>
          {text}
        </a>
      ))}
    </div>
  );
}

export async function previewPage(c: Context<EditorEnv>, deps: Deps, id: string) {
  const view = await getIssueView(deps, id);
  const session = c.get('session')!;
  const opts = previewOptions(c, view.engine);
  const picked = previewTopics(c);
  const rendered = await renderIssuePreview(deps, id, { engine: opts.engine, edition: picked.edition });
  const report = runPresendChecks({ ...rendered, publicUrl: deps.config.publicUrl });
  const failed = report.checks.filter((k) => !k.ok).length;
  const base = `/editor/issues/${view.id}/preview`;
  const topics = picked.ok ? topicsParam(picked.topics) : '';
  const frameSrc = `${base}/mail?${new URLSearchParams({ engine: opts.engine, scheme: opts.scheme, ...(topics ? { topics } : {}) })}`;
  const sizeKb = (new TextEncoder().encode(rendered.html).length / 1000).toFixed(1);
  const name = editionName(picked.edition);
  // An unknown topic is the editor's typo or a stale link: say so with a 4xx, and show the default edition meanwhile.
  return renderPage(
    c,
    deps,
    picked.ok ? issueHeader(view) : { ...issueHeader(view), status: 422 },
    <>
      <IssueTabs view={view} tab="preview" />
      {!picked.ok ? (
        <div class="flash error" role="alert" data-testid="topics-error">
          Unknown topic{picked.unknown.length === 1 ? '' : 's'}: {picked.unknown.join(', ')}. Topics are {TOPICS.join(', ')}. Showing the default edition.
        </div>
      ) : null}
      <form method="get" action={base} class="card edition-picker" aria-labelledby="picker-h" data-testid="edition-picker">
        <input type="hidden" name="engine" value={opts.engine} />
        <input type="hidden" name="width" value={opts.width} />
        <input type="hidden" name="scheme" value={opts.scheme} />
        <input type="hidden" name="part" value={opts.part} />
        <fieldset style="border:0;padding:0;margin:0">
          <legend id="picker-h" style="font-weight:600;margin-bottom:6px">
            Preview as a reader who follows …
          </legend>
          <div class="radio-row" style="flex-wrap:wrap">
            {TOPICS.map((t) => (
              <label>
                <input type="checkbox" name="topics" value={t} checked={picked.topics.includes(t)} /> {TOPIC_LABELS[t]}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="row" style="align-items:center;margin-top:8px">
          <button class="btn sm primary" type="submit">
            Preview this edition
          </button>
          <span class="small muted" data-testid="edition-name">
            Showing: <strong style="color:var(--ink)">{name}</strong>
            {picked.edition === 0 ? ' (no topics or all of them)' : ''}
          </span>
        </div>
      </form>
      <div class="split preview-split">
        <div>
          <div class="toolbar">
            <Seg
              base={base}
              opts={opts}
              topics={topics}
              k="part"
              label="Part"
              choices={[
                ['html', 'HTML'],
                ['text', 'Plain text'],
              ]}
            />
            {opts.part === 'html' ? (
              <Seg
                base={base}
                opts={opts}
                topics={topics}
                k="width"
                label="Width"
                choices={[
                  ['desktop', 'Desktop'],
                  ['mobile', 'Mobile'],
                ]}
              />
            ) : null}
            {opts.part === 'html' ? (
              <Seg
                base={base}
                opts={opts}
                topics={topics}
                k="scheme"
                label="Colour scheme"
                choices={[
                  ['light', 'Light'],
                  ['dark', 'Dark'],
                ]}
              />
            ) : null}
            <Seg
              base={base}
              opts={opts}
              topics={topics}
              k="engine"
              label="Engine"
              choices={[
                ['react', 'React Email'],
                ['mjml', 'MJML'],
              ]}
            />
            <span class="small muted">{sizeKb} KB HTML</span>
          </div>
          <div class="inbox-line" role="group" aria-label="How the inbox shows it">
            <span class="from">{brandFromMailFrom(deps.config.mailFrom)}</span>
            <span class="subject">{rendered.subject}</span>
            <span class="pre">— {rendered.preheader}</span>
          </div>
          {opts.part === 'text' ? (
            <pre class="text-part" role="region" aria-label="Plain-text part" data-testid="text-part" tabindex={0}>
              {rendered.text}
            </pre>
          ) : (
            <div class={`frame-wrap ${opts.width} ${opts.scheme}`}>
              <iframe
                src={frameSrc}
                title={`Mail preview, ${name}, ${opts.width}, ${opts.scheme} mode, ${opts.engine === 'mjml' ? 'MJML' : 'React Email'}`}
                sandbox="allow-popups allow-popups-to-escape-sandbox"
                loading="eager"
                data-testid="mail-frame"
              ></iframe>
            </div>
          )}
        </div>
        <aside>
          <section class="card" aria-labelledby="checks">
            <h2 id="checks">
              Pre-send checks <span class="small muted">({name})</span>
              {failed ? <span class="badge failed">{failed} to fix</span> : <span class="badge sent">all pass</span>}
            </h2>
            <ul class="checks" data-testid="checks">
              {report.checks.map((k) => (
                <li class={`check ${k.ok ? 'pass' : 'fail'}`} data-check={k.id} data-ok={String(k.ok)}>
                  <span class="ico" aria-hidden="true">
                    {k.ok ? '✓' : '!'}
                  </span>
                  <div>
                    <strong>{k.label}</strong> <span class="sr-only">{k.ok ? 'passed' : 'failed'}</span>
                    <div class="msg">{k.message}</div>
                    {!k.ok && k.fix ? <div class="fix">Fix: {k.fix}</div> : null}
                  </div>
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="test-send">
            <h2 id="test-send">Send a test</h2>
            <form method="post" action={`/editor/issues/${view.id}/test`}>
              <CsrfField token={session.csrfToken} />
              <input type="hidden" name="engine" value={opts.engine} />
              <div class="field">
                <label for="test-to">To</label>
                <input id="test-to" type="email" name="to" required value={session.editor.email} autocomplete="email" />
                <div class="help">Any address. Subject gets a [Test] prefix; its unsubscribe links go nowhere.</div>
              </div>
              <button class="btn primary" type="submit">
                Send test ({opts.engine === 'mjml' ? 'MJML' : 'React Email'})
              </button>
            </form>
          </section>
        </aside>
      </div>
    </>,
  );
}

/** Shows the mail as a client in dark mode would: the template's own dark rules switched on. */
export function forceDarkScheme(html: string): string {
  const forced = html.replace(/@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi, '@media all');
  const meta = '<style>:root{color-scheme:dark}html,body{background:#111318}</style>';
  return forced.includes('</head>') ? forced.replace('</head>', `${meta}</head>`) : meta + forced;
}

/** The rendered mail itself, for the preview iframe: sandboxed, no scripts, no access to the workspace. */
export async function previewMailResponse(c: Context, deps: Deps, id: string) {
  const view = await getIssueView(deps, id);
  const opts = previewOptions(c, view.engine);
  const picked = previewTopics(c);
  if (!picked.ok) return c.text(`Unknown topics: ${picked.unknown.join(', ')}`, 422);
  const r = await renderIssuePreview(deps, id, { engine: opts.engine, edition: picked.edition });
  return rawMailResponse(c, opts.scheme === 'dark' ? forceDarkScheme(r.html) : r.html);
}

export function rawMailResponse(c: Context, html: string) {
  c.header(
    'Content-Security-Policy',
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; font-src https: data:; frame-ancestors 'self'",
  );
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(html);
}

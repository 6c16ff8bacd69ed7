// The whole app over real HTTP on 127.0.0.1 with a real SQLite file, set up for visitor/subscriber tests:
// PUBLIC_URL points at the server, so links in queued mails can be followed as they are.
import type { Config } from '../../src/config.js';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import { ingestEvents } from '../../src/core/events/ingest-events.js';
import { startSending, transitionIssue } from '../../src/core/issues/issue-lifecycle.js';
import { renderQueuedMail } from '../../src/core/send/queued-mail.js';
import { createApp } from '../../src/http/app.js';
import type { DeliveryRow } from '../../src/db/schema.js';
import { makeDeps, type TestDeps } from './deps.js';
import { eventInput } from '../factories.js';
import { startServer } from './server.js';

export interface PublicSite {
  deps: TestDeps;
  url: string;
  close(): Promise<void>;
  /** Queued/sent transactional mail, oldest first. */
  mails(filter?: { kind?: string; to?: string }): Promise<(DeliveryRow & { subject: string; html: string; text: string })[]>;
  /** The newest link of `kind` found in the newest mail of `mailKind` to `to`. */
  linkIn(to: string, mailKind: 'confirm' | 'welcome', path: 'confirm' | 'unsubscribe' | 'preferences'): Promise<string>;
  /** A form's CSRF cookie and field value, as a browser would have them after opening `page`. */
  csrf(page?: string): Promise<{ cookie: string; token: string }>;
  /**
   * Opens a confirmation link and presses its button, as a browser does: GET (the page sets the CSRF cookie and
   * field), then POST. A page without the button (a link problem, already confirmed) is answered as it was.
   */
  confirm(link: string, headers?: Record<string, string>): Promise<Response>;
  postJson(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  postForm(path: string, fields: Record<string, string | string[]>, opts?: { cookie?: string; headers?: Record<string, string> }): Promise<Response>;
}

export async function startPublicSite(opts: { config?: Partial<Config>; now?: string } = {}): Promise<PublicSite> {
  const deps = makeDeps({ now: opts.now, config: { signupRatePerMin: 0, ...opts.config } });
  const server = await startServer(createApp(deps));
  deps.config.publicUrl = server.url;

  const site: PublicSite = {
    deps,
    url: server.url,
    async close() {
      await server.close();
      await deps.cleanup();
    },
    async mails(filter = {}) {
      let q = deps.db.selectFrom('deliveries').selectAll().where('kind', '!=', 'recap');
      if (filter.kind) q = q.where('kind', '=', filter.kind as 'confirm');
      if (filter.to) q = q.where('to_email', '=', filter.to);
      const rows = await q.orderBy('id').execute();
      // Rendered exactly as the sender will render them for the provider.
      return Promise.all(rows.map(async (r) => ({ ...r, ...(await renderQueuedMail(deps.config, r.payload)) })));
    },
    async linkIn(to, mailKind, path) {
      const all = await site.mails({ kind: mailKind, to });
      const last = all[all.length - 1];
      if (!last) throw new Error(`no ${mailKind} mail to ${to}`);
      const m = new RegExp(`${server.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${path}/[A-Za-z0-9_.-]+`).exec(last.text);
      if (!m) throw new Error(`no /${path}/ link in the ${mailKind} mail to ${to}`);
      return m[0];
    },
    async csrf(page = '/') {
      const res = await fetch(server.url + page);
      const html = await res.text();
      const cookie = /wr_csrf=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      if (!cookie || !token) throw new Error(`no CSRF cookie/token on ${page} (status ${res.status})`);
      return { cookie: `wr_csrf=${cookie}`, token };
    },
    async confirm(link, headers = {}) {
      const page = await fetch(link, { headers });
      const html = await page.text();
      const cookie = /wr_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
      const token = /<form method="post" action="\/confirm\/[^"]+">\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(html)?.[1];
      if (!cookie || !token) return new Response(html, { status: page.status, headers: page.headers });
      return site.postForm(new URL(link).pathname, { csrf: token }, { cookie: `wr_csrf=${cookie}`, headers });
    },
    postJson(path, body, headers = {}) {
      return fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    postForm(path, fields, o = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      return fetch(server.url + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.headers ?? {}) },
        body,
      });
    },
  };
  return site;
}

/** Signs up and confirms `email` through the real routes; returns its unsubscribe and preferences links. */
export async function subscribeAndConfirm(site: PublicSite, email: string, body: Record<string, unknown> = {}) {
  const res = await site.postJson('/api/subscribe', { email, ...body });
  if (res.status !== 202) throw new Error(`signup answered ${res.status}: ${await res.text()}`);
  const confirm = await site.confirm(await site.linkIn(email, 'confirm', 'confirm'));
  if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}`);
  return {
    unsubscribeUrl: await site.linkIn(email, 'welcome', 'unsubscribe'),
    preferencesUrl: await site.linkIn(email, 'welcome', 'preferences'),
  };
}

const STORIES: [string, string, string][] = [
  ['Open-weights model tops the reasoning leaderboard', 'The Gradient Post', 'models'],
  ['Chipmaker ships a new accelerator with twice the memory bandwidth', 'Silicon Weekly', 'compute'],
  ['EU publishes the first code of practice for general-purpose AI', 'Policy Desk', 'policy'],
  ['Researchers shrink long-context attention cost by an order of magnitude', 'arXiv Digest', 'research'],
  ['Robotics start-up raises a large Series B for warehouse arms', 'Funding Wire', 'funding'],
  ['A command-line agent that writes and runs its own tests', 'Dev Tools Daily', 'tools'],
  ['Lab publishes red-team results before its next release 🔍', 'Safety Notes', 'safety'],
  ['国产大模型发布多模态新版本', '虎嗅', 'products'],
];

/** A sent issue for the current week of the site's clock, built from real events with distinct stories. */
export async function seedSentIssue(site: PublicSite): Promise<string> {
  const { deps } = site;
  const now = deps.clock.now().getTime();
  await ingestEvents(deps, {
    events: STORIES.map(([title, sourceName, topic], i) =>
      eventInput({
        title: `${title} (${new Date(now).toISOString().slice(0, 10)})`,
        sourceName,
        url: `https://news.example.com/${now}/${i}`,
        publishedAt: new Date(now - (i + 1) * 3600_000).toISOString(),
        topics: [topic],
        views: 2000 - i * 150,
      }),
    ),
  });
  const { issue } = await buildDraft(deps);
  await startSending(deps, issue.id);
  await transitionIssue(deps, issue.id, 'sent', { sent_at: deps.clock.now().toISOString() });
  return issue.id;
}

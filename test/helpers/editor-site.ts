// The whole app over real HTTP on 127.0.0.1 set up for editor tests: an editor account, the outbox flushed
// as in production (enqueue wakes the dispatcher), and helpers to sign in and read mail from the dev mailbox.
import type { Config } from '../../src/config.js';
import { dispatch } from '../../src/core/send/dispatch.js';
import { completeSignIn, ensureEditors, requestSignIn } from '../../src/core/editors/editor-auth.js';
import type { Page } from 'playwright-core';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { listMailbox, type DevMailboxRow } from '../../src/db/repos/dev-mailbox.js';
import { createApp } from '../../src/http/app.js';
import type { Mailer } from '../../src/mail/mailer.js';
import { makeDeps, type TestDeps } from './deps.js';
import { startServer } from './server.js';

export const EDITOR = 'editor@example.com';

export interface EditorSite {
  deps: TestDeps;
  url: string;
  app: ReturnType<typeof createApp>;
  /** Runs the dispatcher until nothing is queued (what the wake-up does in production). */
  flush(): Promise<void>;
  /** Newest dev-mailbox message to `to` (waits for the outbox to deliver it). */
  waitForMail(to: string, match?: (m: DevMailboxRow) => boolean): Promise<DevMailboxRow>;
  /** Signs in through the real forms; returns the session cookie ("name=value") and its CSRF token. */
  signIn(email?: string, opts?: { existingCookie?: string }): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

/**
 * `live`: the clock follows real time and a ticker re-runs the dispatcher every half second, like the minute
 * cron in production; a batch deferred after a provider hiccup is then retried instead of waiting for ever.
 */
export async function startEditorSite(
  opts: { config?: Partial<Config>; now?: string; mailer?: Mailer; ratePerSec?: number; live?: boolean } = {},
): Promise<EditorSite> {
  const deps = makeDeps({
    now: opts.now ?? new Date().toISOString(),
    mailer: opts.mailer,
    config: { editorEmails: [EDITOR], signupRatePerMin: 0, ...opts.config },
  });
  if (opts.live) deps.clock.now = () => new Date();
  await ensureEditors(deps);
  const app = createApp(deps);
  const server = await startServer(app);
  if (!opts.config?.publicUrl) deps.config.publicUrl = server.url;
  const limiter = createProviderPacer(opts.ratePerSec ?? Infinity);

  let running: Promise<void> | null = null;
  let again = false;
  const runOnce = async () => {
    do {
      again = false;
      await dispatch(deps, { owner: 'editor-test', limiter, leaseMs: 10_000, concurrency: 2 });
    } while (again);
  };
  const wake = () => {
    if (running) {
      again = true;
      return running;
    }
    running = runOnce().finally(() => {
      running = null;
    });
    return running;
  };
  deps.wakeOutbox = () => void wake();
  const ticker = opts.live ? setInterval(() => void wake(), 500) : null;

  const site: EditorSite = {
    deps,
    url: server.url,
    app,
    async flush() {
      await wake();
      if (running) await running;
    },
    async waitForMail(to, match = () => true) {
      for (let i = 0; i < 100; i++) {
        await site.flush();
        const found = (await listMailbox(deps.db, { to })).find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no mail to ${to} in the dev mailbox`);
    },
    async signIn(email = EDITOR, opts = {}) {
      const page = await fetch(`${server.url}/editor/signin`);
      const pre = /wr_presession=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0];
      const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1];
      const before = new Set((await listMailbox(deps.db, { to: email })).map((m) => m.id));
      const cookies = [pre, opts.existingCookie].filter(Boolean).join('; ');
      const post = (path: string, fields: Record<string, string>) =>
        fetch(server.url + path, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields),
        });
      await post('/editor/signin', { csrf: token, email });
      const mail = await site.waitForMail(email, (m) => !before.has(m.id) && /sign/i.test(m.subject));
      const link = new URL(/https?:\/\/\S+\/editor\/signin\/verify\?token=[\w-]+/.exec(mail.text)![0]);
      const res = await post('/editor/signin/verify', { csrf: token, token: link.searchParams.get('token')! });
      const cookie = /wr_editor=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
      const dash = await fetch(`${server.url}/editor`, { headers: { cookie } });
      const csrf = /name="csrf-token" content="([^"]+)"/.exec(await dash.text())![1];
      return { cookie, csrf };
    },
    async close() {
      if (ticker) clearInterval(ticker);
      if (running) await running;
      await server.close();
      await deps.cleanup();
    },
  };
  return site;
}

/** Signs a browser page in with a real magic link, read from the queued sign-in mail (for sites whose mail goes to a provider). */
export async function signInPage(site: EditorSite, page: Page, email = EDITOR): Promise<void> {
  await requestSignIn(site.deps, email);
  const row = await site.deps.db.selectFrom('deliveries').select('payload').where('kind', '=', 'signin').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const token = /verify\?token=([\w-]+)/.exec(JSON.parse(row.payload!).text)![1];
  const r = await completeSignIn(site.deps, token);
  if (!r.ok) throw new Error('sign-in failed');
  await page.context().addCookies([{ name: 'wr_editor', value: r.sessionId, url: site.url, httpOnly: true, sameSite: 'Lax' }]);
}

// A fresh `npm start` lets its operator in: the printed "Editor workspace" link signs in as the local admin in Chromium
// and lands on the dashboard; it works once; later starts say how to get a new link; with a provider nothing is created.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ADMIN_EMAIL } from '../../src/core/editors/first-signin.js';
import { expectedStatuses, launchChromium, openPage, screenshot } from '../helpers/browser.js';
import { tempDir } from '../helpers/db.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { freePort } from '../helpers/server.js';

const procs: ServerProcess[] = [];
const dirs: string[] = [];
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(() => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const p = startServerProcess({ env });
  procs.push(p);
  return p;
}

const WORKSPACE_LINK = /^ {2}Editor workspace: {2}(\S+)(.*)$/m;

describe('first start', () => {
  it('prints a one-time sign-in link that opens the dashboard in Chromium as the local admin', async () => {
    const dir = tempDir('recap-first-start-');
    dirs.push(dir);
    const port = await freePort();
    // As a newcomer runs it: no APP_SECRET, no editor, no provider, demo data on
    const env = { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'data', 'recap.db') };
    const first = start(env);
    await first.waitFor(/running on/);
    const [, link, note] = await first.waitFor(WORKSPACE_LINK);
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe(`http://localhost:${port}/editor/signin/verify`);
    expect(url.searchParams.get('token')).toMatch(/^[\w-]{32,}$/);
    expect(note).toBe(`  (Sign-in link for ${LOCAL_ADMIN_EMAIL}: opens the workspace, works once, for 15 minutes)`);
    expect(first.stdout()).toContain(`  Editor account:    ${LOCAL_ADMIN_EMAIL} (admin, created on this first start`);
    // the banner is plain lines, not a JSON string with \n escapes (stdout is not a terminal here: the log is JSON)
    expect(first.stdout()).not.toMatch(/"msg":"Weekly AI Recap is running/);
    expect(first.stdout()).toMatch(/^Weekly AI Recap is running on http:\/\/127\.0\.0\.1:\d+$/m);

    const w = await openPage(browser, { ignore: [/net::ERR_/, expectedStatuses(410)] });
    try {
      await w.page.goto(link);
      // the link page has a button (link scanners only GET): a person presses it
      const button = w.page.getByRole('button', { name: /continue to the workspace/i });
      if (await button.count()) await button.click();
      await w.page.waitForURL(`http://localhost:${port}/editor`);
      await expect.poll(() => w.page.getByRole('heading', { name: 'Dashboard' }).count()).toBe(1);
      expect(await w.page.content()).toContain(LOCAL_ADMIN_EMAIL);
      expect(await w.page.getByText("This week's issue").count()).toBeGreaterThan(0);
      await screenshot(w.page, 'first-start-dashboard');

      // single use: the same link again in another browser gets the expired page, not a session
      const other = await openPage(browser, { ignore: [/net::ERR_/, expectedStatuses(410)] });
      const res = await other.page.goto(link);
      expect(res?.status()).toBe(410);
      await other.page.context().close();
    } finally {
      await w.page.context().close();
    }
    expect(await first.stop()).toBe(0);

    const db = new BetterSqlite3(env.DATABASE_PATH, { readonly: true });
    try {
      expect(db.prepare('SELECT email, role, disabled_at FROM editors').all()).toEqual([{ email: LOCAL_ADMIN_EMAIL, role: 'admin', disabled_at: null }]);
      const actions = (db.prepare('SELECT actor, action FROM audit_log ORDER BY id').all() as { actor: string; action: string }[]).map(
        (a) => `${a.actor} ${a.action}`,
      );
      expect(actions).toEqual(expect.arrayContaining(['system editor.added', 'system editor.signin_link_issued', `${LOCAL_ADMIN_EMAIL} editor.signin`]));
    } finally {
      db.close();
    }

    // signed in once: the next start prints no token, but how to get a new link
    const second = start(env);
    await second.waitFor(/running on/);
    await second.waitFor(/Sign in again/);
    expect(second.stdout()).toMatch(new RegExp(`^ {2}Editor workspace: {2}http://localhost:${port}/editor$`, 'm'));
    expect(second.stdout()).toContain(`  Sign in again:     npm run recap -- signin-link ${LOCAL_ADMIN_EMAIL}`);
    expect(second.stdout() + second.stderr()).not.toMatch(/[?&]token=/);
    expect(await second.stop()).toBe(0);
  });

  it('prints a new link on every start until someone has signed in (a lost or expired first link locks no one out)', async () => {
    const dir = tempDir('recap-first-start-');
    dirs.push(dir);
    const env = { PORT: '0', DEMO_DATA: 'false', DATABASE_PATH: join(dir, 'recap.db'), APP_SECRET: 'first-start-secret-0123456789abcdef' };
    const links: string[] = [];
    for (let i = 0; i < 2; i++) {
      const p = start(env);
      links.push((await p.waitFor(WORKSPACE_LINK))[1]);
      expect(await p.stop()).toBe(0);
    }
    expect(links[0]).not.toBe(links[1]);
    for (const l of links) expect(l).toMatch(/\/editor\/signin\/verify\?token=/);
    const db = new BetterSqlite3(env.DATABASE_PATH, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM editors').get()).toEqual({ n: 1 }); // one admin, not one per start
    db.close();
  });

  it('with RESEND_API_KEY creates no account and prints no link; it says nobody can sign in yet', async () => {
    const dir = tempDir('recap-first-start-');
    dirs.push(dir);
    const env = {
      PORT: '0',
      DEMO_DATA: 'false',
      DATABASE_PATH: join(dir, 'recap.db'),
      APP_SECRET: 'first-start-secret-0123456789abcdef',
      RESEND_API_KEY: 're_not_used',
      RESEND_BASE_URL: 'http://127.0.0.1:9',
    };
    const p = start(env);
    await p.waitFor(/Editors: {11}none yet/);
    await p.waitFor(/No editor account: nobody can sign in/);
    expect(p.stdout() + p.stderr()).not.toMatch(/[?&]token=/);
    expect(await p.stop()).toBe(0);
    const db = new BetterSqlite3(env.DATABASE_PATH, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM editors').get()).toEqual({ n: 0 });
    db.close();
  });
});

// "Send now" end to end in Chromium against the fake Resend API: the confirmation names the audience, the
// progress bar fills from the delivery counts while batches go out, and every reader gets exactly one mail.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import { seedDemoEvents } from '../../src/demo/seed-demo.js';
import { createResendMailer } from '../../src/mail/resend-mailer.js';
import { startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { expectedStatuses, launchChromium, openPage, runAxe, screenshot, expectNoSeriousViolations, type WatchedPage } from '../helpers/browser.js';
import { startEditorSite, type EditorSite, signInPage } from '../helpers/editor-site.js';
import { seedSubscribers } from '../helpers/seed.js';

const READERS = 450;
let browser: Browser;
let fake: FakeResend;
let site: EditorSite;
let w: WatchedPage;
const savedBase = process.env.RESEND_BASE_URL;

beforeAll(async () => {
  fake = await startFakeResend({ ratePerSecond: false });
  process.env.RESEND_BASE_URL = fake.url;
  // 2 batch calls per second: five batches take a couple of seconds, long enough to watch the bar move
  site = await startEditorSite({ mailer: createResendMailer({ apiKey: 're_test_key', timeoutMs: 10_000 }), ratePerSec: 2, live: true });
  browser = await launchChromium();
  w = await openPage(browser, { ignore: [/net::ERR_/, expectedStatuses(410)] });
});
afterAll(async () => {
  await w?.page.context().close();
  await browser?.close();
  await site?.close();
  await fake?.close();
  process.env.RESEND_BASE_URL = savedBase;
  expect(w?.problems ?? [], 'console errors in the pages').toEqual([]);
});

describe('send now', { timeout: 120_000 }, () => {
  it('asks for confirmation with the audience size, then fills the progress bar to 100% as the fake Resend accepts batches', async () => {
    const { page } = w;
    await seedDemoEvents(site.deps);
    seedSubscribers(site.deps.testDb.sqlite, READERS);
    seedSubscribers(site.deps.testDb.sqlite, 7, { status: 'unsubscribed', domain: 'gone.example.com' });
    const id = (await buildDraft(site.deps)).issue.id;
    await signInPage(site, w.page);

    await page.goto(`${site.url}/editor/issues/${id}/send`);
    await page.getByRole('link', { name: 'Send now…' }).click();
    expect(await page.locator('[data-testid=audience]').textContent()).toBe('450');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'editor-send-now-confirm');
    await page.getByRole('button', { name: 'Yes, send to 450 readers' }).click();

    const label = page.locator('[data-progress-label]');
    await expect.poll(() => page.locator('[data-status]').textContent()).toMatch(/sending|sent/);
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const t = (await label.textContent()) ?? '';
          if (seen[seen.length - 1] !== t) seen.push(t);
          if (seen.length === 2) await screenshot(page, 'editor-send-progress');
          return t;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toMatch(/^100% · 450 of 450 sent/);
    expect(await page.locator('[data-status]').textContent()).toBe('sent');
    expect(await page.locator('.progress').getAttribute('aria-valuenow')).toBe('100');
    // the bar moved through intermediate values, fed by polling the API
    expect(seen.some((t) => /^(?!0%|100%)\d+% · /.test(t))).toBe(true);
    expectNoSeriousViolations(await runAxe(page), 'send tab');
    await screenshot(page, 'editor-send-done');

    const counts = fake.state.countByRecipient();
    const recaps = [...counts.entries()].filter(([to]) => to.startsWith('reader'));
    expect(recaps).toHaveLength(READERS);
    expect(recaps.every(([, n]) => n === 1)).toBe(true);
    expect([...counts.keys()].some((to) => to.endsWith('gone.example.com'))).toBe(false);

    // after reload the page shows the finished delivery and its funnel
    await page.reload();
    expect(await page.locator('h2', { hasText: 'Funnel' }).count()).toBe(1);
  });
});

// The subscriber's pages in Chromium: unsubscribe button, preferences saved, erase, archive and feed; axe on each.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectedStatuses, launchChromium, openPage, runAxe, screenshot, expectNoSeriousViolations, type WatchedPage } from '../helpers/browser.js';
import { seedSentIssue, startPublicSite, subscribeAndConfirm, type PublicSite } from '../helpers/public-site.js';

let browser: Browser;
let site: PublicSite;
let w: WatchedPage;
let links: { unsubscribeUrl: string; preferencesUrl: string };
const EMAIL = 'reader@example.com';

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());
beforeEach(async () => {
  site = await startPublicSite({ now: '2026-11-12T12:00:00.000Z' });
  await seedSentIssue(site);
  site.deps.clock.set('2026-11-19T12:00:00.000Z');
  await seedSentIssue(site);
  site.deps.clock.set('2026-11-26T12:00:00.000Z');
  links = await subscribeAndConfirm(site, EMAIL, { name: 'Rea', topics: ['models'] });
  w = await openPage(browser, { ignore: [expectedStatuses(404)] });
});
afterEach(async () => {
  await w?.page.context().close();
  await site?.close();
  expect(w?.problems ?? [], 'console errors in the page').toEqual([]);
});

const reader = () =>
  site.deps.db
    .selectFrom('subscribers')
    .selectAll()
    .where('email_hash', 'in', site.deps.db.selectFrom('subscribers').select('email_hash'))
    .executeTakeFirstOrThrow();

async function expectAccessible(name: string) {
  expectNoSeriousViolations(await runAxe(w.page), name);
}

describe('unsubscribe', () => {
  it('shows a button (opening the page changes nothing), unsubscribes on click, and offers to come back', async () => {
    const { page } = w;
    await page.goto(links.unsubscribeUrl);
    expect(await page.locator('h1').textContent()).toBe('Unsubscribe?');
    await expectAccessible('unsubscribe page');
    await screenshot(page, 'public-unsubscribe');
    expect((await reader()).status).toBe('active');

    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are unsubscribed');
    expect((await reader()).status).toBe('unsubscribed');
    await expectAccessible('unsubscribed page');
    await screenshot(page, 'public-unsubscribed');

    await page.getByRole('button', { name: 'Resubscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Welcome back');
    expect((await reader()).status).toBe('active');
  });
});

describe('preferences', () => {
  it('saves topics and a pause', async () => {
    const { page } = w;
    await page.goto(links.preferencesUrl);
    expect(await page.getByLabel('Models').isChecked()).toBe(true);
    await expectAccessible('preferences page');
    await page.getByLabel('Models').uncheck();
    await page.getByLabel('Research').check();
    await page.getByLabel('Safety').check();
    await page.getByLabel('Pause').selectOption('4');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your preferences are saved');
    expect(await page.getByLabel('Research').isChecked()).toBe(true);
    expect(await page.getByLabel('Models').isChecked()).toBe(false);
    await expectAccessible('preferences saved');
    await screenshot(page, 'public-preferences-saved');
    const r = await reader();
    expect(r.topics).toBe('["research","safety"]');
    expect(r.paused_until).toBe('2026-12-24T12:00:00.000Z');
  });

  it('mails the data export to the reader (the page shows none of it) and erases everything after the "I understand" tick', async () => {
    const { page } = w;
    await page.goto(links.preferencesUrl);
    await page.getByRole('button', { name: 'Email me my data' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    expect(await page.getByRole('status').textContent()).toContain('re••••@example.com');
    expect(await page.content()).not.toContain(EMAIL);
    await expectAccessible('export mailed page');
    await screenshot(page, 'public-export-mailed');
    const [mail] = await site.mails({ kind: 'export', to: EMAIL });
    expect(mail.text).toContain(`"email": "${EMAIL}"`);

    await page.getByRole('link', { name: 'Back to your preferences' }).click();
    await page.waitForURL(links.preferencesUrl);
    await page.getByRole('button', { name: 'Erase my data' }).click(); // the required box stops it
    expect((await reader()).email).toBe(EMAIL);
    await page.getByLabel('I understand: erase my data').check();
    await page.getByRole('button', { name: 'Erase my data' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Your data is erased');
    await expectAccessible('erased page');
    await screenshot(page, 'public-erased');
    expect(await reader()).toMatchObject({ email: null, name: null, status: 'erased' });

    const res = await page.goto(links.preferencesUrl);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This link no longer works');
  });
});

describe('archive and feed', () => {
  it('lists the issues, opens the web version, and serves a well-formed feed', async () => {
    const { page } = w;
    await page.goto(`${site.url}/archive`);
    await expectAccessible('archive index');
    await screenshot(page, 'public-archive');
    const issueLinks = page.locator('.archive-list a');
    expect(await issueLinks.count()).toBe(2);
    await issueLinks.first().click();
    await page.waitForURL(/\/archive\/.+/);
    expect(await page.content()).toContain('Open-weights model tops the reasoning leaderboard (2026-11-19)');
    expect(await page.content()).not.toMatch(/\/(unsubscribe|preferences)\/[\w-]+\.[\w-]+/);
    await expectAccessible('web version');
    await screenshot(page, 'public-archive-issue');

    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'public-archive-issue-mobile');

    const res = await page.goto(`${site.url}/feed.xml`);
    const xml = await res!.text();
    const verdict = await page.evaluate((src) => {
      const doc = new DOMParser().parseFromString(src, 'application/xml');
      const err = doc.getElementsByTagName('parsererror')[0];
      return { error: err ? err.textContent : null, root: doc.documentElement.namespaceURI, entries: doc.getElementsByTagName('entry').length };
    }, xml);
    expect(verdict).toEqual({ error: null, root: 'http://www.w3.org/2005/Atom', entries: 2 });
  });
});

describe('help pages', () => {
  it('the embed instructions, the bare personal-link pages and the 404 page pass axe', async () => {
    const { page } = w;
    for (const path of ['/embed', '/unsubscribe', '/preferences', '/archive/no-such-issue']) {
      await page.goto(site.url + path);
      await expectAccessible(path);
    }
    await page.goto(`${site.url}/embed`);
    expect(await page.locator('pre code').textContent()).toContain(`${site.url}/api/subscribe`);
    await screenshot(page, 'public-embed-instructions');
  });
});

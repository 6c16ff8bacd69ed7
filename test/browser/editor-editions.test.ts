// The preview tab's topic picker in Chromium: tick topics, submit the GET form, and the mail (iframe) and its
// plain text become that reader's edition ("Picked for you: …"); the send tab lists the editions; axe on each.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import { seedDemoEvents } from '../../src/demo/seed-demo.js';
import { expectedStatuses, launchChromium, openPage, runAxe, screenshot, expectNoSeriousViolations, type WatchedPage } from '../helpers/browser.js';
import { startEditorSite, type EditorSite } from '../helpers/editor-site.js';
import { seedSubscribers } from '../helpers/seed.js';

let browser: Browser;
let site: EditorSite;
let w: WatchedPage;
let page: Page;
let issueId: string;

beforeAll(async () => {
  browser = await launchChromium();
  site = await startEditorSite();
  await seedDemoEvents(site.deps);
  seedSubscribers(site.deps.testDb.sqlite, 6, { topics: (i) => (i < 2 ? [] : i < 4 ? ['policy', 'safety'] : ['research']) });
  issueId = (await buildDraft(site.deps)).issue.id;
  // Mail images point at hosts this sandbox cannot reach; an unknown topic is answered 422 on purpose.
  w = await openPage(browser, { ignore: [/net::ERR_/, expectedStatuses(404, 422)] });
  page = w.page;
  // Signed in through the real magic-link forms; the browser gets that session's cookie.
  const { cookie } = await site.signIn();
  const [name, value] = cookie.split('=');
  await page.context().addCookies([{ name, value, url: site.url, httpOnly: true, sameSite: 'Lax' }]);
});
afterAll(async () => {
  await w?.page.context().close();
  await browser?.close();
  await site?.close();
  expect(w?.problems ?? [], 'console errors in the pages').toEqual([]);
});

async function expectAccessible(name: string) {
  expectNoSeriousViolations(await runAxe(page), name);
}
const frameText = async () => {
  const body = page.frameLocator('iframe[data-testid=mail-frame]').locator('body');
  await body.waitFor();
  return (await body.innerText()).replace(/\s+/g, ' ');
};

describe('preview as a reader who follows topics, in Chromium', { timeout: 120_000 }, () => {
  it('picks topics and the preview, HTML and text, becomes that edition', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}/preview`);
    expect(await page.locator('h1').count()).toBeGreaterThan(0);
    const before = await frameText();
    expect(before).not.toContain('Picked for you');
    await expectAccessible('preview with topic picker');

    const picker = page.getByTestId('edition-picker');
    await picker.getByLabel('Policy').check();
    await picker.getByLabel('Safety').check();
    await picker.getByRole('button', { name: 'Preview this edition' }).click();
    await page.waitForURL(/topics=policy&topics=safety/);
    expect(await page.getByTestId('edition-name').innerText()).toContain('Policy + Safety');
    await expect.poll(frameText).toContain('Picked for you: Policy, Safety');
    expect(await frameText()).not.toEqual(before);
    await expect.poll(() => picker.getByLabel('Policy').isChecked()).toBe(true);
    await expectAccessible('preview of the Policy + Safety edition');
    await screenshot(page, 'editor-preview-edition');

    // the plain-text part keeps the topics
    await page.getByRole('group', { name: 'Part' }).getByRole('link', { name: 'Plain text' }).click();
    await expect.poll(() => page.getByTestId('text-part').innerText()).toContain('Picked for you: Policy, Safety');
    // and the other engine too
    await page.getByRole('group', { name: 'Engine' }).getByRole('link', { name: 'MJML' }).click();
    await expect.poll(() => page.getByTestId('text-part').innerText()).toContain('Picked for you: Policy, Safety');

    // unticking everything is the default edition again
    await picker.getByLabel('Policy').uncheck();
    await picker.getByLabel('Safety').uncheck();
    await picker.getByRole('button', { name: 'Preview this edition' }).click();
    await expect.poll(() => page.getByTestId('edition-name').innerText()).toContain('Default edition');
    expect(await page.getByTestId('text-part').innerText()).not.toContain('Picked for you');
  });

  it('says what is wrong with an unknown topic', async () => {
    const res = await page.goto(`${site.url}/editor/issues/${issueId}/preview?topics=astrology`);
    expect(res?.status()).toBe(422);
    expect(await page.getByTestId('topics-error').innerText()).toContain('astrology');
    await expectAccessible('preview with an unknown topic');
  });

  it('lists the editions on the send tab', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}/send`);
    const rows = page.locator('[data-testid=editions] tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['Default edition', 'Research', 'Policy + Safety']);
    await rows.nth(2).locator('summary').click();
    expect(await rows.nth(2).locator('ol li').count()).toBe(10);
    await expectAccessible('send tab with editions');
    await screenshot(page, 'editor-send-editions');
  });
});

// The editor's week in Chromium: magic-link sign-in from the dev mailbox, curating (buttons and drag), the preview
// following every change, pre-send checks, a test send, scheduling and cancelling, subscribers, audit; axe on each page.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoEvents } from '../../src/demo/seed-demo.js';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import { zonedDateTimeToUtc } from '../../src/core/issues/iso-week.js';
import { listMailbox } from '../../src/db/repos/dev-mailbox.js';
import { expectedStatuses, launchChromium, openPage, runAxe, screenshot, expectNoSeriousViolations, type WatchedPage } from '../helpers/browser.js';
import { EDITOR, startEditorSite, type EditorSite } from '../helpers/editor-site.js';
import { seedSubscribers } from '../helpers/seed.js';

let browser: Browser;
let site: EditorSite;
let w: WatchedPage;
let page: Page;
let issueId: string;

beforeAll(async () => {
  browser = await launchChromium();
  // The newsletter's zone and the editor's differ, as they do for a remote editor.
  site = await startEditorSite({ config: { tz: 'Europe/Berlin' } });
  await seedDemoEvents(site.deps);
  seedSubscribers(site.deps.testDb.sqlite, 12);
  issueId = (await buildDraft(site.deps)).issue.id;
  // Mail images point at hosts this sandbox cannot reach; 410 is the expired-link page.
  w = await openPage(browser, { ignore: [/net::ERR_/, expectedStatuses(404, 410)], timezoneId: 'America/New_York', locale: 'en-US' });
  page = w.page;
});
afterAll(async () => {
  await w?.page.context().close();
  await browser?.close();
  await site?.close();
  expect(w?.problems ?? [], 'console errors in the pages').toEqual([]);
});

/** Full-page screenshot from the top, so the sticky sidebar sits where a person sees it. */
async function shot(name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

async function expectAccessible(name: string) {
  expectNoSeriousViolations(await runAxe(page), name);
}

/** A person's drag: press, move in small steps (Chromium sends dragover along the way), release on the target's top edge. */
async function dragOnto(source: Locator, target: Locator) {
  await target.scrollIntoViewIfNeeded();
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + 60, b.y + 12, { steps: 12 });
  await page.mouse.move(b.x + 64, b.y + 10, { steps: 2 });
  await page.mouse.up();
}

const includedTitles = () => page.locator('ol.items > li .item-title').allTextContents();
const frameTitles = async () => {
  const frame = page.frameLocator('iframe[data-testid=mail-frame]');
  await frame.locator('body').waitFor();
  return (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
};

describe('editor workspace in Chromium', { timeout: 120_000 }, () => {
  it('signs in with the magic link read from the dev mailbox', async () => {
    await page.goto(`${site.url}/editor`);
    expect(new URL(page.url()).pathname).toBe('/editor/signin');
    await expectAccessible('sign-in page');
    await shot('editor-signin');
    const before = new Set((await listMailbox(site.deps.db, { to: EDITOR })).map((m) => m.id));
    await page.getByLabel('Work email').fill(EDITOR);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    await expectAccessible('check-your-inbox page');

    const mail = await site.waitForMail(EDITOR, (m) => !before.has(m.id));
    const link = /https?:\/\/\S+\/editor\/signin\/verify\?token=[\w-]+/.exec(mail.text)![0];
    await page.goto(link);
    await expectAccessible('finish-sign-in page');
    await shot('editor-signin-verify');
    await page.getByRole('button', { name: 'Continue to the workspace' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Dashboard');
    expect(await page.locator('.flash.ok').textContent()).toContain(`Signed in as ${EDITOR}`);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'wr_editor')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    await expectAccessible('dashboard');
    await shot('editor-dashboard');

    // the link is spent
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('This link no longer works');
    await expectAccessible('expired-link page');
  });

  it('reorders with the buttons and by drag, excludes a story, and the preview follows', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}`);
    await expectAccessible('issue editor');
    await shot('editor-issue-curate');
    const [first, second, third] = await includedTitles();

    // without JavaScript's help: a plain form post per button
    await page.getByRole('button', { name: `Move “${first}” down` }).click();
    await expect.poll(includedTitles).toEqual(expect.arrayContaining([second, first]));
    expect((await includedTitles()).slice(0, 2)).toEqual([second, first]);

    // drag the third story onto the top one (a tall window keeps both in view)
    await page.setViewportSize({ width: 1280, height: 1500 });
    const items = page.locator('ol.items > li');
    await dragOnto(items.nth(2).locator('.handle'), items.nth(0));
    await expect.poll(async () => (await includedTitles()).slice(0, 3)).toEqual([third, second, first]);
    await page.setViewportSize({ width: 1200, height: 900 });

    await page.getByRole('button', { name: `Exclude “${second}”` }).click();
    await expect.poll(includedTitles).not.toContain(second);
    expect(await page.locator('ul.items .item-title').allTextContents()).toContain(second);
    await shot('editor-issue-after-edits');

    await page.getByRole('link', { name: 'Preview & checks' }).click();
    const text = await frameTitles();
    expect(text).not.toContain(second);
    expect(text.indexOf(third)).toBeGreaterThan(-1);
    expect(text.indexOf(third)).toBeLessThan(text.indexOf(first));
    await shot('editor-preview-after-edits');
  });

  it('edits subject and intro; Markdown renders, raw HTML is shown as text', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}`);
    await page.getByLabel('Subject', { exact: true }).fill('This week: models, chips and rules');
    await page.getByLabel(/^Intro/).fill('Hello **readers**. <script>alert(1)</script>');
    await page.getByLabel('MJML').check();
    await page.getByRole('button', { name: 'Save texts' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('Texts saved');
    const intro = page.locator('.intro-preview');
    expect(await intro.locator('strong').textContent()).toBe('readers');
    expect(await intro.textContent()).toContain('<script>alert(1)</script>');
    expect(await intro.locator('script').count()).toBe(0);
    await page.getByLabel('React Email').check();
    await page.getByRole('button', { name: 'Save texts' }).click();
  });

  it('shows the preview at both widths, in dark mode, with both engines and the plain text, and the pre-send checks', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}/preview`);
    expect(await page.locator('.inbox-line .subject').textContent()).toBe('This week: models, chips and rules');
    const checks = page.locator('[data-testid=checks] > li');
    expect(await checks.count()).toBeGreaterThan(4);
    const failing = await page.locator('[data-testid=checks] > li[data-ok=false]').allTextContents();
    expect(failing).toEqual([]);
    expect(await frameTitles()).toContain('readers');
    await expectAccessible('preview');
    await shot('editor-preview-desktop');

    await page.getByRole('link', { name: 'Mobile' }).click();
    await page.getByRole('link', { name: 'Dark' }).click();
    expect(await page.locator('.frame-wrap').getAttribute('class')).toContain('mobile dark');
    await frameTitles();
    await shot('editor-preview-mobile-dark');

    await page.getByRole('link', { name: 'MJML' }).click();
    await page.getByRole('link', { name: 'Desktop' }).click();
    await page.getByRole('link', { name: 'Light' }).click();
    expect(new URL(page.url()).search).toBe('?engine=mjml&width=desktop&scheme=light&part=html');
    expect(await frameTitles()).toContain('readers');
    await shot('editor-preview-mjml');

    await page.getByRole('link', { name: 'Plain text' }).click();
    const text = await page.locator('[data-testid=text-part]').textContent();
    expect(text).toContain('Hello readers.');
    expect(text).toContain('/unsubscribe/preview');
    await expectAccessible('preview (plain text)');
    await shot('editor-preview-text');
  });

  it('sends a test to any address and shows it in the dev mailbox', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}/preview`);
    await page.getByLabel('To', { exact: true }).fill('colleague@example.org');
    await page.getByRole('button', { name: /Send test/ }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('Test queued to colleague@example.org');
    const mail = await site.waitForMail('colleague@example.org');
    expect(mail.subject).toBe('[Test] This week: models, chips and rules');

    // An old bookmark (the page was /editor/outbox until issue 14) lands on the mailbox.
    await page.goto(`${site.url}/editor/outbox`);
    expect(new URL(page.url()).pathname).toBe('/editor/mailbox');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Dev mailbox');
    await expectAccessible('dev mailbox');
    await shot('editor-mailbox');
    await page.getByRole('link', { name: '[Test] This week: models, chips and rules' }).click();
    const frame = page.frameLocator('iframe');
    await expect.poll(() => frame.locator('body').innerText()).toContain('readers');
    await expectAccessible('mailbox message');
    await shot('editor-mailbox-message');
  });

  it('schedules in the newsletter time zone with the local time beside it, reschedules, cancels and reopens', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}/send`);
    await expectAccessible('schedule page');
    const day = new Date(site.deps.clock.now().getTime() + 2 * 86_400_000);
    const tomorrow = day.toISOString().slice(0, 10);
    const at = (h: number, m: number) => zonedDateTimeToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, m, 'Europe/Berlin').toISOString();
    await page.getByLabel('Date').fill(tomorrow);
    await page.getByLabel(/^Time/).fill('09:30');
    await expect.poll(() => page.locator('[data-schedule-local]').textContent()).toMatch(/where you are/);
    await shot('editor-schedule-form');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('Scheduled for');
    expect(await page.locator('[data-testid=scheduled-at]').textContent()).toContain('09:30');
    // shown in Berlin time, with the New York editor's own time beside it
    expect(await page.locator('[data-testid=scheduled-at]').textContent()).toMatch(/CET|GMT\+1/);
    expect(await page.locator('.local-time[data-local-time]').first().textContent()).toMatch(/^Your time: .*(EST|GMT-5)/);
    const row = () => site.deps.db.selectFrom('issues').selectAll().where('id', '=', issueId).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ status: 'scheduled', scheduled_at: at(9, 30) });
    await shot('editor-scheduled');

    await page.getByLabel(/^Time/).fill('11:00');
    await page.getByRole('button', { name: 'Reschedule' }).click();
    await expect.poll(async () => (await row()).scheduled_at).toBe(at(11, 0));

    await page.getByRole('button', { name: 'Cancel schedule' }).click();
    await expect.poll(async () => (await row()).status).toBe('draft');
    await page.getByRole('button', { name: 'Cancel issue' }).click();
    await expect.poll(async () => (await row()).status).toBe('canceled');
    await shot('editor-canceled');
    await page.getByRole('button', { name: 'Reopen as draft' }).click();
    await expect.poll(async () => (await row()).status).toBe('draft');
  });

  it('states the audience before sending now', async () => {
    await page.goto(`${site.url}/editor/issues/${issueId}/send`);
    await page.getByRole('link', { name: 'Send now…' }).click();
    expect(await page.locator('[data-testid=audience]').textContent()).toBe('12');
    expect(await page.getByRole('button', { name: 'Yes, send to 12 readers' }).count()).toBe(1);
    await expectAccessible('send confirmation');
    await shot('editor-send-confirm');
    await page.getByRole('link', { name: 'Not now' }).click();
  });

  it("imports subscribers from CSV, shows one reader's history, unsubscribes them and exports", async () => {
    await page.goto(`${site.url}/editor/subscribers`);
    await expectAccessible('subscribers');
    const csv =
      'email,name,topics,consent_source\nnew.one@example.net,New One,models;policy,\nsigned.paper@example.net,,,"paper form, Berlin meetup 2026-11-12"\nbroken-address,,,\n';
    await page.getByLabel('CSV file').setInputFiles({ name: 'import.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import' }).click();
    const flash = await page.locator('.flash').textContent();
    expect(flash).toContain('1 pending (confirmation sent), 1 active with recorded consent');
    expect(flash).toContain('line 4');
    await shot('editor-subscribers');
    const confirm = await site.waitForMail('new.one@example.net');
    expect(confirm.subject).toMatch(/confirm/i);

    await page.getByRole('combobox', { name: 'Status' }).selectOption('pending');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'new.one@example.net' }).click();
    expect(await page.locator('.timeline').textContent()).toContain('signup via import');
    await expectAccessible('subscriber detail');
    await shot('editor-subscriber-detail');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('Unsubscribed');
    expect(await page.locator('.timeline').textContent()).toContain('unsubscribe');

    const res = await page.request.get(`${site.url}/editor/subscribers/export.csv`);
    expect(res.headers()['content-type']).toContain('text/csv');
    const body = await res.text();
    expect(body.split('\r\n')[0]).toBe('email,name,status,topics,source,created_at,confirmed_at,unsubscribed_at');
    expect(body).toContain('signed.paper@example.net,,active');
    expect(body).toContain('new.one@example.net,New One,unsubscribed,models;policy');
  });

  it('shows the audit log and the editors page', async () => {
    await page.goto(`${site.url}/editor/audit`);
    const actions = await page.locator('td code').allTextContents();
    expect(actions).toEqual(
      expect.arrayContaining([
        'issue.item_moved',
        'issue.items_reordered',
        'issue.item_excluded',
        'issue.test_sent',
        'issue.scheduled',
        'issue.canceled',
        'subscribers.imported',
        'subscriber.unsubscribed',
        'editor.signin',
      ]),
    );
    const targetLinks = (scope = 'body') =>
      page.locator(`${scope} tbody td:nth-child(4) a`).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    // Issues and subscribers an entry touched link to their pages.
    expect(await targetLinks()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/editor\/issues\/\d{4}-w\d{2}$/), expect.stringMatching(/^\/editor\/subscribers\/\d+$/)]),
    );
    await expectAccessible('audit log');
    await shot('editor-audit');
    await page.goto(`${site.url}/editor/editors`);
    await expectAccessible('editors');
    await page.getByLabel('Email').fill('second@example.com');
    await page.getByRole('button', { name: 'Add editor' }).click();
    await expect.poll(() => page.locator('tbody').textContent()).toContain('second@example.com');
    await shot('editor-editors');
    await page.goto(`${site.url}/editor/issues`);
    await expectAccessible('issues list');
    await shot('editor-issues');
    const missing = await page.goto(`${site.url}/editor/issues/1999-w01`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Not found');
    await expectAccessible('not-found page');
    await page.goto(`${site.url}/editor`);
    // The dashboard's recent activity names its targets the way the audit log does.
    expect(await targetLinks('section[aria-labelledby="activity"]')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/editor\/(issues|subscribers)\//)]),
    );
    await expectAccessible('dashboard after a week of work');
    await shot('editor-dashboard-later');
  });
});

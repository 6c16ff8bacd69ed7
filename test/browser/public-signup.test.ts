// The visitor's path in Chromium: signup with JavaScript on and off, errors shown, the mailed link confirming.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  expectedStatuses,
  launchChromium,
  openPage,
  runAxe,
  runAxeOnMarkup,
  screenshot,
  expectNoSeriousViolations,
  type WatchedPage,
} from '../helpers/browser.js';
import { Hono } from 'hono';
import { embedSnippet } from '../../src/http/public/embed-snippet.js';
import { seedSentIssue, startPublicSite, type PublicSite } from '../helpers/public-site.js';
import { startServer, type TestServer } from '../helpers/server.js';

let browser: Browser;
let site: PublicSite;
let w: WatchedPage;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());
beforeEach(async () => {
  site = await startPublicSite({ now: '2026-11-19T12:00:00.000Z' });
  await seedSentIssue(site);
  site.deps.clock.set('2026-11-26T12:00:00.000Z');
});
afterEach(async () => {
  await w?.page.context().close();
  await site?.close();
  expect(w?.problems ?? [], 'console errors in the page').toEqual([]);
});

const row = (email: string) => site.deps.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();

async function expectAccessible(name: string, scripted = true) {
  expectNoSeriousViolations(scripted ? await runAxe(w.page) : await runAxeOnMarkup(browser, w.page), name);
}

describe('signup with JavaScript on', () => {
  it('subscribes in place and announces it in the live region', async () => {
    w = await openPage(browser, { ignore: [expectedStatuses(400, 422)] });
    const { page } = w;
    await page.goto(`${site.url}/`);
    await expect.poll(() => page.title()).toBe('Weekly AI Recap');
    await expectAccessible('signup page');
    await screenshot(page, 'public-signup-desktop');
    await page.getByLabel('Email address').fill('js.on@example.com');
    await page.getByLabel('First name').fill('Jo');
    await page.getByLabel('Policy').check();
    await page.getByLabel('Safety').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const status = page.locator('#signup-status');
    await expect.poll(() => status.textContent()).toContain('Check your inbox');
    expect(page.url()).toBe(`${site.url}/`); // no navigation: the fetch path was used
    expect(await page.getByLabel('Email address').inputValue()).toBe('');
    await screenshot(page, 'public-signup-js-done');
    expect(await row('js.on@example.com')).toMatchObject({ status: 'pending', name: 'Jo', topics: '["policy","safety"]', source: 'form' });
  });

  it('shows an invalid address as an error next to the field, from the browser and from the server', async () => {
    w = await openPage(browser, { ignore: [expectedStatuses(400, 422)] });
    const { page } = w;
    await page.goto(`${site.url}/`);
    const email = page.getByLabel('Email address');
    await email.fill('not-an-address');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('#email-error').textContent()).toContain('does not look like an email address');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');

    await email.fill('someone@localhost'); // passes the quick check, the server refuses it
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('#email-error').textContent()).toContain('Enter a valid email address, like name@example.com.');
    await expect.poll(() => page.locator('#signup-status').textContent()).toContain('Enter a valid email address');
    await expectAccessible('signup page with an error');
    await screenshot(page, 'public-signup-js-error');
    expect(await site.deps.db.selectFrom('subscribers').select('id').execute()).toEqual([]);
  });

  it('looks right on a phone in dark mode', async () => {
    w = await openPage(browser, { viewport: { width: 375, height: 800 }, colorScheme: 'dark', isMobile: true, hasTouch: true });
    await w.page.goto(`${site.url}/`);
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible('signup page, phone, dark');
    await screenshot(w.page, 'public-signup-mobile-dark');
  });
});

describe('signup with JavaScript off', () => {
  it('posts the form and lands on the "check your inbox" page', async () => {
    w = await openPage(browser, { javaScriptEnabled: false, ignore: [expectedStatuses(422)] });
    const { page } = w;
    await page.goto(`${site.url}/`);
    await page.getByLabel('Email address').fill('js.off@example.com');
    await page.getByLabel('Models').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    expect(page.url()).toBe(`${site.url}/subscribe`);
    await expectAccessible('check your inbox', false);
    await screenshot(page, 'public-signup-nojs-done');
    expect(await row('js.off@example.com')).toMatchObject({ status: 'pending', topics: '["models"]', source: 'form' });
  });

  it('shows the server-side error in the page and keeps what was typed', async () => {
    w = await openPage(browser, { javaScriptEnabled: false, ignore: [expectedStatuses(422)] });
    const { page } = w;
    await page.goto(`${site.url}/`);
    await page.getByLabel('Email address').fill('someone@localhost');
    await page.getByLabel('First name').fill('Sam');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Enter a valid email address, like name@example.com.');
    expect(await page.getByLabel('Email address').inputValue()).toBe('someone@localhost');
    expect(await page.getByLabel('First name').inputValue()).toBe('Sam');
    await expectAccessible('signup error page', false);
    await screenshot(page, 'public-signup-nojs-error');
  });
});

describe('the confirmation link', () => {
  it('opens on a button (opening changes nothing), confirms on click, and a broken link offers a new one', async () => {
    w = await openPage(browser, { ignore: [expectedStatuses(400, 422)] });
    const { page } = w;
    await page.goto(`${site.url}/`);
    await page.getByLabel('Email address').fill('confirm.me@example.com');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.locator('#signup-status').textContent()).toContain('Check your inbox');

    const link = await site.linkIn('confirm.me@example.com', 'confirm', 'confirm');
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Confirm your subscription');
    expect(await page.locator('main').textContent()).toContain('co••••••@example.com');
    await expectAccessible('confirm button page');
    await screenshot(page, 'public-confirm-button');
    expect((await row('confirm.me@example.com'))?.status).toBe('pending');
    expect(await site.mails({ kind: 'welcome', to: 'confirm.me@example.com' })).toHaveLength(0);

    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are subscribed');
    await expectAccessible('confirmed page');
    await screenshot(page, 'public-confirmed');
    expect((await row('confirm.me@example.com'))?.status).toBe('active');
    expect(await site.mails({ kind: 'welcome', to: 'confirm.me@example.com' })).toHaveLength(1);

    await page.getByRole('link', { name: 'Read the latest issue' }).click();
    await page.waitForURL(/\/archive\//);
    expect(await page.getByRole('navigation', { name: 'Site' }).textContent()).toContain('All issues');

    const res = await page.goto(`${link.slice(0, -6)}AAAAAA`);
    expect(res?.status()).toBe(400);
    await expectAccessible('link problem page');
    await screenshot(page, 'public-confirm-bad-link');
    await page.getByLabel('Email address').fill('confirm.me@example.com');
    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
  });
});

describe('the embeddable form on another site', () => {
  let blog: TestServer;
  afterEach(async () => blog?.close());

  async function blogWithSnippet() {
    // Another origin (another port) serving the documented snippet, allowed through CORS_ORIGINS.
    let snippet = '';
    blog = await startServer(
      new Hono()
        .get('/favicon.ico', (c) => c.body(null, 204))
        .get('/', (c) => c.html(`<!doctype html><html lang="en"><head><title>A blog</title></head><body><main><h1>A blog</h1>${snippet}</main></body></html>`)),
    );
    await site.close();
    site = await startPublicSite({ config: { corsOrigins: [blog.url] } });
    snippet = embedSnippet(site.url);
  }

  it('subscribes through the JSON API across origins', async () => {
    await blogWithSnippet();
    w = await openPage(browser);
    const { page } = w;
    await page.goto(blog.url);
    await page.getByLabel('Email address').fill('embedded@example.com');
    await page.getByRole('button', { name: 'Subscribe to the Weekly AI Recap' }).click();
    await expect.poll(() => page.locator('.wr-status').textContent()).toContain('Check your inbox');
    expect(await row('embedded@example.com')).toMatchObject({ status: 'pending', source: 'api' });
    const consent = await site.deps.db.selectFrom('consents').selectAll().executeTakeFirstOrThrow();
    expect(consent.form_version).toBe('embed-v1');
    await screenshot(page, 'public-embed-js');
  });

  it('without JavaScript, lands on the signup page that asks for one more click', async () => {
    await blogWithSnippet();
    w = await openPage(browser, { javaScriptEnabled: false, ignore: [expectedStatuses(403)] });
    const { page } = w;
    await page.goto(blog.url);
    await page.getByLabel('Email address').fill('nojs.embed@example.com');
    await page.getByRole('button', { name: 'Subscribe to the Weekly AI Recap' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('press Subscribe again');
    expect(await row('nojs.embed@example.com')).toBeUndefined();
    expect(await page.getByLabel('Email address').inputValue()).toBe('nojs.embed@example.com');
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your inbox');
    expect((await row('nojs.embed@example.com'))?.status).toBe('pending');
  });
});

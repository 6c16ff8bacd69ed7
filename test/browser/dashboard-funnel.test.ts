// The dashboard's "Last issue's delivery" in Chromium (issue 16): the last issue's funnel and the trend over the last
// issues render as SVG charts from seeded sends with deliveries in various statuses, their tables hold the numbers
// for screen readers, and axe finds nothing serious.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { expectNoSeriousViolations, launchChromium, openPage, runAxe, screenshot, type WatchedPage } from '../helpers/browser.js';
import { startEditorSite, type EditorSite, signInPage } from '../helpers/editor-site.js';
import { seedDraft, seedSubscribers } from '../helpers/seed.js';

let browser: Browser;
let site: EditorSite;
let w: WatchedPage;

beforeAll(async () => {
  site = await startEditorSite({ now: '2026-11-05T12:00:00.000Z' });
  browser = await launchChromium();
  w = await openPage(browser);
});
afterAll(async () => {
  await w?.page.context().close();
  await browser?.close();
  await site?.close();
  expect(w?.problems ?? [], 'console errors in the pages').toEqual([]);
});

/** Three weekly issues to 40 readers; the provider's outcomes set per issue (the triggers count them). */
async function seedSends(): Promise<string[]> {
  const { sqlite } = site.deps.testDb;
  seedSubscribers(sqlite, 40);
  const ids: string[] = [];
  for (let week = 0; week < 3; week++) {
    if (week) site.deps.clock.advance(7 * 86_400_000);
    const id = await seedDraft(site.deps);
    await startSending(site.deps, id);
    await site.flush();
    // issue k: 30 - k delivered, k + 1 hard bounces, k complaints (30 reached the inbox), the rest left as sent
    const k = week;
    const rows = (sqlite.prepare("SELECT id FROM deliveries WHERE issue_id = ? AND kind = 'recap' ORDER BY id").all(id) as { id: number }[]).map((r) => r.id);
    const set = sqlite.prepare('UPDATE deliveries SET status = ? WHERE id = ?');
    rows.forEach((rowId, i) => {
      const status = i < 30 - k ? 'delivered' : i < 31 ? 'bounced' : i < 31 + k ? 'complained' : 'sent';
      set.run(status, rowId);
    });
    ids.push(id);
  }
  return ids;
}

describe('dashboard delivery charts', { timeout: 60_000 }, () => {
  it('shows the last issue funnel and the trend as charts with tables for screen readers', async () => {
    const ids = await seedSends();
    await signInPage(site, w.page);
    const { page } = w;
    await page.goto(`${site.url}/editor`);
    const funnel = page.getByTestId('funnel-chart');
    const trend = page.getByTestId('funnel-trend');
    expect(await funnel.getByRole('img', { name: /Delivery funnel of 2026-W47/ }).isVisible()).toBe(true);
    expect(await trend.getByRole('img', { name: /Delivery over the last issues/ }).isVisible()).toBe(true);
    expect(await funnel.locator('svg rect').count()).toBe(6);
    expect(await trend.locator('svg rect').count()).toBe(ids.length);
    // the last issue: 40 accepted, 28 + 2 complained delivered, 3 bounced, 2 complained
    const firstRow = await funnel.locator('table tbody tr').first().locator('td').allTextContents();
    expect(firstRow).toEqual(['all editions', '40', '30', '3', '2', '0', '0']);
    const trendRows = await trend.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(trendRows).toEqual([
      ['2026-W45', '40', '30', '1', '0', '0', '0'],
      ['2026-W46', '40', '30', '2', '1', '0', '0'],
      ['2026-W47', '40', '30', '3', '2', '0', '0'],
    ]);
    await screenshot(page, 'dashboard-funnel');
    expectNoSeriousViolations(await runAxe(page), 'dashboard');
  });
});

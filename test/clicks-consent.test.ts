// Click-measurement consent (issue 16): a checkbox on the signup form and the preferences page, kept as consent
// records; and the retention of per-reader click rows.
import { afterEach, describe, expect, it } from 'vitest';
import { runHousekeeping } from '../src/core/housekeeping.js';
import { recordClicks } from '../src/db/repos/clicks.js';
import { startPublicSite, type PublicSite } from './helpers/public-site.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';
import { seedSendingIssue, seedSubscribers } from './helpers/seed.js';

let site: PublicSite | undefined;
let deps: TestDeps | undefined;
afterEach(async () => {
  await site?.close();
  await deps?.cleanup();
  site = undefined;
  deps = undefined;
});

const consentActions = (s: PublicSite, email: string) =>
  s.deps.testDb.sqlite
    .prepare(
      "SELECT c.action FROM consents c JOIN subscribers s ON s.id = c.subscriber_id WHERE s.email = ? AND c.action LIKE 'click-measurement-%' ORDER BY c.id",
    )
    .all(email)
    .map((r) => (r as { action: string }).action);

describe('click-measurement consent', () => {
  it('the signup form records a yes only when ticked, and the preferences page shows it and takes it back', async () => {
    site = await startPublicSite();
    const page = await (await fetch(`${site.url}/`)).text();
    expect(page).toContain('Let us see which stories I click');
    const { cookie, token } = await site.csrf('/');
    await site.postForm('/subscribe', { csrf: token, email: 'yes@example.com', clicks: 'yes' }, { cookie });
    await site.postForm('/subscribe', { csrf: token, email: 'no@example.com' }, { cookie });
    expect(consentActions(site, 'yes@example.com')).toEqual(['click-measurement-yes']);
    expect(consentActions(site, 'no@example.com')).toEqual([]);
    // the JSON API takes it too
    expect((await site.postJson('/api/subscribe', { email: 'api@example.com', clickMeasurement: true })).status).toBe(202);
    expect(consentActions(site, 'api@example.com')).toEqual(['click-measurement-yes']);

    await site.confirm(await site.linkIn('yes@example.com', 'confirm', 'confirm'));
    const prefs = await site.linkIn('yes@example.com', 'welcome', 'preferences');
    expect(await (await fetch(prefs)).text()).toMatch(/name="clicks" value="yes"[^>]*checked/);
    // a stranger re-submitting the confirmed address with the box ticked changes nothing
    await site.postForm('/subscribe', { csrf: token, email: 'yes@example.com', clicks: 'yes' }, { cookie });
    expect(consentActions(site, 'yes@example.com')).toEqual(['click-measurement-yes']);

    const path = new URL(prefs).pathname;
    const form = await site.csrf(path);
    // an old form without the box leaves the consent alone; the current one withdraws it when unticked
    await site.postForm(path, { csrf: form.token, pause: 'keep' }, { cookie: form.cookie });
    expect(consentActions(site, 'yes@example.com')).toEqual(['click-measurement-yes']);
    expect((await site.postForm(path, { csrf: form.token, pause: 'keep', clicksShown: '1' }, { cookie: form.cookie })).status).toBe(303);
    expect(consentActions(site, 'yes@example.com')).toEqual(['click-measurement-yes', 'click-measurement-no']);
    expect(await (await fetch(prefs)).text()).not.toMatch(/name="clicks" value="yes"[^>]*checked/);
  });

  it('keeps per-reader click rows 180 days, then folds them into the story counter as a number of readers', async () => {
    deps = makeDeps();
    seedSubscribers(deps.testDb.sqlite, 2);
    const issueId = await seedSendingIssue(deps);
    const old = new Date(deps.clock.now().getTime() - 181 * 864e5).toISOString();
    const recent = new Date(deps.clock.now().getTime() - 10 * 864e5).toISOString();
    await recordClicks(deps.db, [
      { issueId, eventId: 1, edition: 0, scanner: false, subscriberId: 1, atIso: old },
      { issueId, eventId: 1, edition: 0, scanner: false, subscriberId: 2, atIso: recent },
      { issueId, eventId: 1, edition: 0, scanner: false, subscriberId: 1, atIso: old },
    ]);
    const r = await runHousekeeping(deps);
    expect(r.readerClicksFolded).toBe(1);
    expect(deps.testDb.sqlite.prepare('SELECT subscriber_id FROM click_readers').all()).toEqual([{ subscriber_id: 2 }]);
    expect(deps.testDb.sqlite.prepare('SELECT clicks, readers_folded FROM click_counts').all()).toEqual([{ clicks: 3, readers_folded: 1 }]);
    // a second run folds nothing twice
    expect((await runHousekeeping(deps)).readerClicksFolded).toBe(0);
    expect(deps.testDb.sqlite.prepare('SELECT readers_folded FROM click_counts').get()).toEqual({ readers_folded: 1 });
  });
});

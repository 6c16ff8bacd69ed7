// The delivery funnel (issue 16): counts per issue and edition kept by the database's triggers as a real send and its
// provider events move the rows, unsubscribes attributed to the issue sent in the week before, and the 12-issue trend.
import { afterEach, describe, expect, it } from 'vitest';
import { startSending } from '../src/core/issues/issue-lifecycle.js';
import { issueFunnel, issueFunnelTrend } from '../src/core/issues/issue-funnel.js';
import { dispatch } from '../src/core/send/dispatch.js';
import { applyProviderEvent, type ProviderEvent } from '../src/core/send/provider-events.js';
import { createProviderPacer } from '../src/core/send/provider-pacer.js';
import { unsubscribeSubscriber } from '../src/core/subscribers/unsubscribe.js';
import type { SubscriberRow } from '../src/db/schema.js';
import { editionOf } from '../src/shared/topics.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';
import { seedDraft, seedSubscribers } from './helpers/seed.js';

let deps: TestDeps;
afterEach(() => deps?.cleanup());

const WEEK = 7 * 86_400_000;
let svix = 0;

async function sendIssue(): Promise<string> {
  const id = await seedDraft(deps);
  await startSending(deps, id);
  await dispatch(deps, { owner: 't', limiter: createProviderPacer(Number.POSITIVE_INFINITY), leaseMs: 5000 });
  return id;
}

/** A provider event about reader `n`'s mail of this issue, applied as the webhook handler does. */
async function event(issueId: string, n: number, type: string, bounceType?: 'Permanent' | 'Transient') {
  const row = deps.testDb.sqlite
    .prepare('SELECT d.resend_id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.issue_id = ? AND s.email = ?')
    .get(issueId, `reader${n}@example.com`) as { resend_id: string };
  const body: ProviderEvent = { type, data: { email_id: row.resend_id, ...(bounceType ? { bounce: { type: bounceType } } : {}) } };
  await applyProviderEvent(deps, `msg_${++svix}`, body, JSON.stringify(body));
}

async function unsubscribe(n: number) {
  const sub = deps.testDb.sqlite.prepare('SELECT * FROM subscribers WHERE email = ?').get(`reader${n}@example.com`) as SubscriberRow;
  expect(await unsubscribeSubscriber(deps, sub, 'one-click', { ip: null, userAgent: null })).toBe(true);
}

describe('issueFunnel', () => {
  it('counts accepted, delivered, bounced, complained, failed and unsubscribed per issue and per edition', async () => {
    deps = makeDeps();
    // readers 0-5 follow no topic (the default edition), 6-9 follow policy
    seedSubscribers(deps.testDb.sqlite, 10, { topics: (i) => (i >= 6 ? ['policy'] : []) });
    const id = await sendIssue();
    for (const n of [0, 1, 2, 6, 7]) await event(id, n, 'email.delivered');
    await event(id, 3, 'email.bounced', 'Permanent');
    await event(id, 4, 'email.bounced', 'Transient'); // a soft bounce is not a bounce in the funnel
    await event(id, 7, 'email.complained');
    await event(id, 8, 'email.failed');
    await event(id, 0, 'email.delivered'); // a repeated event for the same mail moves nothing
    deps.clock.advance(2 * 86_400_000);
    await unsubscribe(1);
    await unsubscribe(6);

    const f = await issueFunnel(deps, id);
    expect(f).toMatchObject({ issueId: id, status: 'sent', audience: 10, accepted: 10, delivered: 5, bounced: 1, complained: 1, failed: 1, unsubscribed: 2 });
    expect(f.editions).toEqual([
      { edition: 0, topics: [], accepted: 6, delivered: 3, bounced: 1, complained: 0, failed: 0, unsubscribed: 1 },
      { edition: editionOf(['policy']), topics: ['policy'], accepted: 4, delivered: 2, bounced: 0, complained: 1, failed: 1, unsubscribed: 1 },
    ]);
  });

  it('attributes an unsubscribe to the latest issue sent in the 7 days before it, and to none after that', async () => {
    deps = makeDeps();
    seedSubscribers(deps.testDb.sqlite, 4);
    const first = await sendIssue();
    deps.clock.advance(WEEK);
    const second = await sendIssue();
    deps.clock.advance(86_400_000);
    await unsubscribe(0); // a day after the second issue: the second one's
    deps.clock.advance(WEEK);
    await unsubscribe(1); // 8 days after the last issue: nobody's
    expect((await issueFunnel(deps, first)).unsubscribed).toBe(0);
    expect((await issueFunnel(deps, second)).unsubscribed).toBe(1);
  });
});

describe('issueFunnelTrend', () => {
  it('lists the last N issues that went out, oldest first, drafts left out', async () => {
    deps = makeDeps();
    seedSubscribers(deps.testDb.sqlite, 3);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      if (i) deps.clock.advance(WEEK);
      ids.push(await sendIssue());
    }
    await event(ids[2], 0, 'email.delivered');
    deps.clock.advance(WEEK);
    await seedDraft(deps); // this week's draft: not in the trend
    const trend = await issueFunnelTrend(deps, 2);
    expect(trend.map((t) => t.issueId)).toEqual([ids[1], ids[2]]);
    expect(trend.map((t) => [t.accepted, t.delivered])).toEqual([
      [3, 0],
      [3, 1],
    ]);
    expect((await issueFunnelTrend(deps)).map((t) => t.issueId)).toEqual(ids);
  });
});

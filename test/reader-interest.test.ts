// Readers' interest feeds the next selection (issue 16): clicks per topic in the last four sent issues lift or lower
// next week's stories of that topic, bounded by the readerInterest weight, and the breakdown shows the term.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScoreWeights } from '../src/config.js';
import { scoreBreakdown } from '../src/core/events/event-score.js';
import { ingestEvents } from '../src/core/events/ingest-events.js';
import { buildDraft } from '../src/core/issues/build-draft.js';
import { getIssueView } from '../src/core/issues/issue-view.js';
import { readerInterestLifts, storyLift, topicLifts } from '../src/core/selection/reader-interest.js';
import { getEventByExternalId } from '../src/db/repos/events.js';
import { eventInput } from './factories.js';
import { makeDeps, type TestDeps } from './helpers/deps.js';
import { startEditorSite } from './helpers/editor-site.js';
import { seedSubscribers } from './helpers/seed.js';

const opened: TestDeps[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.cleanup();
});

const NOW = '2026-11-26T12:00:00.000Z'; // 2026-W48

/** Two stories equal in every signal, one on models and one on policy; without interest, policy wins the tie (id). */
async function thisWeek(deps: TestDeps): Promise<void> {
  const same = { publishedAt: '2026-11-25T10:00:00.000Z', views: 500, clicks: 20, shares: 2, sourceCount: 1, sourceName: 'Same Outlet' };
  await ingestEvents(deps, {
    events: [
      eventInput({
        ...same,
        externalId: 'a-policy',
        title: 'Regulators publish a draft rule on frontier labs',
        url: 'https://n.example/p',
        topics: ['policy'],
      }),
      eventInput({ ...same, externalId: 'b-models', title: 'A small open model beats last year giants', url: 'https://n.example/m', topics: ['models'] }),
    ],
  });
}

/**
 * Sent issues, oldest first, each with a models and a policy story mailed to 10 readers: `clicks(i)` gives the
 * [models, policy] people's clicks of issue i; policy also gets many scanner clicks, which must not count.
 */
async function history(deps: TestDeps, clicks: (i: number) => [number, number], n = 5): Promise<void> {
  const sqlite = deps.testDb.sqlite;
  seedSubscribers(sqlite, 10);
  const subs = sqlite.prepare('SELECT id FROM subscribers ORDER BY id').all() as { id: number }[];
  for (let i = 0; i < n; i++) {
    const week = 43 + i - (5 - n);
    const id = `2026-w${week}`;
    const day = `2026-10-${String(20 + i).padStart(2, '0')}T10:00:00.000Z`;
    await ingestEvents(deps, {
      events: [
        eventInput({ externalId: `old-m-${i}`, publishedAt: day, topics: ['models'] }),
        eventInput({ externalId: `old-p-${i}`, publishedAt: day, topics: ['policy'] }),
      ],
    });
    const m = (await getEventByExternalId(deps.db, `old-m-${i}`))!.id;
    const p = (await getEventByExternalId(deps.db, `old-p-${i}`))!.id;
    sqlite
      .prepare(`INSERT INTO issues (id, week, slug, status, started_at, sent_at, built_at, created_at, updated_at) VALUES (?, ?, ?, 'sent', ?, ?, ?, ?, ?)`)
      .run(id, `2026-W${week}`, id, day, day, day, day, day);
    for (const [ev, title] of [
      [m, 'models story'],
      [p, 'policy story'],
    ] as const)
      sqlite.prepare('INSERT INTO issue_links (issue_id, event_id, url, title) VALUES (?, ?, ?, ?)').run(id, ev, `https://x.example/${ev}`, title);
    for (const s of subs)
      sqlite
        .prepare(`INSERT INTO deliveries (issue_id, subscriber_id, kind, status, created_at, updated_at, sent_at) VALUES (?, ?, 'recap', 'delivered', ?, ?, ?)`)
        .run(id, s.id, day, day, day);
    const [cm, cp] = clicks(i);
    const count = sqlite.prepare('INSERT INTO click_counts (issue_id, event_id, edition, clicks, scanner_clicks) VALUES (?, ?, 0, ?, ?)');
    count.run(id, m, cm, 0);
    count.run(id, p, cp, 500);
  }
}

async function order(deps: TestDeps) {
  const { issue } = await buildDraft(deps);
  const view = await getIssueView(deps, issue.id);
  return view.items.map((it) => ({ ext: it.event.externalId, b: it.scoreBreakdown }));
}

describe('readerInterest in the selection', () => {
  it('flips two otherwise equal stories toward the topic readers clicked more, and shows the term', async () => {
    const plain = makeDeps({ now: NOW });
    opened.push(plain);
    await thisWeek(plain);
    const before = await order(plain);
    expect(before.map((x) => x.ext)).toEqual(['a-policy', 'b-models']);
    expect(before.every((x) => x.b.readerInterest === 0)).toBe(true);

    // The oldest of five issues favours policy heavily: only the last four count.
    const clicked = makeDeps({ now: NOW });
    opened.push(clicked);
    await history(clicked, (i) => (i === 0 ? [0, 5000] : [8, 2]));
    await thisWeek(clicked);
    const after = await order(clicked);
    expect(after.map((x) => x.ext)).toEqual(['b-models', 'a-policy']);
    const [models, policy] = after.map((x) => x.b);
    expect(models.readerInterest).toBeGreaterThan(0);
    expect(policy.readerInterest).toBeLessThan(0);
    expect(models.readerInterest).toBeLessThanOrEqual(defaultScoreWeights.readerInterest);
    // The other terms are the same: the interest term alone reorders them.
    expect(models.total - models.readerInterest).toBeCloseTo(policy.total - policy.readerInterest, 9);
    // ratio 8/5 and 2/5 of the mean: tanh(ln 1.6) and tanh(ln 0.4)
    expect(models.readerInterest).toBeCloseTo(defaultScoreWeights.readerInterest * Math.tanh(Math.log(1.6)), 9);
    expect(policy.readerInterest).toBeCloseTo(defaultScoreWeights.readerInterest * Math.tanh(Math.log(0.4)), 9);
  });

  it('is 0 with sent issues but no clicks, or too few clicks (scanner clicks do not count)', async () => {
    const none = makeDeps({ now: NOW });
    opened.push(none);
    await history(none, () => [0, 0], 4);
    await thisWeek(none);
    expect(await readerInterestLifts(none)).toEqual(new Map());
    const items = await order(none);
    expect(items.map((x) => x.ext)).toEqual(['a-policy', 'b-models']);
    expect(items.every((x) => x.b.readerInterest === 0)).toBe(true);

    const few = makeDeps({ now: NOW });
    opened.push(few);
    await history(few, () => [4, 0], 4); // 16 people's clicks (and 2,000 scanner clicks) in the last four issues
    expect(await readerInterestLifts(few)).toEqual(new Map());
  });
});

describe('the editor', () => {
  it("shows the term in each story's score breakdown, negative ones too", async () => {
    const site = await startEditorSite({ now: NOW });
    try {
      await history(site.deps, () => [8, 2], 4);
      await thisWeek(site.deps);
      const items = await order(site.deps);
      const { cookie } = await site.signIn();
      const html = await (await fetch(`${site.url}/editor/issues/${(await buildDraft(site.deps)).issue.id}`, { headers: { cookie } })).text();
      for (const it of items) {
        expect(it.b.readerInterest).not.toBe(0);
        expect(html).toContain(`Reader interest ${it.b.readerInterest.toFixed(2)}`);
      }
    } finally {
      await site.close();
    }
  });
});

describe('topicLifts', () => {
  const row = (topic: string, clicks: number, accepted = 1000) => ({ topicsJson: JSON.stringify([topic]), category: null, clicks, accepted });

  it('stays within [-1, 1] with extreme data, and the term within its weight', () => {
    const lifts = topicLifts([row('models', 1e12, 1), row('policy', 0), row('tools', 1, 1e12), row('safety', Number.MAX_SAFE_INTEGER, 1)]);
    expect(lifts.size).toBe(4);
    for (const v of lifts.values()) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
    expect(lifts.get('policy')).toBe(-1);
    const w = { ...defaultScoreWeights, readerInterest: 0.5 };
    const event = { views: 0, clicks: 0, shares: 0, editorBoost: 0 } as Parameters<typeof scoreBreakdown>[0];
    for (const lift of [1e9, -1e9, Infinity, Number.NaN]) expect(Math.abs(scoreBreakdown(event, 0, 1, 0, w, lift).readerInterest)).toBeLessThanOrEqual(0.5);
    expect(storyLift(['models', 'policy'], null, lifts)).toBeCloseTo(((lifts.get('models') ?? 0) - 1) / 2, 12);
  });

  it('is empty without data or under 20 clicks, and relative to the mean over topics', () => {
    expect(topicLifts([])).toEqual(new Map());
    expect(topicLifts([row('models', 19), row('policy', 0)])).toEqual(new Map());
    const even = topicLifts([row('models', 10), row('policy', 10)]);
    expect(even.get('models')).toBe(0);
    expect(even.get('policy')).toBe(0);
  });
});

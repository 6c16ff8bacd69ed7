// Sending editions: each reader gets their topic set's stories exactly once, frozen at the snapshot, the same bytes on a retry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDraft } from '../../src/core/issues/build-draft.js';
import { ingestEvents } from '../../src/core/events/ingest-events.js';
import { getIssueView } from '../../src/core/issues/issue-view.js';
import { startSending } from '../../src/core/issues/issue-lifecycle.js';
import { dispatch } from '../../src/core/send/dispatch.js';
import { prepareIssueSend } from '../../src/core/send/prepare-issue.js';
import { createProviderPacer } from '../../src/core/send/provider-pacer.js';
import { listEditions } from '../../src/db/repos/editions.js';
import { getIssue } from '../../src/db/repos/issues.js';
import { createResendMailer } from '../../src/mail/resend-mailer.js';
import { editionOf } from '../../src/shared/topics.js';
import { eventInput } from '../factories.js';
import { startFakeResend, type FakeResend } from '../fake-resend/server.js';
import { makeDeps, type TestDeps } from '../helpers/deps.js';
import { seedSubscribers } from '../helpers/seed.js';

let fake: FakeResend;
let deps: TestDeps;
const savedBase = process.env.RESEND_BASE_URL;
const TOPIC_CYCLE = ['models', 'compute', 'policy', 'research', 'funding', 'tools', 'safety', 'products'] as const;

beforeEach(async () => {
  fake = await startFakeResend({ ratePerSecond: false });
  process.env.RESEND_BASE_URL = fake.url;
  deps = makeDeps({
    mailer: createResendMailer({ apiKey: 're_test_key', timeoutMs: 2000 }),
    // story links stay the articles' own here: these tests read which stories a mail has from its URLs
    // (tracked links and their retries: test/clicks-send.test.ts)
    config: { issueSize: 5, leadSize: 2, poolSize: 16, maxPerTopic: 2, tracking: 'off' },
  });
  deps.clock.set(new Date());
});
afterEach(async () => {
  await fake?.close();
  await deps?.cleanup();
  process.env.RESEND_BASE_URL = savedBase;
});

// Headlines different enough that no two are merged as one story.
const WORDS = [
  'Quantum',
  'Harbor',
  'Violet',
  'Granite',
  'Meadow',
  'Falcon',
  'Copper',
  'Lantern',
  'Orchid',
  'Tundra',
  'Saffron',
  'Glacier',
  'Nimbus',
  'Basalt',
  'Juniper',
  'Zephyr',
];

const NOUNS = [
  'ledger',
  'turbine',
  'compass',
  'orchard',
  'beacon',
  'quarry',
  'canvas',
  'vessel',
  'summit',
  'cipher',
  'prairie',
  'anvil',
  'mosaic',
  'trellis',
  'lagoon',
  'pylon',
];

/** 16 stories of the current week, two per topic, scores falling with the index. */
async function draft(): Promise<string> {
  const now = deps.clock.now().getTime();
  await ingestEvents(deps, {
    events: Array.from({ length: 16 }, (_, i) =>
      eventInput({
        title: `${WORDS[i]} ${TOPIC_CYCLE[i % 8]} ${NOUNS[i]} ${i * 7919}`,
        url: `https://news.example.com/s/${i}`,
        publishedAt: new Date(now - (i + 1) * 600_000).toISOString(),
        topics: [TOPIC_CYCLE[i % 8]],
        views: 10_000 - i * 500,
      }),
    ),
  });
  return (await buildDraft(deps)).issue.id;
}

const storiesIn = (html: string) => [...new Set([...html.matchAll(/news\.example\.com\/s\/(\d+)/g)].map((m) => Number(m[1])))];
const mailTo = (to: string) => fake.state.emails.filter((e) => e.to[0] === to);
const run = () => dispatch(deps, { owner: 'editions-runner', limiter: createProviderPacer(Infinity), leaseMs: 5000, concurrency: 2 });

async function sendAll(issueId: string) {
  for (let i = 0; i < 20 && (await getIssue(deps.db, issueId))?.status !== 'sent'; i++) {
    await run();
    deps.clock.set(new Date(Date.now() + (i + 1) * 60_000));
  }
}

describe('sending editions', () => {
  it('gives two readers with different topics different stories, each with the lead stories and only pool stories; no topics gets the default edition', async () => {
    const id = await draft();
    const [none, policy, tools] = ['none', 'policy', 'tools'].map(
      (d) => seedSubscribers(deps.testDb.sqlite, 1, { domain: `${d}.example.com`, topics: () => (d === 'none' ? [] : [d]) })[0],
    );
    const view = await getIssueView(deps, id);
    const defaultStories = view.items.filter((i) => !i.excluded).map((i) => Number(i.event.url.split('/').pop()));
    await startSending(deps, id);
    await sendAll(id);

    for (const to of [none, policy, tools]) expect(mailTo(to)).toHaveLength(1);
    const [n, p, t] = [none, policy, tools].map((to) => storiesIn(mailTo(to)[0].html ?? ''));
    expect(n).toEqual(defaultStories);
    expect(mailTo(none)[0].html).not.toContain('Picked for you');
    expect(mailTo(policy)[0].html).toContain('Picked for you:');
    expect(mailTo(policy)[0].text).toContain('Picked for you: Policy');
    const lead = defaultStories.slice(0, 2);
    expect(p.slice(0, 2)).toEqual(lead);
    expect(t.slice(0, 2)).toEqual(lead);
    // the policy stories are 2 and 10, the tools stories 5 and 13
    expect(p.slice(2, 4)).toEqual([2, 10]);
    expect(t.slice(2, 4)).toEqual([5, 13]);
    expect(p).not.toEqual(t);
    const poolIds = new Set(Array.from({ length: 16 }, (_, i) => i));
    for (const ids of [p, t]) {
      expect(ids).toHaveLength(5);
      expect(ids.every((i) => poolIds.has(i))).toBe(true);
    }
    // rendered once per edition among the audience, not once per reader
    expect((await listEditions(deps.db, id)).map((e) => [e.edition, e.readers])).toEqual([
      [0, 1],
      [editionOf(['policy']), 1],
      [editionOf(['tools']), 1],
    ]);
  });

  it('sends every reader of a mixed audience exactly once, and a changed topic choice mid-send waits for the next issue', async () => {
    const id = await draft();
    const emails = seedSubscribers(deps.testDb.sqlite, 300, { topics: (i) => (i % 5 === 0 ? [] : [TOPIC_CYCLE[i % 8], TOPIC_CYCLE[(i * 3) % 8]]) });
    await startSending(deps, id);
    await prepareIssueSend(deps, id);
    const before = deps.testDb.sqlite.prepare('SELECT edition FROM deliveries WHERE subscriber_id = 2').get() as { edition: number };
    // the reader changes topics after the snapshot
    deps.testDb.sqlite.prepare(`UPDATE subscribers SET topics = '["safety"]' WHERE id = 2`).run();
    await sendAll(id);
    const counts = fake.state.countByRecipient();
    expect(emails.filter((e) => counts.get(e) !== 1)).toEqual([]);
    expect(fake.state.emails).toHaveLength(300);
    const after = deps.testDb.sqlite.prepare('SELECT edition FROM deliveries WHERE subscriber_id = 2').get() as { edition: number };
    expect(after.edition).toBe(before.edition);
    expect(before.edition).not.toBe(editionOf(['safety']));
    const mail = mailTo(emails[1])[0];
    expect(mail.html).not.toContain('Safety');
  });

  it('retries a batch that mixes editions with the same bytes under the same key (the provider accepted it first)', async () => {
    const id = await draft();
    const emails = seedSubscribers(deps.testDb.sqlite, 40, { topics: (i) => [TOPIC_CYCLE[i % 8]] });
    await startSending(deps, id);
    fake.setFaults({ kind: 'error500', afterAccept: true });
    await sendAll(id);
    const batches = fake.state.requests.filter((r) => r.path === '/emails/batch');
    const faulted = batches.find((r) => r.fault === 'error500')!;
    expect(faulted).toBeDefined();
    const retries = batches.filter((r) => r.idempotencyKey === faulted.idempotencyKey);
    expect(retries.length).toBeGreaterThan(1);
    // a different body under the same key would be refused (409) and held; the same bytes are replayed
    expect(retries.slice(1).map((r) => r.outcome)).toEqual(retries.slice(1).map(() => 'replayed'));
    expect(batches.some((r) => r.status === 409)).toBe(false);
    const counts = fake.state.countByRecipient();
    expect(emails.filter((e) => counts.get(e) !== 1)).toEqual([]);
    expect(new Set(fake.state.emails.map((e) => storiesIn(e.html ?? '').join(','))).size).toBeGreaterThan(4);
  });
});

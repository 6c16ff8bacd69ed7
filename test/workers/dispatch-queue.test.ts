// Sending on Workers: the minute tick prepares a due issue and enqueues batch messages; the queue consumer
// sends through the real resend SDK to the fake; redelivered messages never send anything twice.
import { createMessageBatch } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { runtimeFor } from '../../src/entry/worker.js';
import { consumeOutboxMessages } from '../../src/entry/worker/outbox.js';
import type { OutboxMessage } from '../../src/entry/worker/types.js';
import { deliver, fakeResend, fireCron, QUEUE_NAME, rows, sleep, workerEnv } from './helpers.js';
import { scheduleDueIssue, seedReaders } from './seed.js';

const EVERY_MINUTE = '* * * * *';

async function startDueIssue(readers: number, engine: 'react' | 'mjml' = 'react', vars: Record<string, string> = {}, mixedTopics = false) {
  const { env: e, queue } = workerEnv(vars);
  await seedReaders(e, readers, { mixedTopics });
  const issueId = await scheduleDueIssue(e, { engine });
  queue.take();
  await fireCron(e, EVERY_MINUTE);
  return { e, queue, issueId, messages: queue.take() };
}

const issueRow = async (e: Parameters<typeof rows>[0], id: string) =>
  (
    await rows<{ status: string; audience_total: number | null; html_snapshot: string | null }>(
      e,
      'SELECT status, audience_total, html_snapshot FROM issues WHERE id = ?',
      id,
    )
  )[0];

describe('dispatch → queue → Resend on Workers', () => {
  it('starts the due issue on the minute tick and enqueues one message per 100 readers, sending nothing itself', async () => {
    const { e, issueId, messages } = await startDueIssue(150);
    const issue = await issueRow(e, issueId);
    expect(issue.status).toBe('sending');
    expect(issue.audience_total).toBe(150);
    expect(issue.html_snapshot).toContain('Open model tops the reasoning leaderboard');
    const dispatch: OutboxMessage = { kind: 'send', issueId, reason: 'dispatch' };
    expect(messages).toEqual([dispatch, dispatch, { kind: 'send', issueId: null, reason: 'sweep' }]);
    expect((await fakeResend.state()).requests).toHaveLength(0);
  });

  it('sends every reader exactly once from the queue consumer, and a redelivered batch sends nothing', async () => {
    const { e, queue, issueId, messages } = await startDueIssue(150);
    const result = await deliver(e, messages);
    expect(result.ackAll).toBe(true);

    let state = await fakeResend.state();
    expect(state.requests.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
    expect(Object.keys(state.countByRecipient)).toHaveLength(150);
    expect(new Set(Object.values(state.countByRecipient))).toEqual(new Set([1]));
    const sample = state.emails.find((m) => m.to.join().includes('reader7@example.com'))!;
    expect(sample.headers['List-Unsubscribe']).toMatch(/^<http:\/\/recap\.test\/unsubscribe\/.+>$/);
    expect(sample.text).toContain('Chip export rules tightened again');
    expect((await issueRow(e, issueId)).status).toBe('sent');

    // The runtime redelivers a batch whose ack got lost: every message again, marked as a retry.
    await deliver(e, messages, 2);
    // And the next tick only has its sweep to offer.
    await fireCron(e, EVERY_MINUTE);
    expect(queue.take()).toEqual([{ kind: 'send', issueId: null, reason: 'sweep' }]);
    state = await fakeResend.state();
    expect(state.requests).toHaveLength(2);
    expect(state.emails).toHaveLength(150);
  });

  it('sends a mixed-topic audience its editions on D1: one mail each, batches mixing editions, each reader their own', async () => {
    const { e, messages, issueId } = await startDueIssue(150, 'react', {}, true);
    const editions = await rows<{ edition: number; readers: number }>(
      e,
      'SELECT edition, readers FROM issue_editions WHERE issue_id = ? ORDER BY edition',
      issueId,
    );
    // none (0), policy (bit 2 = 4), compute + safety (bits 1 and 6 = 66)
    expect(editions.map((r) => [r.edition, r.readers])).toEqual([
      [0, 50],
      [4, 50],
      [66, 50],
    ]);
    await deliver(e, messages);
    const state = await fakeResend.state();
    expect(Object.keys(state.countByRecipient)).toHaveLength(150);
    expect(new Set(Object.values(state.countByRecipient))).toEqual(new Set([1]));
    const mailOf = (i: number) => state.emails.find((m) => m.to.join() === `reader${i}@example.com`)!;
    expect(mailOf(3).text).not.toContain('Picked for you');
    expect(mailOf(4).text).toContain('Picked for you: Policy —');
    expect(mailOf(5).text).toContain('Picked for you: Compute & chips, Safety');
  });

  it('retries a batch whose answer was lost under the same key, and Resend replays it instead of sending again', async () => {
    const { e, issueId, messages } = await startDueIssue(40);
    // Resend accepts the batch, then the answer is lost: the outcome is unknown to us.
    await fakeResend.faults({ kind: 'error500', afterAccept: true });
    await deliver(e, messages.slice(0, 1));
    const [batch] = await rows<{ status: string; attempts: number; idempotency_key: string }>(
      e,
      'SELECT status, attempts, idempotency_key FROM delivery_batches',
    );
    expect(batch).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await rows(e, "SELECT count(*) AS n FROM deliveries WHERE status = 'claimed'")).toEqual([{ n: 40 }]);

    await sleep(600); // the first retry's backoff
    await deliver(e, messages.slice(0, 1), 2);
    const state = await fakeResend.state();
    expect(state.requests.map((r) => [r.outcome, r.idempotencyKey])).toEqual([
      ['faulted', batch.idempotency_key],
      ['replayed', batch.idempotency_key],
    ]);
    expect(state.emails).toHaveLength(40);
    expect(await rows(e, "SELECT count(*) AS n FROM deliveries WHERE status = 'sent' AND resend_id IS NOT NULL")).toEqual([{ n: 40 }]);
    expect((await issueRow(e, issueId)).status).toBe('sent');
  });

  it('renders the MJML engine inside workerd through mjml-browser', async () => {
    const { e, issueId, messages } = await startDueIssue(3, 'mjml');
    const html = (await issueRow(e, issueId)).html_snapshot!;
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toContain('<mj-');
    expect(html).toContain('Open model tops the reasoning leaderboard');
    await deliver(e, messages);
    expect((await fakeResend.state()).emails).toHaveLength(3);
  }, 90_000); // the first MJML render loads mjml-browser (1.8 MB) into the test runner: slow on a busy machine

  it.each([
    { plan: 'Workers Paid', budget: 1000, readers: 250 },
    { plan: 'Workers Free', budget: 50, readers: 12 },
  ])('keeps every consumer invocation inside D1’s query cap on $plan ($budget per invocation)', async ({ budget, readers }) => {
    const { e, messages } = await startDueIssue(readers, 'react', { D1_QUERIES_PER_INVOCATION: String(budget) });
    const rt = runtimeFor(e);
    const used: number[] = [];
    let pending = messages;
    for (let round = 0; pending.length > 0 && round < 20; round++) {
      const batch = createMessageBatch(
        QUEUE_NAME,
        pending.map((body, i) => ({ id: `r${round}-${i}`, timestamp: new Date(), body, attempts: 1 })),
      );
      const r = await consumeOutboxMessages(rt, batch);
      used.push(r.queries);
      pending = pending.slice(pending.length - r.retried); // what the consumer handed back comes again
    }
    console.log(`D1 queries per consumer invocation, budget ${budget}, ${readers} readers: ${used.join(', ')}`);
    expect(Math.max(...used)).toBeLessThanOrEqual(budget);
    const state = await fakeResend.state();
    expect(Object.keys(state.countByRecipient)).toHaveLength(readers);
    expect(new Set(Object.values(state.countByRecipient))).toEqual(new Set([1]));
  });
});

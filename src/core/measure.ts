// The counts the core reports through deps.metrics, shaped here so each call site stays one line.
import { batchKindCounts } from '../db/repos/outbox-depth.js';
import type { DeliveryKind } from '../db/schema.js';
import type { Deps } from './deps.js';

type MetricsDeps = Pick<Deps, 'metrics'>;

const SIGNUP_RESULT = { insert: 'new', revive: 'revived', update: 'updated', none: 'unchanged' } as const;

/** One committed batch of signups: each request by its source and what it wrote. */
export function measureSignups(deps: MetricsDeps, sources: readonly string[], writes: readonly { write: keyof typeof SIGNUP_RESULT }[]): void {
  if (!deps.metrics) return;
  for (const [i, w] of writes.entries()) deps.metrics.count('signups_total', { source: sources[i] ?? 'unknown', result: SIGNUP_RESULT[w.write] });
}

/** A batch the provider answered: each member sent, or failed when the provider refused its recipient. */
export function measureSentMails(deps: MetricsDeps, members: readonly { kind: DeliveryKind }[], results: readonly { error: string | null }[]): void {
  const metrics = deps.metrics;
  if (!metrics) return;
  const tally = new Map<string, { kind: string; outcome: string; n: number }>();
  members.forEach((m, i) => {
    const outcome = results[i]?.error ? 'failed' : 'sent';
    const key = `${m.kind}\u0000${outcome}`;
    const t = tally.get(key) ?? tally.set(key, { kind: m.kind, outcome, n: 0 }).get(key)!;
    t.n += 1;
  });
  for (const t of tally.values()) metrics.count('mails_total', { kind: t.kind, outcome: t.outcome }, t.n);
}

/**
 * A batch closed as held (an editor must decide) or failed (the provider refused the request): its members by kind,
 * read back after the close. Rare, so one small indexed query; none at all where nothing is measured (D1's budget).
 */
export async function measureClosedBatch(deps: Pick<Deps, 'db' | 'metrics'>, batchId: number, outcome: 'held' | 'failed'): Promise<void> {
  if (!deps.metrics) return;
  for (const { kind, n } of await batchKindCounts(deps.db, batchId, outcome === 'held' ? 'claimed' : 'failed')) {
    deps.metrics.count('mails_total', { kind, outcome }, n);
  }
}

/** Resend's documented email event types; anything else is counted as `other` (the label set stays bounded). */
const PROVIDER_EVENT_TYPES = new Set([
  'email.sent',
  'email.delivered',
  'email.delivery_delayed',
  'email.bounced',
  'email.complained',
  'email.failed',
  'email.suppressed',
  'email.opened',
  'email.clicked',
  'email.scheduled',
  'email.received',
]);

/** `type` is the event's, or `unverified` for a request whose signature did not verify (its body is not trusted). */
export function measureProviderEvent(deps: MetricsDeps, type: string, result: 'applied' | 'ignored' | 'duplicate' | 'rejected'): void {
  const label = type === 'unverified' || PROVIDER_EVENT_TYPES.has(type) ? type : 'other';
  deps.metrics?.count('provider_events_total', { type: label, result });
}

// "Export my data" and "erase my data": everything stored about one reader, out or gone.
import { listConsents } from '../../db/repos/consents.js';
import { eraseSubscriberEverywhere, listSubscriberDeliveries } from '../../db/repos/subscribers.js';
import type { SubscriberRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { parseTopics } from './preferences.js';
import { newPublicId } from './signup-plan.js';

export async function exportSubscriberData(deps: Pick<Deps, 'db' | 'clock'>, sub: SubscriberRow) {
  const [consents, deliveries] = await Promise.all([listConsents(deps.db, sub.id), listSubscriberDeliveries(deps.db, sub.id, sub.email)]);
  return {
    exportedAt: deps.clock.now().toISOString(),
    about: 'Everything Weekly AI Recap stores about this subscription. IP addresses are kept only as keyed hashes.',
    subscriber: {
      email: sub.email,
      emailHash: sub.email_hash,
      name: sub.name,
      status: sub.status,
      topics: parseTopics(sub.topics),
      pausedUntil: sub.paused_until,
      source: sub.source,
      createdAt: sub.created_at,
      updatedAt: sub.updated_at,
      confirmedAt: sub.confirmed_at,
      unsubscribedAt: sub.unsubscribed_at,
      lastConfirmationSentAt: sub.last_confirmation_sent_at,
    },
    consents: consents.map((c) => ({
      action: c.action,
      source: c.source,
      formVersion: c.form_version,
      ipHash: c.ip_hash,
      userAgent: c.user_agent,
      createdAt: c.created_at,
    })),
    deliveries: deliveries.map((d) => ({
      kind: d.kind,
      issueId: d.issue_id,
      status: d.status,
      toEmail: d.to_email,
      toName: d.to_name,
      // An earlier export is a copy of this data: listed, not copied, or every export would hold all the earlier ones.
      message: d.kind === 'export' ? EARLIER_EXPORT : parsePayload(d.payload),
      providerId: d.resend_id,
      error: d.error,
      createdAt: d.created_at,
      sentAt: d.sent_at,
      lastEventAt: d.last_event_at,
    })),
  };
}

const EARLIER_EXPORT = 'An earlier export of this data (its content is not repeated here).';

export type SubscriberExport = Awaited<ReturnType<typeof exportSubscriberData>>;

export async function eraseSubscriberData(deps: Pick<Deps, 'db' | 'clock' | 'afterErase'>, sub: SubscriberRow): Promise<void> {
  if (sub.email === null) return; // already erased
  await eraseSubscriberEverywhere(deps.db, { id: sub.id, email: sub.email, newPublicId: newPublicId(), nowIso: deps.clock.now().toISOString() });
  // The rows are clean now, but the database's journal still holds their old bytes until the runtime purges it.
  deps.afterErase?.();
}

function parsePayload(payload: string | null): unknown {
  if (!payload) return null;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

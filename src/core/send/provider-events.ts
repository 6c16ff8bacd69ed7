// Applies provider events (Resend's webhooks about a delivery): delivery status, and suppression after a hard bounce or
// a complaint. "Event" alone means a news story (core/events); these are always "provider events".
import { z } from 'zod';
import { bumpProviderEngagement } from '../../db/repos/clicks.js';
import { getIssue } from '../../db/repos/issues.js';
import { recordSoftBounce } from '../../db/repos/soft-bounces.js';
import { advanceDeliveryStatus, findDeliveryForProviderEvent, rememberProviderEvent, suppressAddress, suppressSubscriber } from '../../db/repos/webhooks.js';
import type { DeliveryStatus } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { enforceSendGuards } from './send-guards.js';

/** A Resend webhook payload about one email, as far as we read it. */
export const providerEventSchema = z.object({
  type: z.string().max(100),
  created_at: z.string().max(64).optional(),
  data: z
    .object({
      email_id: z.string().max(200),
      to: z.array(z.string().max(320)).max(50).optional(),
      tags: z.record(z.string(), z.string()).optional(),
      bounce: z.object({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() }).passthrough().optional(),
      failed: z.object({ reason: z.string().optional() }).passthrough().optional(),
    })
    .passthrough(),
});

export type ProviderEvent = z.infer<typeof providerEventSchema>;

// Outcome strength: a later, weaker provider event never overwrites a stronger one (delivered after bounced, say).
const ALLOWED_FROM: Record<string, DeliveryStatus[]> = {
  delivered: ['claimed', 'sent', 'delayed'],
  delayed: ['claimed', 'sent'],
  failed: ['claimed', 'sent', 'delayed'],
  bounced: ['claimed', 'sent', 'delayed', 'delivered', 'failed'],
  complained: ['claimed', 'sent', 'delayed', 'delivered', 'bounced', 'failed'],
  suppressed: ['claimed', 'sent', 'delayed'],
};

export interface ProviderEventOutcome {
  duplicate: boolean;
  applied: boolean;
  type: string;
}

export async function applyProviderEvent(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>,
  svixId: string,
  providerEvent: ProviderEvent,
  raw: string,
): Promise<ProviderEventOutcome> {
  const nowIso = deps.clock.now().toISOString();
  if (!(await rememberProviderEvent(deps.db, svixId, providerEvent.type, raw, nowIso))) return { duplicate: true, applied: false, type: providerEvent.type };
  // Resend's own open/click tracking, if the account has it on: counted per issue as provider-reported (issue 16).
  const engagement = providerEvent.type === 'email.opened' ? 'opened' : providerEvent.type === 'email.clicked' ? 'clicked' : null;
  const issueTag = providerEvent.data.tags?.issue;
  if (engagement && issueTag) {
    await bumpProviderEngagement(deps.db, issueTag, engagement);
    return { duplicate: false, applied: true, type: providerEvent.type };
  }
  const tag = Number(providerEvent.data.tags?.delivery);
  const delivery = await findDeliveryForProviderEvent(deps.db, providerEvent.data.email_id, Number.isInteger(tag) ? tag : null);
  const permanentBounce = providerEvent.type === 'email.bounced' && (providerEvent.data.bounce?.type ?? 'Permanent') === 'Permanent';
  const status: DeliveryStatus | null =
    providerEvent.type === 'email.delivered'
      ? 'delivered'
      : providerEvent.type === 'email.delivery_delayed'
        ? 'delayed'
        : providerEvent.type === 'email.bounced'
          ? permanentBounce
            ? 'bounced'
            : 'delayed'
          : providerEvent.type === 'email.complained'
            ? 'complained'
            : providerEvent.type === 'email.failed'
              ? 'failed'
              : providerEvent.type === 'email.suppressed'
                ? 'suppressed'
                : null;
  let applied = false;
  if (delivery && status) {
    const error =
      providerEvent.type === 'email.bounced'
        ? (providerEvent.data.bounce?.message ?? 'bounced')
        : providerEvent.type === 'email.failed'
          ? (providerEvent.data.failed?.reason ?? 'failed')
          : null;
    applied = await advanceDeliveryStatus(deps.db, delivery.id, status, ALLOWED_FROM[status], error, nowIso);
  }
  // A hard bounce, a complaint or the provider's own suppression: never mail this address again.
  const suppressAs = permanentBounce || providerEvent.type === 'email.suppressed' ? 'bounced' : providerEvent.type === 'email.complained' ? 'complained' : null;
  const reason = permanentBounce ? 'hard bounce' : providerEvent.type === 'email.suppressed' ? "on the provider's suppression list" : 'complaint';
  if (suppressAs) {
    if (delivery?.subscriber_id) await suppressSubscriber(deps.db, delivery.subscriber_id, suppressAs, reason, nowIso);
    else for (const to of providerEvent.data.to ?? []) await suppressAddress(deps.db, to, suppressAs, reason, nowIso);
    deps.log.info(`Suppressed a reader after ${providerEvent.type}`);
  }
  // A soft bounce once is a full mailbox; on several different issues it is an address that no longer works.
  if (providerEvent.type === 'email.bounced' && !permanentBounce && delivery?.subscriber_id && delivery.issue_id) {
    const issues = await recordSoftBounce(deps.db, delivery.subscriber_id, delivery.issue_id, nowIso);
    if (issues >= deps.config.guards.softBounceIssues) {
      await suppressSubscriber(deps.db, delivery.subscriber_id, 'bounced', `soft bounces on ${issues} issues`, nowIso);
      deps.log.info(`Suppressed a reader after soft bounces on ${issues} issues`);
    }
  }
  // The counters just moved (triggers): weigh the guards of a send still in progress.
  if (applied && delivery?.issue_id && (status === 'delivered' || status === 'bounced' || status === 'complained')) {
    const issue = await getIssue(deps.db, delivery.issue_id);
    if (issue) await enforceSendGuards(deps, issue);
  }
  return { duplicate: false, applied, type: providerEvent.type };
}

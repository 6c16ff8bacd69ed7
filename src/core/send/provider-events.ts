// Applies Resend's delivery events: delivery status, and suppression after a hard bounce or a complaint.
import { z } from 'zod';
import { advanceDeliveryStatus, findDeliveryForEvent, rememberWebhook, suppressAddress, suppressSubscriber } from '../../db/repos/webhooks.js';
import type { DeliveryStatus } from '../../db/schema.js';
import type { Deps } from '../deps.js';

export const resendEventSchema = z.object({
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

export type ResendEvent = z.infer<typeof resendEventSchema>;

// Outcome strength: a later, weaker event never overwrites a stronger one (delivered after bounced, say).
const ALLOWED_FROM: Record<string, DeliveryStatus[]> = {
  delivered: ['claimed', 'sent', 'delayed'],
  delayed: ['claimed', 'sent'],
  failed: ['claimed', 'sent', 'delayed'],
  bounced: ['claimed', 'sent', 'delayed', 'delivered', 'failed'],
  complained: ['claimed', 'sent', 'delayed', 'delivered', 'bounced', 'failed'],
  suppressed: ['claimed', 'sent', 'delayed'],
};

export interface WebhookOutcome {
  duplicate: boolean;
  applied: boolean;
  type: string;
}

export async function applyResendEvent(deps: Pick<Deps, 'db' | 'clock' | 'log'>, svixId: string, event: ResendEvent, raw: string): Promise<WebhookOutcome> {
  const nowIso = deps.clock.now().toISOString();
  if (!(await rememberWebhook(deps.db, svixId, event.type, raw, nowIso))) return { duplicate: true, applied: false, type: event.type };
  const tag = Number(event.data.tags?.delivery);
  const delivery = await findDeliveryForEvent(deps.db, event.data.email_id, Number.isInteger(tag) ? tag : null);
  const permanentBounce = event.type === 'email.bounced' && (event.data.bounce?.type ?? 'Permanent') === 'Permanent';
  const status: DeliveryStatus | null =
    event.type === 'email.delivered' ? 'delivered'
    : event.type === 'email.delivery_delayed' ? 'delayed'
    : event.type === 'email.bounced' ? (permanentBounce ? 'bounced' : 'delayed')
    : event.type === 'email.complained' ? 'complained'
    : event.type === 'email.failed' ? 'failed'
    : event.type === 'email.suppressed' ? 'suppressed'
    : null;
  let applied = false;
  if (delivery && status) {
    const error = event.type === 'email.bounced' ? (event.data.bounce?.message ?? 'bounced') : event.type === 'email.failed' ? (event.data.failed?.reason ?? 'failed') : null;
    applied = await advanceDeliveryStatus(deps.db, delivery.id, status, ALLOWED_FROM[status], error, nowIso);
  }
  // A hard bounce, a complaint or the provider's own suppression: never mail this address again.
  const suppressAs = permanentBounce || event.type === 'email.suppressed' ? 'bounced' : event.type === 'email.complained' ? 'complained' : null;
  if (suppressAs) {
    if (delivery?.subscriber_id) await suppressSubscriber(deps.db, delivery.subscriber_id, suppressAs, nowIso);
    else for (const to of event.data.to ?? []) await suppressAddress(deps.db, to, suppressAs, nowIso);
    deps.log.info(`Suppressed a reader after ${event.type}`);
  }
  return { duplicate: false, applied, type: event.type };
}

// Leaving and coming back. Unsubscribing is idempotent and drops recap mail not yet claimed by a batch.
import { insertConsents } from '../../db/repos/consents.js';
import { inTransaction, suppressQueuedRecaps, transitionSubscriber } from '../../db/repos/subscribers.js';
import type { SubscriberRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { consentFields, type RequestContext } from './request-context.js';

export type UnsubscribeSource = 'one-click' | 'unsubscribe-page' | 'preferences-page' | 'editor';

/** Returns true when this call changed the status (false: it was already off the list). */
export async function unsubscribeSubscriber(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  sub: SubscriberRow,
  source: UnsubscribeSource,
  ctx: RequestContext,
): Promise<boolean> {
  const nowIso = deps.clock.now().toISOString();
  const consent = await consentFields(deps.config.appSecret, ctx);
  return inTransaction(deps.db, async (trx) => {
    const moved = await transitionSubscriber(trx, sub.id, ['active', 'pending'], { status: 'unsubscribed', unsubscribed_at: nowIso, updated_at: nowIso });
    // Even when already unsubscribed: a recap queued by a racing fan-out must not go out.
    await suppressQueuedRecaps(trx, sub.id, nowIso);
    if (moved) await insertConsents(trx, [{ subscriber_id: sub.id, action: 'unsubscribe', source, form_version: null, ...consent, created_at: nowIso }]);
    return moved;
  });
}

/**
 * Undo from the unsubscribe or preferences page. Holding the link proves the mailbox, so no new
 * confirmation is needed; only someone who had confirmed before can come back this way.
 */
export async function resubscribeSubscriber(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  sub: SubscriberRow,
  source: UnsubscribeSource,
  ctx: RequestContext,
): Promise<boolean> {
  if (sub.status !== 'unsubscribed' || !sub.confirmed_at) return false;
  const nowIso = deps.clock.now().toISOString();
  const consent = await consentFields(deps.config.appSecret, ctx);
  return inTransaction(deps.db, async (trx) => {
    const moved = await transitionSubscriber(trx, sub.id, ['unsubscribed'], { status: 'active', unsubscribed_at: null, updated_at: nowIso });
    if (moved) await insertConsents(trx, [{ subscriber_id: sub.id, action: 'resubscribe', source, form_version: null, ...consent, created_at: nowIso }]);
    return moved;
  });
}

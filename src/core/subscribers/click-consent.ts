// A reader's yes or no to click measurement (TRACKING=reader), kept as consent records: the latest one counts. A no
// also deletes the per-reader click rows already kept; the story counters, which name nobody, stay.
import { CLICK_CONSENT_NO, CLICK_CONSENT_YES, currentClickConsent } from '../../db/repos/clicks.js';
import { insertConsents } from '../../db/repos/consents.js';
import { inTransaction } from '../../db/repos/subscribers.js';
import type { DB } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { consentFields, type RequestContext } from './request-context.js';

export { CLICK_CONSENT_NO, CLICK_CONSENT_YES };

export function clickConsentOf(db: DB, subscriberId: number): Promise<boolean> {
  return currentClickConsent(db, subscriberId);
}

/** Records the choice if it changed; returns whether anything was written. */
export async function setClickConsent(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  subscriberId: number,
  yes: boolean,
  source: string,
  ctx: RequestContext,
): Promise<boolean> {
  if ((await currentClickConsent(deps.db, subscriberId)) === yes) return false;
  const consent = await consentFields(deps.config.appSecret, ctx);
  const nowIso = deps.clock.now().toISOString();
  await inTransaction(deps.db, async (trx) => {
    await insertConsents(trx, [
      { subscriber_id: subscriberId, action: yes ? CLICK_CONSENT_YES : CLICK_CONSENT_NO, source, form_version: null, ...consent, created_at: nowIso },
    ]);
    if (!yes) await trx.deleteFrom('click_readers').where('subscriber_id', '=', subscriberId).execute();
  });
  return true;
}

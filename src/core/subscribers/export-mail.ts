// "Export my data" mails the export to the reader's own address: a forwarded preferences link must not hand it to
// whoever holds the link. One export per reader per window, so the link cannot be used to flood the inbox either.
import { latestTransactionalAt } from '../../db/repos/outbox.js';
import type { SubscriberRow } from '../../db/schema.js';
import { renderExportEmail } from '../../mail/transactional.js';
import type { Deps } from '../deps.js';
import { enqueueMailUnlessSince } from '../send/enqueue-mail.js';
import { subscriberLinks } from '../tokens.js';
import { exportSubscriberData } from './personal-data.js';
import { maskEmail } from './resolve-token.js';

export const EXPORT_MAIL_INTERVAL_MS = 10 * 60_000;

export type MailExportResult = { ok: true; maskedEmail: string } | { ok: false; reason: 'too_soon'; maskedEmail: string; retryAfterSec: number };

export async function mailSubscriberData(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wakeOutbox'>, sub: SubscriberRow): Promise<MailExportResult> {
  const email = sub.email!; // links of erased readers resolve to nothing, so a reader here has an address
  const maskedEmail = maskEmail(email);
  const now = deps.clock.now().getTime();
  const tooSoon = (lastIso: string | null): MailExportResult => ({
    ok: false,
    reason: 'too_soon',
    maskedEmail,
    retryAfterSec: Math.max(1, Math.ceil(((lastIso ? Date.parse(lastIso) : now) + EXPORT_MAIL_INTERVAL_MS - now) / 1000)),
  });
  // Checked first only to skip the render; the insert below is what holds the limit under concurrent requests.
  const last = await latestTransactionalAt(deps.db, sub.id, 'export');
  if (last && Date.parse(last) > now - EXPORT_MAIL_INTERVAL_MS) return tooSoon(last);

  const data = await exportSubscriberData(deps, sub);
  const { preferencesUrl } = await subscriberLinks(deps.config.appSecret, deps.config.publicUrl, sub.public_id);
  const mail = await renderExportEmail({ data, preferencesUrl, config: deps.config });
  const since = new Date(now - EXPORT_MAIL_INTERVAL_MS).toISOString();
  const id = await enqueueMailUnlessSince(deps, { kind: 'export', to: email, toName: sub.name, subscriberId: sub.id, ...mail }, since);
  if (id === null) return tooSoon(await latestTransactionalAt(deps.db, sub.id, 'export'));
  return { ok: true, maskedEmail };
}

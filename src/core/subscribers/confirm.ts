// Confirming a signup from the mailed link: the link's page changes nothing (mail scanners fetch every link),
// its button confirms; idempotent, and the welcome mail is queued exactly once.
import { insertConsents } from '../../db/repos/consents.js';
import { inTransaction, transitionSubscriber } from '../../db/repos/subscribers.js';
import { renderWelcomeEmail } from '../../mail/transactional.js';
import type { SubscriberRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { enqueueMail } from '../send/enqueue-mail.js';
import { subscriberLinks } from '../tokens.js';
import { latestSentIssue } from './archive.js';
import { confirmIssuedAt } from './confirm-url.js';
import { consentFields, type RequestContext } from './request-context.js';
import { maskEmail, resolveSubscriberLink, type LinkProblem } from './resolve-token.js';

export type ConfirmResult = { ok: true; already: boolean; preferencesUrl: string; latestIssueUrl: string | null } | { ok: false; reason: LinkProblem };

const CONFIRMABLE = ['pending', 'unsubscribed'] as const;

/** What the link's page shows: a button for the (masked) address, or the answer a press would give. Changes nothing. */
export type ConfirmLinkView = { ok: true; pending: true; maskedEmail: string } | ConfirmResult;

export async function viewConfirmLink(deps: Deps, token: string): Promise<ConfirmLinkView> {
  const r = await checkConfirmLink(deps, token);
  if (!r.ok) return r;
  if (r.already) return r.result;
  return { ok: true, pending: true, maskedEmail: maskEmail(r.sub.email!) };
}

type Checked =
  | { ok: false; reason: LinkProblem }
  | { ok: true; already: true; result: ConfirmResult }
  | { ok: true; already: false; sub: SubscriberRow; links: Awaited<ReturnType<typeof subscriberLinks>>; latestIssueUrl: string | null };

async function checkConfirmLink(deps: Deps, token: string): Promise<Checked> {
  const link = await resolveSubscriberLink(deps, 'confirm', token);
  if (!link.ok) return link;
  const sub = link.subscriber;
  const links = await subscriberLinks(deps.config.appSecret, deps.config.publicUrl, sub.public_id);
  const latest = await latestSentIssue(deps);
  const latestIssueUrl = latest ? latest.url : null;
  if (sub.status === 'active') return { ok: true, already: true, result: { ok: true, already: true, preferencesUrl: links.preferencesUrl, latestIssueUrl } };
  // Mail to it bounced or was reported as spam: never again, not even through an old link.
  if (sub.status === 'bounced' || sub.status === 'complained') return { ok: false, reason: 'suppressed' };
  // A confirmation link older than an unsubscribe must not quietly undo it.
  if (sub.unsubscribed_at && link.expiresAt && Date.parse(sub.unsubscribed_at) > confirmIssuedAt(link.expiresAt).getTime()) {
    return { ok: false, reason: 'stale' };
  }
  return { ok: true, already: false, sub, links, latestIssueUrl };
}

/** The button on the link's page: confirms, records the consent and queues the welcome mail, once. */
export async function confirmSubscription(deps: Deps, token: string, ctx: RequestContext): Promise<ConfirmResult> {
  const checked = await checkConfirmLink(deps, token);
  if (!checked.ok) return checked;
  if (checked.already) return checked.result;
  const { sub, links, latestIssueUrl } = checked;

  const welcome = await renderWelcomeEmail({ latestIssueUrl, ...links, config: deps.config });
  const consent = await consentFields(deps.config.appSecret, ctx);
  const nowIso = deps.clock.now().toISOString();
  const won = await inTransaction(deps.db, async (trx) => {
    const moved = await transitionSubscriber(trx, sub.id, [...CONFIRMABLE], {
      status: 'active',
      confirmed_at: nowIso,
      unsubscribed_at: null,
      updated_at: nowIso,
    });
    if (!moved) return false; // a concurrent click got there first
    await insertConsents(trx, [{ subscriber_id: sub.id, action: 'confirm', source: 'link', form_version: null, ...consent, created_at: nowIso }]);
    await enqueueMail(
      { db: trx, clock: deps.clock },
      {
        kind: 'welcome',
        to: sub.email!,
        toName: sub.name,
        subscriberId: sub.id,
        ...welcome,
        // The sender tags every transactional mail with its kind; the one-click header works here too.
        headers: { 'List-Unsubscribe': `<${links.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      },
    );
    return true;
  });
  if (won) deps.metrics?.count('confirmations_total');
  if (won) deps.wakeOutbox?.();
  return { ok: true, already: !won, preferencesUrl: links.preferencesUrl, latestIssueUrl };
}

// Turns a signed link token into the subscriber it names, or the reason it cannot.
import { findSubscriberByPublicId } from '../../db/repos/subscribers.js';
import type { SubscriberRow } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { verifyToken, type TokenPurpose } from '../tokens.js';

export type LinkProblem = 'malformed' | 'forged' | 'expired' | 'wrong_purpose' | 'unknown' | 'stale' | 'suppressed';

export type ResolvedLink = { ok: true; subscriber: SubscriberRow; expiresAt: Date | null } | { ok: false; reason: LinkProblem };

export async function resolveSubscriberLink(deps: Pick<Deps, 'db' | 'clock' | 'config'>, purpose: TokenPurpose, token: string): Promise<ResolvedLink> {
  const check = await verifyToken(deps.config.appSecret, purpose, token, deps.clock.now());
  if (!check.ok) return { ok: false, reason: check.reason };
  const subscriber = await findSubscriberByPublicId(deps.db, check.subject);
  // Erasure gives the row a new public id, so every link from before it lands here.
  if (!subscriber || subscriber.status === 'erased' || subscriber.email === null) return { ok: false, reason: 'unknown' };
  return { ok: true, subscriber, expiresAt: check.expiresAt };
}

/** "an••••@example.com": enough for the owner to recognise, not enough to read off a forwarded link. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '••••';
  const local = email.slice(0, at);
  const keep = local.length <= 2 ? 1 : 2;
  return `${local.slice(0, keep)}${'•'.repeat(Math.min(6, Math.max(2, local.length - keep)))}${email.slice(at)}`;
}

// The signed confirmation link. A signup stores only its parts (public id, expiry); the link is signed, and the
// mail around it rendered, when the sender claims the mail (src/core/send/queued-mail.ts).
import type { Config } from '../../config.js';
import { signToken } from '../tokens.js';

export const CONFIRM_TTL_MS = 7 * 24 * 3600_000;

/** When a confirm link issued at `now` expires, in whole seconds (what the token carries). */
export function confirmExpiry(now: Date): number {
  return Math.floor((now.getTime() + CONFIRM_TTL_MS) / 1000);
}

/** The signed link; deterministic for the same expiry, so a mail rendered twice carries the same link. */
export async function confirmUrlFor(config: Pick<Config, 'appSecret' | 'publicUrl'>, publicId: string, expiresAt: number): Promise<string> {
  const token = await signToken(config.appSecret, 'confirm', publicId, new Date(expiresAt * 1000));
  return `${config.publicUrl}/confirm/${token}`;
}

/** When a confirm token was issued, from its expiry (tokens carry expiry, not issue time). */
export function confirmIssuedAt(expiresAt: Date): Date {
  return new Date(expiresAt.getTime() - CONFIRM_TTL_MS);
}

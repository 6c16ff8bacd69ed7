// What counts as a subscribable address, its normal form (one row per mailbox) and its keyed hash.
import { z } from 'zod';
import { normalizeEmail } from '../../shared/email-normal-form.js';
import { keyedHash } from '../tokens.js';

export const EMAIL_MAX = 254;

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
// ASCII local part and domain, like zod's own: IDN domains must be typed in punycode.
const ADDRESS = /^(?!\.)(?!.*\.\.)[a-z0-9_'+\-.]*[a-z0-9_+-]@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Trims and lowercases; rejects control characters, more than 254 characters and anything not an address. */
export const emailSchema = z
  .string({ error: 'email is required' })
  .max(EMAIL_MAX * 4, 'email must be at most 254 characters')
  .refine((v) => !CONTROL.test(v), 'email must not contain control characters')
  .transform(normalizeEmail)
  .refine((v) => v.length > 0, 'email is required')
  .refine((v) => v.length <= EMAIL_MAX, 'email must be at most 254 characters')
  .refine((v) => ADDRESS.test(v) && v.indexOf('@') <= 64, 'enter a valid email address, like name@example.com');

/**
 * The normal form of a subscribable address, or null when it is not one. Not a second normalizeEmail: the normal form
 * is shared/email-normal-form.ts; this adds the reader-address rules above (editors' forms check their own way).
 */
export function parseSubscribableEmail(raw: string): string | null {
  const r = emailSchema.safeParse(raw);
  return r.success ? r.data : null;
}

/** The only thing kept of an erased address: lets a new signup find the row, reveals nothing without APP_SECRET. */
export function hashEmail(secret: string, normalizedEmail: string): Promise<string> {
  return keyedHash(secret, `email:${normalizedEmail}`);
}

export function hashIp(secret: string, ip: string): Promise<string> {
  return keyedHash(secret, `ip:${ip}`);
}

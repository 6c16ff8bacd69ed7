// One normal form per mailbox address, for readers and editors alike: what storage keys on and lookups compare.
/**
 * Trimmed and lowercased. Only the normal form: whether a string is an address at all is the caller's rule
 * (readers: core/subscribers/email-address.ts parseSubscribableEmail; editors: the sign-in and add-editor forms).
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

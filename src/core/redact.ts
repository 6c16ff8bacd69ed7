// Scrubs what must never reach a log line (link tokens, signed links, full email addresses) out of free text
// we did not write ourselves: error messages, stacks, provider answers.

// Our signed tokens are base64url(payload) "." base64url(HMAC) (src/core/tokens.ts), wherever they appear.
const SIGNED_TOKEN = /[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g;
// Path segments after a personal-link route, whatever the token looks like (forged ones included); a route
// pattern's `:token` stays.
const PERSONAL_PATH = /\/(confirm|unsubscribe|preferences|r)\/(?!:)[^\s/?#"'<>\\]+/g;
// Query values that carry a credential (the sign-in link's `token=`).
const SECRET_PARAM = /([?&](?:token|key|secret|sig|signature)=)[^&\s"'<>#\\]+/gi;
const BEARER = /\b(Bearer\s+)[^\s"'\\]+/gi;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** The text with every token replaced by "[redacted]" and every address masked to its first letter and domain. */
export function redactSecrets(text: string): string {
  return text
    .replace(PERSONAL_PATH, '/$1/[redacted]')
    .replace(SECRET_PARAM, '$1[redacted]')
    .replace(BEARER, '$1[redacted]')
    .replace(SIGNED_TOKEN, '[redacted]')
    .replace(EMAIL, '$1***$2$3');
}

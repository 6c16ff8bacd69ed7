// The one HTML escape for text we splice into rendered mail ourselves (per-reader slots, the confirmation fill).
// It must be exactly React's own escaping (react-dom's escapeTextForBrowser, the same for text and attribute values):
// the mails are React-rendered, and buildConfirmEmail promises bytes identical to a direct render, so a value filled
// in later must come out as React would have written it. test/escape-html.test.ts pins it to React's output.

const REACT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
const NEEDS_ESCAPE = /[&<>"']/;

/** Safe in text and in quoted attribute values; strings with nothing to escape come back as they are (per-reader hot path). */
export function escapeHtml(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(/[&<>"']/g, (c) => REACT_ESCAPES[c]) : s;
}

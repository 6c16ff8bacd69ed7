// Length limits measured in user-perceived characters, so a cut never splits an emoji or a combining mark.
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function countGraphemes(s: string): number {
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

/** Cuts to at most `max` graphemes; when it cuts, it prefers a word boundary and ends with `ellipsis`. */
export function truncateGraphemes(s: string, max: number, ellipsis = '…'): string {
  if (s.length <= max) return s; // every grapheme is at least one UTF-16 unit
  const parts: string[] = [];
  for (const { segment } of segmenter.segment(s)) {
    parts.push(segment);
    if (parts.length > max) break;
  }
  if (parts.length <= max) return s;
  const room = Math.max(0, max - countGraphemes(ellipsis));
  let cut = parts.slice(0, room).join('');
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace > cut.length * 0.6) cut = cut.slice(0, lastSpace);
  return cut.replace(/[\s.,;:!?·—–-]+$/u, '') + ellipsis;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Collapses runs of whitespace (including newlines) and drops control characters, for one-line fields. */
export function normalizeLine(s: string | null | undefined): string {
  if (!s) return '';
  return s.replace(CONTROL_EXCEPT_WHITESPACE, '').replace(/\s+/gu, ' ').trim();
}

// Text helpers that respect grapheme clusters (emoji, CJK, combining marks).
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts to at most `max` graphemes, ending with an ellipsis when cut, preferring a word boundary. */
export function cutGraphemes(s: string, max: number): string {
  const parts = Array.from(segmenter.segment(s), (x) => x.segment);
  if (parts.length <= max) return s;
  let cut = parts.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:·—–-]+$/u, '')}…`;
}

export function graphemeLength(s: string): number {
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

// When two headlines tell the same story: normalised token sets (words, or character bigrams for CJK) and their Jaccard similarity.
/*
 * Similarity is Jaccard |A∩B| / |A∪B| over token sets. Thresholds, and why:
 * - Word tokens: 0.6. A headline re-written by another outlet keeps its entities and verb, so
 *   rewrites score 0.6–1 ("OpenAI launches GPT-5 with better reasoning" vs "OpenAI launches GPT-5,
 *   with better reasoning and lower prices" = 0.75; "OpenAI released GPT-5" vs "OpenAI releases
 *   GPT‑5 🚀" = 1 after stemming), while different stories about the same company share the entity
 *   but not the rest ("OpenAI delays GPT-5 in Europe" vs "OpenAI launches GPT-5" = 0.5, "Nvidia
 *   stock falls after earnings" vs "Nvidia earnings beat expectations" = 0.29). Known limit of any
 *   bag of words: "EU AI Act enforcement begins" vs "EU delays AI Act enforcement" (0.67) merge.
 * - CJK (no spaces, so overlapping character bigrams): 0.5 when both titles are mostly CJK. One
 *   changed character changes two bigrams, so the same small edit costs about twice as much as in
 *   words: "英伟达发布新一代Blackwell芯片" vs "英伟达推出新一代Blackwell芯片" is the same story at 0.5, while
 *   unrelated headlines about the same company stay far below ("智谱发布GLM-5，号称国内最强开源模型" vs
 *   "月之暗面发布Kimi K2开源模型，性能对标GPT-4" = 0.16).
 * A false merge hides one story; a false split shows the same story twice in the issue. The
 * canonical URL is the precise signal; titles are the fallback, so they err towards precision.
 */
export const WORD_THRESHOLD = 0.6;
export const CJK_THRESHOLD = 0.5;

const STOPWORDS = new Set(
  'a an the of in on at to for from by with and or as is are was were be been it its this that s vs via how why what'.split(' '),
);
const OTHER_WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

export interface TitleTokens {
  tokens: string[];
  /** Most tokens are CJK bigrams: compared with the CJK threshold. */
  cjk: boolean;
}

/**
 * Lower-cased, NFKC-normalised (full-width letters become ASCII), punctuation and emoji dropped;
 * words lightly stemmed; Han/kana/Hangul runs cut into overlapping character bigrams.
 * A hand-written scanner: a Unicode regex with matchAll was 4-8× slower on 100,000 titles.
 */
export function tokenizeTitle(title: string): TitleTokens {
  const text = title.normalize('NFKC').toLowerCase();
  const tokens: string[] = [];
  let bigrams = 0;
  let i = 0;
  while (i < text.length) {
    const kind = charKind(text.codePointAt(i)!);
    if (kind === SEP) {
      i += text.codePointAt(i)! > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    let ascii = true;
    const chars: string[] = [];
    while (i < text.length) {
      const cp = text.codePointAt(i)!;
      if (charKind(cp) !== kind) break;
      const width = cp > 0xffff ? 2 : 1;
      if (kind === CJK) chars.push(text.slice(i, i + width));
      else if (cp < 0x61 || cp > 0x7a) ascii = false;
      i += width;
    }
    if (kind === CJK) {
      if (chars.length === 1) addUnique(tokens, chars[0]);
      for (let k = 0; k + 1 < chars.length; k++) addUnique(tokens, chars[k] + chars[k + 1]);
      bigrams += Math.max(1, chars.length - 1);
    } else {
      const word = text.slice(start, i);
      if (!STOPWORDS.has(word)) addUnique(tokens, ascii ? stem(word) : word);
    }
  }
  return { tokens, cjk: bigrams > 0 && bigrams * 2 >= tokens.length };
}

// Titles have ~10 tokens: a linear scan beats a Set.
function addUnique(tokens: string[], t: string): void {
  if (!tokens.includes(t)) tokens.push(t);
}

const SEP = 0;
const WORD = 1;
const CJK = 2;

function charKind(cp: number): number {
  if (cp < 0x80) {
    return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) ? WORD : SEP;
  }
  if (
    (cp >= 0x3040 && cp <= 0x30ff) || // hiragana, katakana (incl. ー)
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3134f) || // Han
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0x3130 && cp <= 0x318f) // Hangul
  ) {
    return cp === 0x30fb ? SEP : CJK; // ・ (katakana middle dot) separates
  }
  return OTHER_WORD_CHAR.test(String.fromCodePoint(cp)) ? WORD : SEP;
}

function stem(w: string): string {
  if (w.length < 4) return w;
  if (w.length >= 5 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length >= 6 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length >= 5 && (w.endsWith('ed') || w.endsWith('es'))) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  if (w.length >= 5 && w.endsWith('e')) return w.slice(0, -1);
  return w;
}

/** Jaccard similarity of two titles' token sets (0 when either has no tokens). */
export function titleSimilarity(a: string, b: string): number {
  const ta = new Set(tokenizeTitle(a).tokens);
  const tb = tokenizeTitle(b).tokens;
  if (ta.size === 0 || tb.length === 0) return 0;
  let common = 0;
  for (const t of tb) if (ta.has(t)) common++;
  return common / (ta.size + tb.length - common);
}

export function isSameStoryTitle(a: string, b: string): boolean {
  return titleSimilarity(a, b) >= pairThreshold(tokenizeTitle(a).cjk, tokenizeTitle(b).cjk) - 1e-9;
}

/** The CJK threshold applies only when both titles are mostly CJK; mixed pairs keep the stricter one. */
export function pairThreshold(aCjk: boolean, bCjk: boolean): number {
  return aCjk && bCjk ? CJK_THRESHOLD : WORD_THRESHOLD;
}


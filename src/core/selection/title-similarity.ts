// When two headlines tell the same story: normalised token sets (words, or character bigrams for CJK) and their Jaccard similarity.
import { TitleTokenizer } from './title-tokens.js';

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

export interface TitleTokens {
  tokens: string[];
  /** Most tokens are CJK bigrams: compared with the CJK threshold. */
  cjk: boolean;
}

/** The tokens of one headline as text, for tests and for explaining a merge (the index uses ids). */
export function tokenizeTitle(title: string): TitleTokens {
  const tokenizer = new TitleTokenizer();
  const count = tokenizer.tokenize(title);
  return { tokens: Array.from(tokenizer.ids.subarray(0, count), (id) => tokenizer.text(id)), cjk: tokenizer.cjk };
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

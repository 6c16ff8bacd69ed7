// Finds the groups holding a headline similar to a given group's, without comparing every pair of titles.
import { CJK_THRESHOLD, pairThreshold, tokenizeTitle, WORD_THRESHOLD, type TitleTokens } from './title-similarity.js';

/*
 * A prefix-filter index, exact for Jaccard (the AllPairs/PPJoin family, Bayardo et al. 2007,
 * Xiao et al. 2008). Tokens are ranked rarest first over the whole week. If two token sets share
 * o tokens, their k smallest shared tokens lie within each set's first |set| − o + k tokens; and
 * Jaccard ≥ t forces o ≥ ⌈t·|set|⌉ for both sets. So:
 * - word titles are indexed under every PAIR of tokens in their first |s| − ⌈t·s⌉ + 2 tokens
 *   (two word titles with Jaccard ≥ 0.6 share at least two tokens). Headlines are short, so a
 *   single-token prefix still holds words like "openai" or "launch" whose lists run to thousands;
 *   pairs of them are rare. That took a 100,000-event week from ~15 s to well under a second;
 * - CJK titles (bigrams are already rare) and one-token titles are indexed under single tokens in
 *   their first |s| − ⌈t·s⌉ + 1 tokens;
 * - a probe looks up both kinds with its own prefix, so no similar pair is missed; candidates out
 *   of the size range [t·s, s/t] are not verified; groups already absorbed into a story are dropped
 *   from the lists as they are met, so later probes get cheaper.
 * Titles are indexed per group (the events sharing a canonical URL) and results are groups.
 */
export class TitleIndex {
  private readonly sets: Int32Array[] = []; // token ranks, ascending
  private readonly setGroup: number[] = [];
  private readonly setCjk: boolean[] = [];
  private readonly groupSets: number[][] = [];
  private readonly singles = new Map<number, number[]>();
  private readonly pairs = new Map<number, number[]>();
  private readonly radix: number;
  private readonly seen: Int32Array;
  private readonly groupSeen: Int32Array;
  private stamp = 0;

  /** `titles[g]` are the distinct titles of group g. */
  constructor(titles: readonly (readonly string[])[]) {
    const dict = new Map<string, number>();
    const freq: number[] = [];
    const cache = new Map<string, TitleTokens>();
    const raw: number[][] = [];
    // Plain loops on purpose: per-title closures are measurably slower under tsx (esbuild keepNames).
    for (let g = 0; g < titles.length; g++) {
      const mine: number[] = [];
      this.groupSets.push(mine);
      const keys: string[] = [];
      for (const title of titles[g]) {
        let tt = cache.get(title);
        if (!tt) cache.set(title, (tt = tokenizeTitle(title)));
        if (tt.tokens.length === 0) continue;
        const key = tt.tokens.length === 1 ? tt.tokens[0] : [...tt.tokens].sort().join('\u0001');
        if (keys.includes(key)) continue;
        keys.push(key);
        const ids: number[] = [];
        for (const tok of tt.tokens) {
          let id = dict.get(tok);
          if (id === undefined) {
            dict.set(tok, (id = freq.length));
            freq.push(0);
          }
          freq[id]++;
          ids.push(id);
        }
        mine.push(raw.length);
        raw.push(ids);
        this.setGroup.push(g);
        this.setCjk.push(tt.cjk);
      }
    }

    // Rarest first; ties by token id, which only affects speed, never which pairs are found.
    const order = Array.from(freq.keys()).sort((a, b) => freq[a] - freq[b] || a - b);
    const rank = new Int32Array(freq.length);
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;
    this.radix = Math.max(1, freq.length);
    for (let s = 0; s < raw.length; s++) {
      const ids = raw[s];
      const set = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) set[i] = rank[ids[i]];
      set.sort();
      this.sets.push(set);
      if (this.byPairs(s)) {
        const p = prefixLength(set.length, false, 2);
        for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) push(this.pairs, set[i] * this.radix + set[j], s);
      } else {
        const p = prefixLength(set.length, this.setCjk[s], 1);
        for (let i = 0; i < p; i++) push(this.singles, set[i], s);
      }
    }
    this.seen = new Int32Array(raw.length);
    this.groupSeen = new Int32Array(titles.length);
  }

  /** Open groups (open[h] = 1) with a title similar to one of group `g`'s. A closed group must never reopen. */
  findSimilarOpen(g: number, open: Uint8Array): number[] {
    const stamp = ++this.stamp;
    const found: number[] = [];
    for (const x of this.groupSets[g]) {
      const sx = this.sets[x];
      const cjk = this.setCjk[x];
      const p1 = prefixLength(sx.length, cjk, 1);
      for (let i = 0; i < p1; i++) this.scan(this.singles.get(sx[i]), x, g, open, stamp, found);
      const p2 = prefixLength(sx.length, cjk, 2);
      for (let i = 0; i < p2; i++) {
        for (let j = i + 1; j < p2; j++) this.scan(this.pairs.get(sx[i] * this.radix + sx[j]), x, g, open, stamp, found);
      }
    }
    return found;
  }

  private byPairs(s: number): boolean {
    return !this.setCjk[s] && this.sets[s].length >= 2;
  }

  private scan(list: number[] | undefined, x: number, g: number, open: Uint8Array, stamp: number, found: number[]): void {
    if (!list) return;
    const sx = this.sets[x];
    let keep = 0;
    for (let k = 0; k < list.length; k++) {
      const y = list[k];
      const h = this.setGroup[y];
      if (h !== g && open[h] === 0) continue; // absorbed for good: drop from the list
      list[keep++] = y;
      if (h === g || this.seen[y] === stamp || this.groupSeen[h] === stamp) continue;
      this.seen[y] = stamp;
      const sy = this.sets[y];
      const t = pairThreshold(this.setCjk[x], this.setCjk[y]);
      if (sy.length < t * sx.length - 1e-9 || sx.length < t * sy.length - 1e-9) continue;
      if (jaccardSorted(sx, sy) >= t - 1e-9) {
        this.groupSeen[h] = stamp;
        found.push(h);
      }
    }
    list.length = keep;
  }
}

/** The first |s| − ⌈t·s⌉ + k tokens hold the k rarest tokens shared with any set at Jaccard ≥ t. */
function prefixLength(size: number, cjk: boolean, k: number): number {
  const t = cjk ? Math.min(CJK_THRESHOLD, WORD_THRESHOLD) : WORD_THRESHOLD;
  return Math.min(size, size - Math.ceil(t * size - 1e-9) + k);
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function jaccardSorted(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

// Finds the groups holding a headline similar to a given group's, without comparing every pair of titles.
import { CJK_THRESHOLD, pairThreshold, tokenizeTitle, WORD_THRESHOLD, type TitleTokens } from './title-similarity.js';

/*
 * A prefix-filter index, exact for Jaccard (the AllPairs/PPJoin family: Bayardo et al. 2007, Xiao
 * et al. 2008). Tokens are ranked rarest first over the whole week. If two token sets share o
 * tokens, their k rarest shared tokens lie within each set's first |s| − o + k tokens, and
 * Jaccard ≥ t forces o ≥ ⌈t·|s|⌉ for both sets. So:
 * - word titles are indexed under every PAIR of tokens among their first |s| − ⌈t·s⌉ + 2 tokens
 *   (two word titles at Jaccard ≥ 0.6 share at least two tokens). Headlines are short, so a
 *   one-token prefix still holds words like "openai" or "launch" whose lists run to thousands;
 *   pairs of them are rare. On a 100,000-event week this cut probing from ~15 s to milliseconds;
 * - CJK titles (bigrams are already rare) and one-token titles are indexed under single tokens
 *   among their first |s| − ⌈t·s⌉ + 1 tokens;
 * - a probe looks up both kinds of key with its own prefix, so no similar pair is missed;
 *   candidates outside the size range [t·s, s/t] are not verified; groups already absorbed into a
 *   story are dropped from the lists as they are met, so later probes get cheaper.
 * Storage is flat typed arrays and one open-addressing table, to keep 100,000 titles off the GC.
 */
export class TitleIndex {
  private readonly tokens: Int32Array; // all sets' token ranks, each set ascending
  private readonly setStart: Int32Array;
  private readonly setLen: Int32Array;
  private readonly setCjk: Uint8Array;
  private readonly setGroup: Int32Array;
  private readonly groupFirstSet: Int32Array;
  private readonly groupSetCount: Int32Array;
  private readonly keys: KeyTable;
  private readonly listStart: Int32Array;
  private readonly listLen: Int32Array;
  private readonly lists: Int32Array;
  private readonly seen: Int32Array;
  private readonly groupSeen: Int32Array;
  private stamp = 0;

  /** `titles[i]` is event i's headline; `groups[g]` lists the events of group g. */
  constructor(titles: readonly string[], groups: readonly (readonly number[])[]) {
    const dict = new Map<string, number>();
    const freq: number[] = [];
    const cache = new Map<string, TitleTokens>();
    const pool: number[] = [];
    const start: number[] = [];
    const cjk: number[] = [];
    const setGroup: number[] = [];
    this.groupFirstSet = new Int32Array(groups.length);
    this.groupSetCount = new Int32Array(groups.length);
    // Plain loops on purpose: per-title closures are measurably slower under tsx (esbuild keepNames).
    for (let g = 0; g < groups.length; g++) {
      this.groupFirstSet[g] = start.length;
      const seenKeys: string[] = [];
      for (const i of groups[g]) {
        const title = titles[i];
        let tt = cache.get(title);
        if (!tt) cache.set(title, (tt = tokenizeTitle(title)));
        if (tt.tokens.length === 0) continue;
        if (groups[g].length > 1) {
          const key = [...tt.tokens].sort().join('\u0001'); // one set per distinct title in a group
          if (seenKeys.includes(key)) continue;
          seenKeys.push(key);
        }
        start.push(pool.length);
        cjk.push(tt.cjk ? 1 : 0);
        setGroup.push(g);
        for (const tok of tt.tokens) {
          let id = dict.get(tok);
          if (id === undefined) {
            dict.set(tok, (id = freq.length));
            freq.push(0);
          }
          freq[id]++;
          pool.push(id);
        }
      }
      this.groupSetCount[g] = start.length - this.groupFirstSet[g];
    }
    const sets = start.length;
    start.push(pool.length);

    // Rarest first; ties by token id, which only affects speed, never which pairs are found.
    const order = Array.from(freq.keys()).sort((a, b) => freq[a] - freq[b] || a - b);
    const rank = new Int32Array(freq.length);
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;
    this.tokens = new Int32Array(pool.length);
    this.setStart = Int32Array.from(start);
    this.setLen = new Int32Array(sets);
    this.setCjk = Uint8Array.from(cjk);
    this.setGroup = Int32Array.from(setGroup);
    let entries = 0;
    for (let s = 0; s < sets; s++) {
      const from = start[s];
      const len = start[s + 1] - from;
      this.setLen[s] = len;
      for (let i = 0; i < len; i++) insertSorted(this.tokens, from, i, rank[pool[from + i]]);
      const p = this.indexPrefix(s);
      entries += this.byPairs(s) ? (p * (p - 1)) / 2 : p;
    }

    // Postings as one CSR array: count per key, then fill.
    this.keys = new KeyTable(entries);
    const entryKey = new Int32Array(entries);
    const entrySet = new Int32Array(entries);
    let e = 0;
    for (let s = 0; s < sets; s++) {
      const from = this.setStart[s];
      const p = this.indexPrefix(s);
      if (this.byPairs(s)) {
        for (let i = 0; i < p; i++) {
          for (let j = i + 1; j < p; j++) {
            entryKey[e] = this.keys.intern(this.tokens[from + i], this.tokens[from + j]);
            entrySet[e++] = s;
          }
        }
      } else {
        for (let i = 0; i < p; i++) {
          entryKey[e] = this.keys.intern(this.tokens[from + i], -1);
          entrySet[e++] = s;
        }
      }
    }
    this.listStart = new Int32Array(this.keys.size + 1);
    this.listLen = new Int32Array(this.keys.size);
    for (let k = 0; k < entries; k++) this.listLen[entryKey[k]]++;
    for (let k = 0; k < this.keys.size; k++) this.listStart[k + 1] = this.listStart[k] + this.listLen[k];
    this.lists = new Int32Array(entries);
    const fill = this.listStart.slice(0, this.keys.size);
    for (let k = 0; k < entries; k++) this.lists[fill[entryKey[k]]++] = entrySet[k];
    this.seen = new Int32Array(sets);
    this.groupSeen = new Int32Array(groups.length);
  }

  /** Open groups (open[h] = 1) with a title similar to one of group `g`'s. A closed group must never reopen. */
  findSimilarOpen(g: number, open: Uint8Array): number[] {
    const stamp = ++this.stamp;
    const found: number[] = [];
    const last = this.groupFirstSet[g] + this.groupSetCount[g];
    for (let x = this.groupFirstSet[g]; x < last; x++) {
      const from = this.setStart[x];
      const len = this.setLen[x];
      const cjk = this.setCjk[x] === 1;
      const p1 = prefixLength(len, cjk, 1);
      for (let i = 0; i < p1; i++) this.scan(this.keys.find(this.tokens[from + i], -1), x, g, open, stamp, found);
      const p2 = prefixLength(len, cjk, 2);
      for (let i = 0; i < p2; i++) {
        for (let j = i + 1; j < p2; j++) {
          this.scan(this.keys.find(this.tokens[from + i], this.tokens[from + j]), x, g, open, stamp, found);
        }
      }
    }
    return found;
  }

  private byPairs(s: number): boolean {
    return this.setCjk[s] === 0 && this.setLen[s] >= 2;
  }

  private indexPrefix(s: number): number {
    return prefixLength(this.setLen[s], this.setCjk[s] === 1, this.byPairs(s) ? 2 : 1);
  }

  private scan(key: number, x: number, g: number, open: Uint8Array, stamp: number, found: number[]): void {
    if (key < 0) return;
    const from = this.listStart[key];
    const end = from + this.listLen[key];
    let keep = from;
    for (let k = from; k < end; k++) {
      const y = this.lists[k];
      const h = this.setGroup[y];
      if (h !== g && open[h] === 0) continue; // absorbed for good: drop from the list
      this.lists[keep++] = y;
      if (h === g || this.seen[y] === stamp || this.groupSeen[h] === stamp) continue;
      this.seen[y] = stamp;
      if (this.similar(x, y)) {
        this.groupSeen[h] = stamp;
        found.push(h);
      }
    }
    this.listLen[key] = keep - from;
  }

  private similar(x: number, y: number): boolean {
    const lx = this.setLen[x];
    const ly = this.setLen[y];
    const t = pairThreshold(this.setCjk[x] === 1, this.setCjk[y] === 1);
    if (ly < t * lx - 1e-9 || lx < t * ly - 1e-9) return false;
    let i = this.setStart[x];
    let j = this.setStart[y];
    const ei = i + lx;
    const ej = j + ly;
    let common = 0;
    while (i < ei && j < ej) {
      const a = this.tokens[i];
      const b = this.tokens[j];
      if (a === b) {
        common++;
        i++;
        j++;
      } else if (a < b) i++;
      else j++;
    }
    return common / (lx + ly - common) >= t - 1e-9;
  }
}

/** The first |s| − ⌈t·s⌉ + k tokens hold the k rarest tokens shared with any set at Jaccard ≥ t. */
function prefixLength(size: number, cjk: boolean, k: number): number {
  const t = cjk ? Math.min(CJK_THRESHOLD, WORD_THRESHOLD) : WORD_THRESHOLD;
  return Math.min(size, size - Math.ceil(t * size - 1e-9) + k);
}

/** Insertion sort step: sets have a dozen tokens, and this allocates nothing. */
function insertSorted(arr: Int32Array, from: number, count: number, value: number): void {
  let i = from + count;
  while (i > from && arr[i - 1] > value) {
    arr[i] = arr[i - 1];
    i--;
  }
  arr[i] = value;
}

/** Open-addressing map from a token pair (b = -1 for a single token) to a dense key id. */
class KeyTable {
  size = 0;
  private readonly mask: number;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly id: Int32Array;

  constructor(maxKeys: number) {
    let cap = 16;
    while (cap < maxKeys * 2) cap *= 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.id = new Int32Array(cap);
  }

  intern(a: number, b: number): number {
    let h = this.slot(a, b);
    while (this.a[h] !== -1) {
      if (this.a[h] === a && this.b[h] === b) return this.id[h];
      h = (h + 1) & this.mask;
    }
    this.a[h] = a;
    this.b[h] = b;
    return (this.id[h] = this.size++);
  }

  find(a: number, b: number): number {
    let h = this.slot(a, b);
    while (this.a[h] !== -1) {
      if (this.a[h] === a && this.b[h] === b) return this.id[h];
      h = (h + 1) & this.mask;
    }
    return -1;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a ^ Math.imul(b + 1, 0x85ebca77), 0x9e3779b1);
    h ^= h >>> 15;
    return Math.imul(h, 0x2c1b3c6d) >>> 12 & this.mask;
  }
}

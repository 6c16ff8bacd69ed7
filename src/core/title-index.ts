// Finds the groups holding a headline similar to a given group's, without comparing every pair of titles.
import { IntPairTable } from './int-pair-table.js';
import { CJK_THRESHOLD, pairThreshold, WORD_THRESHOLD } from './title-similarity.js';
import { TitleTokenizer } from './title-tokens.js';

/*
 * A prefix-filter index, exact for Jaccard (the AllPairs/PPJoin family: Bayardo et al. 2007, Xiao
 * et al. 2008). Tokens are ranked rarest first over the whole week. If two token sets share o
 * tokens, their two rarest shared tokens lie within each set's first |s| − o + 2 tokens, and
 * Jaccard ≥ t forces o ≥ ⌈t·|s|⌉ for both sets (t = 0.5 for a CJK set, else 0.6). So:
 * - every title is indexed under each PAIR of tokens among its first |s| − ⌈t·|s|⌉ + 2 tokens, and
 *   two similar titles always share such a pair (titles of one or two tokens also get single-token
 *   keys, the only way they can match). Headlines are short, so single-token prefixes would hold
 *   words like "openai" or "launch" whose lists run to thousands; pairs of them are rare. On a
 *   100,000-event week, single-token probing took ~15 s, pairs take milliseconds;
 * - a title probes with exactly the keys it was indexed under, so keys are resolved once, at build;
 * - candidates outside the size range [t·s, s/t] are not verified; groups already absorbed into a
 *   story are dropped from the lists as they are met, so later probes get cheaper;
 * - reach(g) bounds, without probing, the weight of all groups g could ever match (the weight of
 *   every list g is on): the caller uses it to stop once no unprobed group can matter.
 * Storage is flat typed arrays and one open-addressing table, to keep 100,000 titles off the GC.
 */
export class TitleIndex {
  private readonly tokens: Int32Array; // all sets' token ranks, each set ascending
  private readonly setStart: Int32Array;
  private readonly setCjk: Uint8Array;
  private readonly setGroup: Int32Array;
  private readonly groupFirstSet: Int32Array; // sets of group g: groupFirstSet[g] .. groupFirstSet[g + 1]
  private readonly entryStart: Int32Array; // keys of set s: entryKey[entryStart[s] .. entryStart[s + 1]]
  private readonly entryKey: Int32Array;
  private readonly listStart: Int32Array;
  private readonly listLen: Int32Array;
  private readonly lists: Int32Array;
  private readonly listWeight: Float64Array;
  private readonly seen: Int32Array;
  private readonly groupSeen: Int32Array;
  private stamp = 0;

  /** `titles[i]` is event i's headline; `groups[g]` lists the events of group g; `weight[g]` feeds reach(). */
  constructor(titles: readonly string[], groups: readonly (readonly number[])[], weight: Float64Array) {
    const tokenizer = new TitleTokenizer();
    const freq: number[] = [];
    const ids: number[] = [];
    const pool: number[] = [];
    const start: number[] = [];
    const cjk: number[] = [];
    const setGroup: number[] = [];
    this.groupFirstSet = new Int32Array(groups.length + 1);
    for (let g = 0; g < groups.length; g++) {
      this.groupFirstSet[g] = start.length;
      const seenKeys: string[] = [];
      for (const i of groups[g]) {
        const isCjk = tokenizer.tokenize(titles[i], ids);
        if (ids.length === 0) continue;
        if (groups[g].length > 1) {
          const key = [...ids].sort((a, b) => a - b).join(); // one set per distinct title in a group
          if (seenKeys.includes(key)) continue;
          seenKeys.push(key);
        }
        start.push(pool.length);
        cjk.push(isCjk ? 1 : 0);
        setGroup.push(g);
        for (const id of ids) {
          while (freq.length <= id) freq.push(0);
          freq[id]++;
          pool.push(id);
        }
      }
    }
    const sets = start.length;
    this.groupFirstSet[groups.length] = sets;
    start.push(pool.length);

    // Rarest first; ties by token id, which only affects speed, never which pairs are found.
    const order = Array.from(freq.keys()).sort((a, b) => freq[a] - freq[b] || a - b);
    const rank = new Int32Array(freq.length);
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;
    this.tokens = new Int32Array(pool.length);
    this.setStart = Int32Array.from(start);
    this.setCjk = Uint8Array.from(cjk);
    this.setGroup = Int32Array.from(setGroup);
    this.entryStart = new Int32Array(sets + 1);
    for (let s = 0; s < sets; s++) {
      const from = start[s];
      const len = start[s + 1] - from;
      for (let i = 0; i < len; i++) insertSorted(this.tokens, from, i, rank[pool[from + i]]);
      const p = prefixLength(len, cjk[s] === 1);
      this.entryStart[s + 1] = this.entryStart[s] + (p * (p - 1)) / 2 + (this.hasSingles(s) ? len : 0);
    }

    // Keys per set, then the postings as one CSR array (count per key, then fill).
    const entries = this.entryStart[sets];
    const keys = new IntPairTable(entries / 4);
    this.entryKey = new Int32Array(entries);
    let e = 0;
    for (let s = 0; s < sets; s++) {
      const from = this.setStart[s];
      const len = this.setStart[s + 1] - from;
      const p = prefixLength(len, this.setCjk[s] === 1);
      for (let i = 0; i < p; i++) {
        for (let j = i + 1; j < p; j++) this.entryKey[e++] = keys.intern(this.tokens[from + i], this.tokens[from + j]);
      }
      if (this.hasSingles(s)) for (let i = 0; i < len; i++) this.entryKey[e++] = keys.intern(this.tokens[from + i], -1);
    }
    this.listStart = new Int32Array(keys.size + 1);
    this.listLen = new Int32Array(keys.size);
    this.listWeight = new Float64Array(keys.size);
    for (let k = 0; k < entries; k++) this.listLen[this.entryKey[k]]++;
    for (let k = 0; k < keys.size; k++) this.listStart[k + 1] = this.listStart[k] + this.listLen[k];
    this.lists = new Int32Array(entries);
    const fill = this.listStart.slice(0, keys.size);
    for (let s = 0; s < sets; s++) {
      for (let k = this.entryStart[s]; k < this.entryStart[s + 1]; k++) {
        const key = this.entryKey[k];
        this.lists[fill[key]++] = s;
        this.listWeight[key] += weight[this.setGroup[s]];
      }
    }
    this.seen = new Int32Array(sets);
    this.groupSeen = new Int32Array(groups.length);
  }

  /** An upper bound on the total weight of the groups (g included) that share an index key with g. */
  reach(g: number): number {
    let total = 0;
    for (let s = this.groupFirstSet[g]; s < this.groupFirstSet[g + 1]; s++) {
      for (let k = this.entryStart[s]; k < this.entryStart[s + 1]; k++) total += this.listWeight[this.entryKey[k]];
    }
    return total;
  }

  /** Open groups (open[h] = 1) with a title similar to one of group `g`'s. A closed group must never reopen. */
  findSimilarOpen(g: number, open: Uint8Array): number[] {
    const stamp = ++this.stamp;
    const found: number[] = [];
    for (let x = this.groupFirstSet[g]; x < this.groupFirstSet[g + 1]; x++) {
      for (let k = this.entryStart[x]; k < this.entryStart[x + 1]; k++) this.scan(this.entryKey[k], x, g, open, stamp, found);
    }
    return found;
  }

  // One- and two-token titles can match a one-token title, which has no pair to share.
  private hasSingles(s: number): boolean {
    const len = this.setStart[s + 1] - this.setStart[s];
    return len === 1 || (len === 2 && this.setCjk[s] === 1);
  }

  private scan(key: number, x: number, g: number, open: Uint8Array, stamp: number, found: number[]): void {
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
    let i = this.setStart[x];
    let j = this.setStart[y];
    const ei = this.setStart[x + 1];
    const ej = this.setStart[y + 1];
    const lx = ei - i;
    const ly = ej - j;
    const t = pairThreshold(this.setCjk[x] === 1, this.setCjk[y] === 1);
    if (ly < t * lx - 1e-9 || lx < t * ly - 1e-9) return false;
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

/** The first |s| − ⌈t·|s|⌉ + 2 tokens hold the two rarest tokens shared with any set at Jaccard ≥ t. */
function prefixLength(size: number, cjk: boolean): number {
  const t = cjk ? Math.min(CJK_THRESHOLD, WORD_THRESHOLD) : WORD_THRESHOLD;
  return Math.min(size, size - Math.ceil(t * size - 1e-9) + 2);
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

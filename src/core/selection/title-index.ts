// Finds the groups holding a headline similar to a given group's, without comparing every pair of titles.
import { IntPairTable } from './int-pair-table.js';
import { CJK_THRESHOLD, pairThreshold, WORD_THRESHOLD } from './title-similarity.js';
import { TitleTokenizer } from './title-tokens.js';

/*
 * A prefix-filter index, exact for Jaccard (the AllPairs/PPJoin family: Bayardo et al. 2007, Xiao
 * et al. 2008). Tokens are ranked rarest first over the indexed titles. If two token sets share o
 * tokens, their two rarest shared tokens lie within each set's first |s| − o + 2 tokens, and
 * Jaccard ≥ t forces o ≥ ⌈t·|s|⌉ for both sets (t = 0.5 for a CJK set, else 0.6). So:
 * - every title is indexed under each PAIR of tokens among its first |s| − ⌈t·|s|⌉ + 2 tokens, and
 *   two similar titles always share such a pair (titles of one or two tokens also get single-token
 *   keys, the only way they can match). Headlines are short, so single-token prefixes would hold
 *   words like "openai" or "launch" whose lists run to thousands; pairs of them are rare (joining
 *   a synthetic 100,000-event week took ~15 s with single tokens here, well under a second with pairs);
 * - a title probes with exactly the keys it was indexed under, so keys are resolved once, at build;
 * - a title outside the size range [t·s, s/t] is not verified; groups claimed by a story are
 *   dropped from the lists as they are met (leaders stay, for the long tail), so later probes get cheaper;
 * - titles outside the index (the week's long tail) are matched against it one by one with the
 *   same keys, their unseen tokens ranked first (they count towards size but cannot match).
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
  private readonly seen: Int32Array;
  private readonly groupSeen: Int32Array;
  private readonly state: Uint8Array; // OPEN, LEADER or CLAIMED per group
  private stamp = 0;

  private readonly tokenizer = new TitleTokenizer();
  private readonly keys: IntPairTable;
  private readonly rank: Int32Array;
  private queryRanks = new Int32Array(64);

  /** `titles[i]` is event i's headline; `groups[g]` lists the events of group g. */
  constructor(titles: readonly string[], groups: readonly (readonly number[])[]) {
    const tokenizer = this.tokenizer;
    const freq: number[] = [];
    const pool: number[] = [];
    const start: number[] = [];
    const cjk: number[] = [];
    const setGroup: number[] = [];
    this.groupFirstSet = new Int32Array(groups.length + 1);
    for (let g = 0; g < groups.length; g++) {
      this.groupFirstSet[g] = start.length;
      const seenKeys: string[] = [];
      for (const i of groups[g]) {
        const count = tokenizer.tokenize(titles[i]);
        if (count === 0) continue;
        const ids = tokenizer.ids;
        if (groups[g].length > 1) {
          const key = Array.from(ids.subarray(0, count))
            .sort((a, b) => a - b)
            .join(); // one set per distinct title
          if (seenKeys.includes(key)) continue;
          seenKeys.push(key);
        }
        start.push(pool.length);
        cjk.push(tokenizer.cjk ? 1 : 0);
        setGroup.push(g);
        for (let k = 0; k < count; k++) {
          const id = ids[k];
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
    this.rank = rank;
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
    this.keys = keys;
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
    for (let k = 0; k < entries; k++) this.listLen[this.entryKey[k]]++;
    for (let k = 0; k < keys.size; k++) this.listStart[k + 1] = this.listStart[k] + this.listLen[k];
    this.lists = new Int32Array(entries);
    const fill = this.listStart.slice(0, keys.size);
    for (let s = 0; s < sets; s++) {
      for (let k = this.entryStart[s]; k < this.entryStart[s + 1]; k++) {
        const key = this.entryKey[k];
        this.lists[fill[key]++] = s;
      }
    }
    this.seen = new Int32Array(sets);
    this.groupSeen = new Int32Array(groups.length);
    this.state = new Uint8Array(groups.length);
    tokenizer.freeze();
  }

  isOpen(g: number): boolean {
    return this.state[g] === OPEN;
  }

  /** Makes open group g a story leader and claims every open group with a title similar to one of g's. */
  lead(g: number): number[] {
    this.state[g] = LEADER;
    const groupStamp = ++this.stamp;
    const found: number[] = [];
    for (let x = this.groupFirstSet[g]; x < this.groupFirstSet[g + 1]; x++) {
      const setStamp = ++this.stamp; // a title already rejected for one of g's titles may match another
      for (let k = this.entryStart[x]; k < this.entryStart[x + 1]; k++) {
        this.scan(this.entryKey[k], x, setStamp, groupStamp, found);
      }
    }
    for (const h of found) this.state[h] = CLAIMED;
    return found;
  }

  /**
   * Leader groups with a title similar to `title`, which is not indexed. Its tokens unknown to the
   * index are ranked before all known ones: they count towards its size but can match nothing.
   */
  leadersSimilarTo(title: string): number[] {
    const size = this.tokenizer.tokenize(title);
    const ids = this.tokenizer.ids;
    const cjk = this.tokenizer.cjk;
    if (this.queryRanks.length < size) this.queryRanks = new Int32Array(size * 2);
    let known = 0;
    for (let i = 0; i < size; i++) if (ids[i] >= 0) insertSorted(this.queryRanks, 0, known++, this.rank[ids[i]]);
    if (known === 0) return NONE;
    const stamp = ++this.stamp;
    let found = NONE;
    const inPrefix = prefixLength(size, cjk) - (size - known);
    for (let i = 0; i < inPrefix; i++) {
      for (let j = i + 1; j < inPrefix; j++) found = this.scanQuery(this.keys.find(this.queryRanks[i], this.queryRanks[j]), known, size, cjk, stamp, found);
    }
    if (hasSingles(size, cjk)) {
      for (let i = 0; i < known; i++) found = this.scanQuery(this.keys.find(this.queryRanks[i], -1), known, size, cjk, stamp, found);
    }
    return found;
  }

  private scanQuery(key: number, known: number, size: number, cjk: boolean, stamp: number, found: number[]): number[] {
    if (key < 0) return found;
    const end = this.listStart[key] + this.listLen[key];
    for (let k = this.listStart[key]; k < end; k++) {
      const y = this.lists[k];
      const h = this.setGroup[y];
      if (this.state[h] !== LEADER || this.seen[y] === stamp || this.groupSeen[h] === stamp) continue;
      this.seen[y] = stamp;
      let i = 0;
      let j = this.setStart[y];
      const ej = this.setStart[y + 1];
      const t = pairThreshold(cjk, this.setCjk[y] === 1);
      const ly = ej - j;
      if (ly < t * size - 1e-9 || size < t * ly - 1e-9) continue;
      let common = 0;
      while (i < known && j < ej) {
        const a = this.queryRanks[i];
        const b = this.tokens[j];
        if (a === b) {
          common++;
          i++;
          j++;
        } else if (a < b) i++;
        else j++;
      }
      if (common / (size + ly - common) >= t - 1e-9) {
        this.groupSeen[h] = stamp;
        if (found === NONE) found = [];
        found.push(h);
      }
    }
    return found;
  }

  private hasSingles(s: number): boolean {
    return hasSingles(this.setStart[s + 1] - this.setStart[s], this.setCjk[s] === 1);
  }

  private scan(key: number, x: number, setStamp: number, groupStamp: number, found: number[]): void {
    const from = this.listStart[key];
    const end = from + this.listLen[key];
    let keep = from;
    for (let k = from; k < end; k++) {
      const y = this.lists[k];
      const h = this.setGroup[y];
      const state = this.state[h];
      if (state === CLAIMED) continue; // never matches again: drop from the list
      this.lists[keep++] = y;
      if (state !== OPEN || this.seen[y] === setStamp || this.groupSeen[h] === groupStamp) continue;
      this.seen[y] = setStamp;
      if (this.similar(x, y)) {
        this.groupSeen[h] = groupStamp;
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

const NONE: number[] = [];
const OPEN = 0;
const LEADER = 1;
const CLAIMED = 2;

// One- and two-token titles can match a one-token title, which has no pair to share.
function hasSingles(size: number, cjk: boolean): boolean {
  return size === 1 || (size === 2 && cjk);
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

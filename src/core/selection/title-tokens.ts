// Turns headlines into sets of dense token ids (words lightly stemmed, CJK as character bigrams) without allocating a string per token.
import { IntPairTable } from './int-pair-table.js';

// Function words carry no story; dropping them keeps short headlines from matching on "the" and "of".
const STOPWORDS = 'a an the of in on at to for from by with and or as is are was were be been it its this that s vs via how why what'.split(' ');
const OTHER_WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
const SEP = 0;
const WORD = 1;
const CJK = 2;

/*
 * Rules: NFKC (full-width letters become ASCII), lower case; letters/digits form words, anything
 * else (punctuation, emoji, spaces) separates; ASCII words lose a plural/tense suffix; Han, kana and
 * Hangul runs, which have no spaces, become overlapping character bigrams (a lone character stays a
 * unigram). Tokenising 100,000 headlines is the largest cost of the weekly selection, so: pure-ASCII
 * titles (NFKC changes nothing there) are scanned in place, lower-casing per character; words are
 * hashed and interned straight from the text; only a token never seen before becomes a string.
 */
export class TitleTokenizer {
  /** Token ids of the last title, distinct, in order of appearance: ids[0 .. count). */
  ids: Int32Array = new Int32Array(64);
  count = 0;
  /** Whether most tokens of the last title are CJK bigrams. */
  cjk = false;
  private bigrams = 0;
  private readonly texts: string[] = [];
  private readonly stop: boolean[] = [];
  private wordSlots = new Int32Array(1 << 12); // word id + 1; 0 = empty
  private readonly wordHashes: number[] = []; // by token id; -1 for CJK tokens
  private words = 0;
  private readonly cjkTable = new IntPairTable();
  private readonly cjkIds: number[] = [];
  private cps: Int32Array = new Int32Array(64);
  private prefixHash: Int32Array = new Int32Array(64);
  private frozen = false;

  constructor() {
    for (const w of STOPWORDS) this.stop[this.internWord(w, 0, w.length, hashRange(w, 0, w.length))] = true;
  }

  /**
   * From now on, tokens never seen before are not added: they get a negative id derived from a
   * hash of their text. They still count towards a title's size, but can match nothing indexed.
   */
  freeze(): void {
    this.frozen = true;
  }

  /** Tokenises `title` into ids/count/cjk and returns the count. */
  tokenize(title: string): number {
    if (!this.scan(title, true)) this.scan(title.normalize('NFKC').toLowerCase(), false);
    this.cjk = this.bigrams > 0 && this.bigrams * 2 >= this.count;
    return this.count;
  }

  /** The token's text (a word stem, or one or two CJK characters). */
  text(id: number): string {
    return this.texts[id];
  }

  // Returns false, having done nothing useful, when asciiOnly and the text holds a non-ASCII character.
  private scan(text: string, asciiOnly: boolean): boolean {
    this.count = 0;
    this.bigrams = 0;
    const n = text.length;
    let i = 0;
    while (i < n) {
      let cp = text.charCodeAt(i);
      if (cp >= 0x80) {
        if (asciiOnly) return false;
        if (cp >= 0xd800 && cp <= 0xdbff) cp = text.codePointAt(i)!;
      }
      const kind = cp < 0x80 ? ASCII_KIND[cp] : charKind(cp);
      if (kind === SEP) {
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      const start = i;
      let letters = true; // a-z only: the stemmer applies
      let hash = FNV_OFFSET;
      let runLength = 0;
      while (i < n) {
        let c = text.charCodeAt(i);
        if (c >= 0x80) {
          if (asciiOnly) return false;
          if (c >= 0xd800 && c <= 0xdbff) c = text.codePointAt(i)!;
        }
        if ((c < 0x80 ? ASCII_KIND[c] : charKind(c)) !== kind) break;
        if (kind === CJK) {
          if (runLength === this.cps.length) this.cps = grow(this.cps);
          this.cps[runLength] = c;
        } else if (c > 0xffff) {
          letters = false; // hash UTF-16 units, as hashRange does
          hash = Math.imul(Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME) ^ text.charCodeAt(i + 1), FNV_PRIME);
        } else {
          const lower = lowerAscii(c);
          if (lower < 0x61 || lower > 0x7a) letters = false;
          hash = Math.imul(hash ^ lower, FNV_PRIME);
          if (runLength + 1 >= this.prefixHash.length) this.prefixHash = grow(this.prefixHash);
          this.prefixHash[runLength + 1] = hash; // the stem's hash, whatever suffix comes off
        }
        runLength++;
        i += c > 0xffff ? 2 : 1;
      }
      if (kind === CJK) {
        if (runLength === 1) this.add(this.cjkToken(this.cps[0], -1));
        for (let k = 0; k + 1 < runLength; k++) this.add(this.cjkToken(this.cps[k], this.cps[k + 1]));
        this.bigrams += Math.max(1, runLength - 1);
        continue;
      }
      hash >>>= 0;
      const end = letters ? stemEnd(text, start, i) : i;
      if (i - start <= 4) {
        const raw = this.findWord(text, start, i, hash); // every stopword is at most four letters
        if (raw >= 0 && this.stop[raw]) continue;
        if (end === i) {
          // the word is its own stem and was just looked up
          this.add(raw >= 0 ? raw : this.frozen ? -1 - (hash >>> 1) : this.addWord(text, start, i, hash));
          continue;
        }
      }
      const h = end === i ? hash : this.prefixHash[end - start] >>> 0;
      this.add(this.frozen ? this.knownWord(text, start, end, h) : this.internWord(text, start, end, h));
    }
    return true;
  }

  private add(id: number): void {
    for (let k = 0; k < this.count; k++) if (this.ids[k] === id) return;
    if (this.count === this.ids.length) this.ids = grow(this.ids);
    this.ids[this.count++] = id;
  }

  private cjkToken(a: number, b: number): number {
    if (!this.frozen) return this.internCjk(a, b);
    const local = this.cjkTable.find(a, b);
    return local >= 0 ? this.cjkIds[local] : -1 - ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) >>> 1);
  }

  private internCjk(a: number, b: number): number {
    const local = this.cjkTable.intern(a, b);
    if (local === this.cjkIds.length) {
      this.cjkIds.push(this.texts.length);
      this.wordHashes.push(-1);
      this.texts.push(b < 0 ? String.fromCodePoint(a) : String.fromCodePoint(a, b));
    }
    return this.cjkIds[local];
  }

  private knownWord(text: string, from: number, to: number, hash: number): number {
    const id = this.findWord(text, from, to, hash);
    return id >= 0 ? id : -1 - (hash >>> 1);
  }

  private findWord(text: string, from: number, to: number, hash: number): number {
    const slots = this.wordSlots;
    const mask = slots.length - 1;
    for (let h = hash & mask; slots[h] !== 0; h = (h + 1) & mask) {
      const id = slots[h] - 1;
      if (this.wordHashes[id] === hash && sameText(this.texts[id], text, from, to)) return id;
    }
    return -1;
  }

  private internWord(text: string, from: number, to: number, hash: number): number {
    const found = this.findWord(text, from, to, hash);
    return found >= 0 ? found : this.addWord(text, from, to, hash);
  }

  private addWord(text: string, from: number, to: number, hash: number): number {
    const id = this.texts.length;
    this.texts.push(text.slice(from, to).toLowerCase());
    this.wordHashes.push(hash);
    if (++this.words * 2 > this.wordSlots.length) {
      this.wordSlots = new Int32Array(this.wordSlots.length * 2);
      for (let w = 0; w < id; w++) if (this.wordHashes[w] !== -1) this.placeWord(w);
    }
    this.placeWord(id);
    return id;
  }

  private placeWord(id: number): void {
    const slots = this.wordSlots;
    const mask = slots.length - 1;
    let h = this.wordHashes[id] & mask;
    while (slots[h] !== 0) h = (h + 1) & mask;
    slots[h] = id + 1;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const ASCII_KIND = Uint8Array.from({ length: 0x80 }, (_, c) => ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ? WORD : SEP));

function charKind(cp: number): number {
  if (
    (cp >= 0x3040 && cp <= 0x30ff && cp !== 0x30fb) || // hiragana, katakana (ー included, ・ separates)
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3134f) || // Han
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0x3130 && cp <= 0x318f) // Hangul
  ) {
    return CJK;
  }
  return OTHER_WORD_CHAR.test(String.fromCodePoint(cp)) ? WORD : SEP;
}

/** Lower case for ASCII letters and digits (setting bit 5 leaves digits alone); other characters as they are. */
function lowerAscii(c: number): number {
  return c < 0x80 ? c | 0x20 : c;
}

/** End of the stem of the a-z word text[from, to): one plural/tense suffix, then a final e/y. */
function stemEnd(text: string, from: number, to: number): number {
  const len = to - from;
  if (len < 4) return to;
  const c1 = lowerAscii(text.charCodeAt(to - 1));
  const c2 = lowerAscii(text.charCodeAt(to - 2));
  const c3 = lowerAscii(text.charCodeAt(to - 3));
  let end = to;
  if (c1 === S) {
    if (len >= 5 && c2 === E && c3 === I)
      end -= 3; // companies
    else if (len >= 5 && c2 === E)
      end -= 2; // launches, releases
    else if (c2 !== S) end -= 1; // models (not "access")
  } else if (len >= 6 && c1 === G && c2 === N && c3 === I)
    end -= 3; // releasing
  else if (len >= 6 && c1 === D && c2 === E) end -= 2; // released
  const last = lowerAscii(text.charCodeAt(end - 1));
  if (end - from >= 4 && (last === E || last === Y)) end -= 1; // release/released, company/companies
  return end;
}

const [D, E, G, I, N, S, Y] = [...'degins y'.replace(' ', '')].map((c) => c.charCodeAt(0));

function hashRange(text: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ lowerAscii(text.charCodeAt(i)), FNV_PRIME);
  return h >>> 0;
}

function sameText(stored: string, text: string, from: number, to: number): boolean {
  if (stored.length !== to - from) return false;
  for (let i = 0; i < stored.length; i++) if (stored.charCodeAt(i) !== lowerAscii(text.charCodeAt(from + i))) return false;
  return true;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

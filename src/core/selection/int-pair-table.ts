// Dense ids for pairs of non-negative ints (b may be -1), in flat typed arrays: Map keys like a * N + b box into heap numbers and churn the GC.
export class IntPairTable {
  size = 0;
  private mask: number;
  private a: Int32Array;
  private b: Int32Array;
  private id: Int32Array;

  constructor(expectedKeys = 1024) {
    let cap = 16;
    while (cap < expectedKeys * 2) cap *= 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.id = new Int32Array(cap);
  }

  /** The id of (a, b), assigned in insertion order from 0. */
  intern(a: number, b: number): number {
    let h = slot(a, b, this.mask);
    while (this.a[h] !== -1) {
      if (this.a[h] === a && this.b[h] === b) return this.id[h];
      h = (h + 1) & this.mask;
    }
    if ((this.size + 1) * 2 > this.mask + 1) {
      this.grow();
      return this.intern(a, b);
    }
    this.a[h] = a;
    this.b[h] = b;
    const id = this.size++;
    this.id[h] = id;
    return id;
  }

  /** The id of (a, b), or -1. */
  find(a: number, b: number): number {
    let h = slot(a, b, this.mask);
    while (this.a[h] !== -1) {
      if (this.a[h] === a && this.b[h] === b) return this.id[h];
      h = (h + 1) & this.mask;
    }
    return -1;
  }

  private grow(): void {
    const { a, b, id } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.id = new Int32Array(cap);
    for (let i = 0; i < a.length; i++) {
      if (a[i] === -1) continue;
      let h = slot(a[i], b[i], this.mask);
      while (this.a[h] !== -1) h = (h + 1) & this.mask;
      this.a[h] = a[i];
      this.b[h] = b[i];
      this.id[h] = id[i];
    }
  }
}

function slot(a: number, b: number, mask: number): number {
  let h = Math.imul(a ^ Math.imul(b + 1, 0x85ebca77), 0x9e3779b1);
  h ^= h >>> 15;
  return (Math.imul(h, 0x2c1b3c6d) >>> 7) & mask;
}

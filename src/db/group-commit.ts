// Group commit: requests that arrive together share one transaction, and each is answered only after
// that transaction committed. SQLite pays per commit far more than per row, so this is where write
// throughput comes from, without ever acknowledging something that is not stored.

export interface GroupCommitOptions<T, R> {
  /** Writes a whole batch in one transaction; returns one result per item, in order. Throws to fail the batch. */
  run(batch: T[]): Promise<R[]>;
  /** Upper bound per transaction, so one commit never holds the database for long. */
  maxBatch?: number;
}

export interface GroupCommit<T, R> {
  submit(item: T): Promise<R>;
  /** Resolves once everything submitted so far has been committed or rejected. */
  drain(): Promise<void>;
}

interface Pending<T, R> {
  item: T;
  resolve(r: R): void;
  reject(e: unknown): void;
}

// Runs after the current I/O phase on Node, so every request that arrived in it joins the batch.
const defer: (fn: () => void) => void =
  typeof globalThis.setImmediate === 'function' ? (fn) => void globalThis.setImmediate(fn) : (fn) => void setTimeout(fn, 0);

export function createGroupCommit<T, R>(opts: GroupCommitOptions<T, R>): GroupCommit<T, R> {
  const maxBatch = opts.maxBatch ?? 256;
  let queue: Pending<T, R>[] = [];
  let running: Promise<void> | null = null;

  async function runBatch(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await opts.run(batch.map((p) => p.item));
      if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
      for (const [i, p] of batch.entries()) p.resolve(results[i]);
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e);
      // One bad item must not fail its neighbours: retry each alone, so only the culprit sees the error.
      for (const p of batch) await runBatch([p]);
    }
  }

  async function loop(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      await runBatch(batch);
    }
    running = null;
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!running) {
          running = new Promise<void>((done) => defer(() => void loop().then(done, done)));
        }
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}

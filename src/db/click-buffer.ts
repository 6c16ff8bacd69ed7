// Clicks counted in memory and written once a second in one transaction (two statements whatever the number of
// clicks), so the redirect never waits for a commit. Node only in practice: a Worker writes each click as it comes.
import { recordClicks, type ClickRecord } from './repos/clicks.js';
import type { DB } from './schema.js';

export interface ClickSink {
  add(click: ClickRecord): void;
  /** Writes what is buffered; resolves once it is stored (shutdown, tests). */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

export interface ClickBufferOptions {
  flushMs?: number;
  /** Told when a flush fails; those clicks are kept and retried with the next one. */
  onError?: (err: unknown) => void;
  /** Upper bound of clicks held in memory if the database keeps failing: beyond it the oldest are dropped. */
  maxBuffered?: number;
}

export function createClickBuffer(db: DB, opts: ClickBufferOptions = {}): ClickSink {
  const maxBuffered = opts.maxBuffered ?? 1_000_000;
  let pending: ClickRecord[] = [];
  let writing: Promise<void> | null = null;
  const timer = setInterval(() => void flush(), opts.flushMs ?? 1000);
  (timer as { unref?: () => void }).unref?.();

  async function flushOnce(): Promise<void> {
    const batch = pending;
    pending = [];
    try {
      await recordClicks(db, batch);
    } catch (err) {
      pending = batch.concat(pending).slice(-maxBuffered);
      opts.onError?.(err);
    }
  }

  function flush(): Promise<void> {
    if (writing) return writing.then(() => (pending.length ? flush() : undefined));
    if (pending.length === 0) return Promise.resolve();
    writing = flushOnce().finally(() => {
      writing = null;
    });
    return writing;
  }

  return {
    add(click) {
      pending.push(click);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

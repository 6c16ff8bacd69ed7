// WAL checkpoints on a helper thread. SQLite's automatic checkpoint runs inside whichever commit crosses
// 1000 pages and ends with an fsync: on the event loop that is a stall of every request in flight (a fifth
// of signup throughput here). A second connection on its own thread checkpoints instead, PASSIVE so it
// never blocks a writer; if that thread stops, the main connection checkpoints for itself again. After an erase it
// checkpoints everything and truncates the WAL, whose old frames still hold the erased rows' bytes.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/deps.js';
import type { SqliteHandle } from './open-sqlite.js';

/** SQLite's default, restored when the thread is gone. */
const AUTO_CHECKPOINT_PAGES = 1000;

// Plain CommonJS, so the thread needs no TypeScript loader; the driver's path comes from this process.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
// Truncation requests are numbered; the answer names the highest one a successful truncation covered.
let wanted = 0, done = 0, backoff = 0, nextTry = 0, warned = false;
function truncate() {
  const upTo = wanted;
  // Waiting for the writer lock and for readers holds up the main connection's writes: wait briefly, retry later.
  db.pragma('busy_timeout = ' + workerData.truncateWaitMs);
  let busy = 1;
  try {
    busy = db.pragma('wal_checkpoint(TRUNCATE)')[0].busy;
  } catch (e) {
    if (!/busy|locked/i.test(String(e && e.message))) throw e;
  } finally {
    db.pragma('busy_timeout = 5000');
  }
  if (busy === 0) {
    done = upTo;
    backoff = 0;
    warned = false;
    parentPort.postMessage({ truncated: upTo });
    return;
  }
  backoff = Math.min(backoff ? backoff * 2 : workerData.everyMs, workerData.maxBackoffMs);
  nextTry = Date.now() + backoff;
  if (backoff === workerData.maxBackoffMs && !warned) {
    warned = true;
    parentPort.postMessage({ error: 'a reader keeps the WAL busy: the truncating checkpoint after an erase is still waiting' });
  }
}
function tick() {
  try {
    if (wanted > done && Date.now() >= nextTry) truncate();
    else db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
}
const timer = setInterval(tick, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m && m.truncate) {
    wanted = Math.max(wanted, m.truncate);
    nextTry = 0;
    tick();
    return;
  }
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

export interface Checkpointer {
  /** True while the thread does the checkpoints. */
  readonly active: boolean;
  /**
   * Copies the whole WAL into the database file and truncates it to zero bytes (retrying while a reader or writer
   * holds it), so rows changed before the call survive in neither. Resolves true once done, false if stopped first.
   */
  truncate(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  everyMs?: number;
  /** How long one truncation attempt may wait for the writer lock and readers (it holds up writes meanwhile). */
  truncateWaitMs?: number;
  /** The longest pause between truncation attempts while they keep finding the WAL busy. */
  maxBackoffMs?: number;
}

export function startCheckpointer(handle: SqliteHandle, path: string, log: Pick<Logger, 'warn'>, opts: CheckpointerOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const everyMs = opts.everyMs ?? 200;
  const truncateWaitMs = opts.truncateWaitMs ?? 100;
  const maxBackoffMs = opts.maxBackoffMs ?? 10_000;
  const worker = new Worker(THREAD, { eval: true, workerData: { driver, path, everyMs, truncateWaitMs, maxBackoffMs } });
  worker.unref(); // never what keeps a process alive
  let active = false;
  let stopping = false;
  // Truncation requests not yet covered by a successful truncation, by number.
  let requested = 0;
  const waiting: { seq: number; resolve: (ok: boolean) => void }[] = [];
  const settle = (upTo: number, ok: boolean) => {
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i]!.seq > upTo) continue;
      waiting[i]!.resolve(ok);
      waiting.splice(i, 1);
    }
  };
  // Without the thread (not started yet, or gone) the main connection truncates, with the same short waits.
  let truncatingHere = false;
  const truncateHere = async () => {
    if (truncatingHere) return; // the running loop picks up newer requests
    truncatingHere = true;
    try {
      while (waiting.length && !stopping && !active) {
        let upTo = requested;
        const ok = await truncateWal(handle, {
          waitMs: truncateWaitMs,
          everyMs,
          maxBackoffMs,
          stopped: () => stopping || active,
          beforeAttempt: () => {
            upTo = requested;
          },
        });
        if (!ok) return; // stop() or the thread took over
        settle(upTo, true);
      }
    } finally {
      truncatingHere = false;
    }
  };
  const fallBack = (why: string) => {
    if (stopping) return; // stop() restores the setting itself
    active = false;
    if (handle.sqlite.open) handle.sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    log.warn(`WAL checkpoint thread stopped (${why}); checkpointing on the main connection again`);
    if (waiting.length) void truncateHere();
  };
  worker.on('message', (m: { ready?: boolean; error?: string; truncated?: number }) => {
    if (m.ready && !stopping) {
      handle.sqlite.pragma('wal_autocheckpoint = 0');
      active = true;
      if (waiting.length) worker.postMessage({ truncate: requested });
    } else if (m.truncated) settle(m.truncated, true);
    else if (m.error) log.warn(`WAL checkpoint failed: ${m.error}`);
  });
  worker.on('error', (e) => fallBack(e.message));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      fallBack(`exit code ${code}`);
      resolve();
    }),
  );
  return {
    get active() {
      return active;
    },
    truncate() {
      if (stopping) return Promise.resolve(false);
      const seq = ++requested;
      const done = new Promise<boolean>((resolve) => waiting.push({ seq, resolve }));
      if (active) worker.postMessage({ truncate: seq });
      else void truncateHere(); // before the thread is ready, or after it stopped
      return done;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      worker.postMessage('stop'); // ignored by a thread that is already gone
      const stuck = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(stuck);
      active = false;
      if (handle.sqlite.open) handle.sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
      // Closing the last connection checkpoints and deletes the WAL; one more try here covers the rest.
      if (waiting.length && handle.sqlite.open) settle(requested, await truncateWal(handle, { waitMs: 1000, everyMs: 0, maxBackoffMs: 0, attempts: 1 }));
      settle(requested, false);
    },
  };
}

export interface TruncateOptions {
  waitMs?: number;
  everyMs?: number;
  maxBackoffMs?: number;
  /** Give up after this many busy attempts (default: keep trying). */
  attempts?: number;
  /** Checked before each retry: true ends the loop (someone else took over). */
  stopped?: () => boolean;
  /** Called just before each attempt: what was committed by then is what a success covers. */
  beforeAttempt?: () => void;
}

/**
 * A TRUNCATE checkpoint on the given connection, retried with a growing pause while a reader or writer keeps the
 * WAL busy. Each attempt waits at most `waitMs` on the event loop. Resolves true once the WAL is empty.
 */
export async function truncateWal(handle: SqliteHandle, o: TruncateOptions = {}): Promise<boolean> {
  const waitMs = o.waitMs ?? 100;
  let pause = 0;
  for (let attempt = 1; ; attempt++) {
    if (!handle.sqlite.open || o.stopped?.()) return false;
    o.beforeAttempt?.();
    const before = handle.sqlite.pragma('busy_timeout', { simple: true }) as number;
    handle.sqlite.pragma(`busy_timeout = ${waitMs}`);
    let busy = 1;
    try {
      busy = (handle.sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]!.busy;
    } catch (e) {
      if (!/busy|locked/i.test((e as Error).message)) throw e;
    } finally {
      handle.sqlite.pragma(`busy_timeout = ${before}`);
    }
    if (busy === 0) return true;
    if (o.attempts !== undefined && attempt >= o.attempts) return false;
    pause = Math.min(pause ? pause * 2 : (o.everyMs ?? 200), o.maxBackoffMs ?? 10_000);
    await new Promise((r) => setTimeout(r, pause));
  }
}

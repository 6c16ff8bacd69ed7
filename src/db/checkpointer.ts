// WAL checkpoints on a helper thread. SQLite's automatic checkpoint runs inside whichever commit crosses
// 1000 pages and ends with an fsync: on the event loop that is a stall of every request in flight (a fifth
// of signup throughput here). A second connection on its own thread checkpoints instead, PASSIVE so it
// never blocks a writer; if that thread stops, the main connection checkpoints for itself again.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/deps.js';
import type { SqliteHandle } from './sqlite.js';

/** SQLite's default, restored when the thread is gone. */
const AUTO_CHECKPOINT_PAGES = 1000;

// Plain CommonJS, so the thread needs no TypeScript loader; the driver's path comes from this process.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
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
  stop(): Promise<void>;
}

export function startCheckpointer(handle: SqliteHandle, path: string, log: Pick<Logger, 'warn'>, opts: { everyMs?: number } = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { driver, path, everyMs: opts.everyMs ?? 200 } });
  worker.unref(); // never what keeps a process alive
  let active = false;
  let stopping = false;
  const fallBack = (why: string) => {
    if (stopping) return; // stop() restores the setting itself
    active = false;
    if (handle.sqlite.open) handle.sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    log.warn(`WAL checkpoint thread stopped (${why}); checkpointing on the main connection again`);
  };
  worker.on('message', (m: { ready?: boolean; error?: string }) => {
    if (m.ready && !stopping) {
      handle.sqlite.pragma('wal_autocheckpoint = 0');
      active = true;
    } else if (m.error) log.warn(`WAL checkpoint failed: ${m.error}`);
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
    async stop() {
      if (stopping) return;
      stopping = true;
      worker.postMessage('stop'); // ignored by a thread that is already gone
      const stuck = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(stuck);
      active = false;
      if (handle.sqlite.open) handle.sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    },
  };
}

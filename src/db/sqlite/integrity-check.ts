// PRAGMA integrity_check of a copy on a helper thread: it reads every page, seconds on a large file, and the
// server's event loop must keep answering meanwhile.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS, so the thread needs no TypeScript loader; the driver's path comes from this process.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  const rows = db.pragma('integrity_check(100)');
  parentPort.postMessage({ lines: rows.map((r) => String(Object.values(r)[0])) });
} catch (e) {
  parentPort.postMessage({ error: String((e && e.message) || e) });
} finally {
  if (db) db.close();
}
`;

/** ['ok'] for a sound file, otherwise SQLite's list of problems (at most 100). */
export function integrityCheck(path: string): Promise<string[]> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(THREAD, { eval: true, workerData: { driver, path } });
    let settled = false;
    worker.once('message', (m: { lines?: string[]; error?: string }) => {
      settled = true;
      if (m.lines) resolve(m.lines);
      else reject(new Error(`integrity_check could not run on ${path}: ${m.error}`));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`integrity_check thread exited with code ${code}`));
    });
  });
}

export async function assertIntegrity(path: string, what: string): Promise<void> {
  const lines = await integrityCheck(path);
  if (lines.length !== 1 || lines[0] !== 'ok') throw new Error(`${what} failed integrity_check: ${lines.slice(0, 5).join('; ')}`);
}

// The real dispatcher process (test/helpers/sender-process.ts, unchanged; started by peak-rss.ts with production's node
// flags) with its memory high-water mark printed at the end: VmHWM from /proc/self/status is the peak resident set
// over the whole life of the process.
import { readFileSync } from 'node:fs';

export interface RssReport {
  ms: number;
  /** Peak RSS over the process lifetime, kB. */
  vmHwmKb: number;
  /** RSS once Node and tsx are up, before the sender's modules load, kB. */
  startRssKb: number;
  /** process.memoryUsage() at the end, MB (where the memory sits: V8 heap, buffers, or native). */
  endMb: Record<string, number>;
}

const status = (field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);

// Orphan guard: if the bench dies, its end of our stdin closes; unref'd so it never keeps a finished sender alive.
process.stdin.on('end', () => process.exit(1)).resume();
(process.stdin as unknown as { unref(): void }).unref();

const startRssKb = status('VmRSS');
const t0 = performance.now();
await import('../../helpers/sender-process.js');
const endMb = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
const report: RssReport = { ms: performance.now() - t0, vmHwmKb: status('VmHWM'), startRssKb, endMb };
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);

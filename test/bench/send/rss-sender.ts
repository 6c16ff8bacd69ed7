// The real dispatcher process (test/helpers/sender-process.ts, unchanged) with its memory high-water mark printed at
// the end: VmHWM from /proc/self/status is the peak resident set over the whole life of the process.
import { readFileSync } from 'node:fs';

export interface RssReport {
  ms: number;
  /** Peak RSS over the process lifetime, kB. */
  vmHwmKb: number;
  /** RSS once Node and tsx are up, before the sender's modules load, kB. */
  startRssKb: number;
}

const status = (field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);

const startRssKb = status('VmRSS');
const t0 = performance.now();
await import('../../helpers/sender-process.js');
const report: RssReport = { ms: performance.now() - t0, vmHwmKb: status('VmHWM'), startRssKb };
process.stdout.write(`${JSON.stringify(report)}\n`);

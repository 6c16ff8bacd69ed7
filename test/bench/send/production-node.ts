// The node flags production starts with (src/entry/node/heap.ts), for the bench's own sender processes: memory and
// throughput are measured on a process started the way `npm start` starts the real one. Also checks that the
// start script really passes them, or the figures would describe a process nobody runs.
import { readFileSync } from 'node:fs';
import { NODE_HEAP_FLAGS } from '../../../src/entry/node/heap.js';

export const PRODUCTION_NODE_ARGS: readonly string[] = NODE_HEAP_FLAGS;

/** The flags of NODE_HEAP_FLAGS missing from package.json's "start" script (empty when it passes them all). */
export function flagsMissingFromStartScript(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  return NODE_HEAP_FLAGS.filter((f) => !words.includes(f));
}

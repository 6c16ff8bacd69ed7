// How big the production Node process lets its V8 heap get, decided in one place. Left alone, V8 sizes the heap from
// the machine's RAM: on a 24 GB host a sender sat at ~400 MB, most of it garbage not yet collected. `npm start`
// passes NODE_HEAP_FLAGS, createNodeRuntime calls tuneHeap(), and the delivery bench starts its sender processes
// with both, so the memory it reports is the memory production uses.
import { setFlagsFromString } from 'node:v8';

/**
 * Read once, when the isolate is created, so they must be on the node command line (package.json "start" passes
 * exactly these; the bench checks that it does).
 *
 * A batch of 100 mails in flight holds its JSON body for one HTTP round trip (in UTF-16 as soon as one character is
 * beyond Latin-1), and serialising it allocates the personalised bodies and the JSON pieces: several MB per batch,
 * several batches at once. That outlives any young generation, so it is promoted either way; the default 16 MB
 * semi-spaces only keep 32 MB of young generation committed on top. 2 MB semi-spaces keep it at 4 MB.
 * Measured (100k readers, 4 batches in flight): ~40 MB less peak RSS, ~10-20 % more sender CPU per batch.
 */
export const NODE_HEAP_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * After each full GC V8 lets the old generation grow to a multiple of what survived before collecting again; with
 * plenty of RAM that multiple goes up to 4, so a sender with ~50 MB of live data let garbage pile up to ~200 MB.
 * +50 % collects sooner. This is not a cap: a process that really needs a bigger heap still gets it. V8 reads this
 * flag while running, so it is set here rather than on the command line (where a future Node without the flag would
 * refuse to start).
 */
export const HEAP_GROWING_PERCENT = 50;

/** Applies the heap settings V8 reads while running (everything but NODE_HEAP_FLAGS); call before the work starts. */
export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

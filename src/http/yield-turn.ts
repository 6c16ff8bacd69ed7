// Gives the event loop a turn (timers, I/O, other requests) in the middle of long work on the request path.
/**
 * Resolves after pending I/O callbacks had their turn: setImmediate where the runtime has it (Node), else a zero
 * timer. Awaiting a promise alone does not do this: a loop of awaits on synchronous SQLite runs as microtasks, and
 * an HTTP response whose socket accepts every chunk at once never waits for 'drain', so nothing else would run.
 */
export function yieldTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

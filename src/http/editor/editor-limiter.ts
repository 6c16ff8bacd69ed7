// The editor limiter: a small fixed window in memory for editor actions (sign-in links per client address and per
// submitted address, test sends per editor). Not the signup limiter (../signup-limiter.ts) nor provider pacing.
export interface EditorLimiter {
  /** Counts a hit; returns the ms to wait when over the limit, else 0. */
  hit(key: string): number;
}

export function createEditorLimiter(limit: number, windowMs: number, now: () => number): EditorLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key) {
      const t = now();
      if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
      const w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        windows.set(key, { start: t, count: 1 });
        return 0;
      }
      w.count += 1;
      return w.count > limit ? w.start + windowMs - t : 0;
    },
  };
}

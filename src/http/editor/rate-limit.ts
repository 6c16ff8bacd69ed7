// A small fixed-window limiter for sign-in requests (per client address and per submitted address), in memory.
import type { Context } from 'hono';

export interface Limiter {
  /** Counts a hit; returns the ms to wait when over the limit, else 0. */
  hit(key: string): number;
}

export function createLimiter(limit: number, windowMs: number, now: () => number): Limiter {
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

/** The client's address: X-Forwarded-For only behind a trusted proxy, else the socket (Node) or Cloudflare's header. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = c.req.header('x-forwarded-for');
    if (xff) return xff.split(',')[0].trim();
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? c.req.header('cf-connecting-ip') ?? 'unknown';
}

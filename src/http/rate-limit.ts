// Per-client rate limiting (token bucket in memory) and the key an address is counted under.
// In memory on purpose: one process on Node; on Workers each isolate limits on its own, which is
// coarser but still stops a single client hammering one instance.
import type { Clock } from '../core/deps.js';

export interface RateLimiter {
  /** Takes one token for `key`; when none is left, says how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSec: number };
}

const MAX_KEYS = 50_000;

/** `perMinute` 0 turns limiting off. Bursts up to `perMinute`, refilled evenly over a minute. */
export function createRateLimiter(opts: { perMinute: number; clock: Clock }): RateLimiter {
  const { perMinute, clock } = opts;
  if (perMinute <= 0) return { take: () => ({ ok: true }) };
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function prune(now: number) {
    for (const [k, b] of buckets) if (b.tokens + (now - b.at) * perMs >= perMinute) buckets.delete(k);
    // Still full of distinct busy clients: forget the oldest rather than grow without bound.
    for (const k of buckets.keys()) {
      if (buckets.size <= MAX_KEYS / 2) break;
      buckets.delete(k);
    }
  }

  return {
    take(key) {
      const now = clock.now().getTime();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= MAX_KEYS) prune(now);
        b = { tokens: perMinute, at: now };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(perMinute, b.tokens + Math.max(0, now - b.at) * perMs);
        b.at = now;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
    },
  };
}

/** IPv6 clients usually own a whole /64: limit the prefix, not each of its addresses. */
export function rateLimitKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped) return v4mapped[1];
  if (!ip.includes(':')) return ip;
  const [head] = ip.split('%');
  const parts = head.split('::');
  const left = parts[0] ? parts[0].split(':') : [];
  const right = parts[1] ? parts[1].split(':') : [];
  const full = parts.length > 1 ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${full.slice(0, 4).map((h) => h.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

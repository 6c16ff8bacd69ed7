// The signup limiter: signups per client address per minute (SIGNUP_RATE_PER_MIN), a token bucket in memory. Not the
// editor limiter (editor/editor-limiter.ts) nor provider pacing (core/send/provider-pacer.ts). In memory on purpose: one process on Node; on Workers each isolate limits on its own, which is
// coarser but still stops a single client hammering one instance.
import type { Clock } from '../core/deps.js';

export interface SignupLimiter {
  /** Takes one token for `key`; when none is left, says how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSec: number };
}

const MAX_KEYS = 50_000;

/** `perMinute` 0 turns limiting off. Bursts up to `perMinute`, refilled evenly over a minute. */
export function createSignupLimiter(opts: { perMinute: number; clock: Clock }): SignupLimiter {
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

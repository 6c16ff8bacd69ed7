// Paces provider calls: evenly spaced starts at the configured rate, plus pauses the provider asks for.
import type { RateInfo } from '../../mail/mailer.js';

export interface RateLimiter {
  /** Resolves when the next request may start. */
  acquire(): Promise<void>;
  /** Nothing may start before `untilMs` (epoch ms), e.g. from retry-after. */
  pauseUntil(untilMs: number): void;
  /** Adapts to the provider's rate headers. */
  observe(rate: RateInfo | undefined): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Spacing rather than a bursty bucket: at R/s each start is ≥ 1/R s after the previous one (with a small
 * margin for network jitter), so no one-second window at the provider ever holds more than R requests.
 * `ratePerSec` of Infinity or 0 disables pacing (benchmarks against a fake without limits).
 */
export function createRateLimiter(ratePerSec: number, now: () => number = Date.now, margin = 0.03): RateLimiter {
  const unlimited = !Number.isFinite(ratePerSec) || ratePerSec <= 0;
  const interval = unlimited ? 0 : (1000 / ratePerSec) * (1 + margin);
  let next = 0;
  let pausedUntil = 0;
  return {
    async acquire() {
      for (;;) {
        const t = now();
        const at = Math.max(next, pausedUntil);
        if (at <= t) {
          next = Math.max(t, next) + interval;
          return;
        }
        await sleep(at - t);
      }
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    observe(rate) {
      if (rate?.remaining === 0 && rate.resetMs !== undefined && rate.resetMs > 0) pausedUntil = Math.max(pausedUntil, now() + rate.resetMs);
    },
  };
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 5 * 60_000, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

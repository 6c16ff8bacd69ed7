// Provider pacing (not the signup or sign-in limiters): evenly spaced provider calls at the configured rate, plus pauses the provider asks for.
import type { RateInfo } from '../../mail/mailer.js';

export interface ProviderPacer {
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
export function createProviderPacer(ratePerSec: number, now: () => number = Date.now, margin = 0.03, jitterMs = 50, coldMs = 100): ProviderPacer {
  const unlimited = !Number.isFinite(ratePerSec) || ratePerSec <= 0;
  const interval = unlimited ? 0 : (1000 / ratePerSec) * (1 + margin);
  // Spacing alone holds at our end, but requests reach the provider with uneven delays (a new connection's handshake,
  // the event loop): a late one and the next on time can land closer than the spacing. So also: at most `perWindow`
  // starts in any (1 s + jitterMs), which absorbs that much arrival jitter for a few percent of the rate. The first
  // request after a pause is the slow one (measured here: 60-70 ms more on a fresh connection), so its start is
  // counted `coldMs` later: the requests after it cannot crowd into its second while it is still on its way.
  const perWindow = unlimited ? Infinity : Math.max(1, Math.floor(ratePerSec));
  let next = 0;
  let pausedUntil = 0;
  const starts: number[] = []; // our own recent starts, to know when the provider's 1 s window frees a slot
  return {
    async acquire() {
      for (;;) {
        const t = now();
        const windowFreeAt = starts.length >= perWindow ? starts[starts.length - perWindow] + 1000 + jitterMs : 0;
        const at = Math.max(next, pausedUntil, windowFreeAt);
        if (at <= t) {
          const cold = starts.length === 0 || t - starts[starts.length - 1] > 1000;
          next = Math.max(t, next) + interval;
          starts.push(cold && !unlimited ? t + coldMs : t);
          if (starts.length > 64) starts.splice(0, starts.length - 64); // more than any provider limit per second we pace at
          return;
        }
        await sleep(at - t);
      }
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    observe(rate) {
      if (rate?.remaining !== 0 || rate.resetMs === undefined || rate.resetMs <= 0) return;
      // "remaining: 0" only says the provider's 1 s window is full, and ratelimit-reset is whole seconds rounded up:
      // waiting it out idles up to a second every `limit` requests. If the window holds our own last `limit` starts,
      // a slot frees when the oldest of them is a second old; with fewer known starts, trust the provider's figure.
      const t = now();
      const limit = rate.limit ?? 0;
      const freeAt = limit > 0 && starts.length >= limit ? starts[starts.length - limit] + 1000 * (1 + margin) : t + rate.resetMs;
      pausedUntil = Math.max(pausedUntil, Math.min(freeAt, t + rate.resetMs));
    },
  };
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 5 * 60_000, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

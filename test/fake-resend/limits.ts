// Resend's per-team request rate (sliding 1 s window, ratelimit-* headers) and its daily/monthly email quotas.

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a slot frees up (the `ratelimit-reset` / `retry-after` value). */
  resetSeconds: number;
}

const WINDOW_MS = 1000;

/** `perSecond: false` turns the limit off (and its headers). */
export function createRateLimiter(now: () => number, initial: number | false) {
  let perSecond = initial;
  const admitted = new Map<string, number[]>();

  return {
    setLimit(value: number | false) {
      perSecond = value;
      admitted.clear();
    },
    /** Admit one request for `apiKey`, or say when to retry. Null when limiting is off. */
    take(apiKey: string): RateDecision | null {
      if (perSecond === false) return null;
      const t = now();
      const times = (admitted.get(apiKey) ?? []).filter((at) => t - at < WINDOW_MS);
      admitted.set(apiKey, times);
      const allowed = times.length < perSecond;
      if (allowed) times.push(t);
      const resetMs = times.length ? times[0] + WINDOW_MS - t : 0;
      return {
        allowed,
        limit: perSecond,
        remaining: Math.max(0, perSecond - times.length),
        resetSeconds: Math.max(allowed ? 0 : 1, Math.ceil(resetMs / 1000)),
      };
    },
  };
}

export function rateHeaders(d: RateDecision | null): Record<string, string> {
  if (!d) return {};
  const h: Record<string, string> = {
    'ratelimit-limit': String(d.limit),
    'ratelimit-remaining': String(d.remaining),
    'ratelimit-reset': String(d.resetSeconds),
  };
  if (!d.allowed) h['retry-after'] = String(d.resetSeconds);
  return h;
}

export interface QuotaLimits {
  daily?: number;
  monthly?: number;
}

/** Counts accepted emails per UTC day and month; a request that would pass a limit is refused whole. */
export function createQuota(now: () => number, initial: QuotaLimits) {
  let limits = { ...initial };
  const used = new Map<string, number>();
  const periods = () => {
    const iso = new Date(now()).toISOString();
    return { day: `d:${iso.slice(0, 10)}`, month: `m:${iso.slice(0, 7)}` };
  };
  return {
    setLimits(next: QuotaLimits) {
      limits = { ...next };
    },
    exceeded(count: number): 'daily_quota_exceeded' | 'monthly_quota_exceeded' | null {
      const { day, month } = periods();
      if (limits.daily !== undefined && (used.get(day) ?? 0) + count > limits.daily) return 'daily_quota_exceeded';
      if (limits.monthly !== undefined && (used.get(month) ?? 0) + count > limits.monthly) return 'monthly_quota_exceeded';
      return null;
    },
    add(count: number) {
      const { day, month } = periods();
      used.set(day, (used.get(day) ?? 0) + count);
      used.set(month, (used.get(month) ?? 0) + count);
    },
    clear: () => used.clear(),
  };
}

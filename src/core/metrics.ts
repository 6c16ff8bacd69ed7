// The Metrics port: counters and histograms by name with labels; the runtime decides where they go (prom-client on Node, nowhere on Workers).

/** Counters the core and the HTTP layer move. Names are exposed with the `recap_` prefix (README "Metrics"). */
export const COUNTERS = {
  http_requests_total: {
    help: 'HTTP requests answered, by method, route pattern (never the path: personal links carry tokens) and status class',
    labels: ['method', 'route', 'status_class'],
  },
  signups_total: {
    help: 'Signups committed, by source (form, api, import) and result (new, revived, updated, unchanged)',
    labels: ['source', 'result'],
  },
  confirmations_total: { help: 'Subscriptions confirmed by pressing the button of a confirmation link', labels: [] },
  mails_total: {
    help: 'Mails by kind (recap, confirm, welcome, signin, export, test) and outcome: sent (accepted by the provider), failed (refused), held (for an editor)',
    labels: ['kind', 'outcome'],
  },
  provider_rate_limited_total: {
    help: 'HTTP 429 answers from the mail provider, by reason (rate_limit: wait and retry; quota: sending paused)',
    labels: ['provider', 'reason'],
  },
  provider_retries_total: {
    help: 'Provider calls that retried a batch under its idempotency key, by lane (recap, transactional)',
    labels: ['lane'],
  },
  provider_events_total: {
    help: 'Provider webhook events, by type and result (applied, ignored, duplicate, rejected: bad signature)',
    labels: ['type', 'result'],
  },
  scheduler_runs_total: {
    help: 'Scheduled job runs in this process, by job, trigger (cron, start, wake) and result (ok, error)',
    labels: ['job', 'trigger', 'result'],
  },
} as const satisfies Record<string, MetricSpec>;

/** Histograms, in seconds. */
export const HISTOGRAMS = {
  http_request_duration_seconds: {
    help: 'HTTP request latency, by method, route pattern and status class',
    labels: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  provider_request_duration_seconds: {
    help: 'Mail provider call latency (one batch call each), by provider and result (ok or the failure kind)',
    labels: ['provider', 'result'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
  },
  scheduler_run_duration_seconds: {
    help: 'Scheduled job run time in this process, by job',
    labels: ['job'],
    buckets: [0.01, 0.1, 0.5, 1, 5, 30, 60, 300, 1800],
  },
} as const satisfies Record<string, MetricSpec & { buckets: readonly number[] }>;

export const METRIC_PREFIX = 'recap_';

export interface MetricSpec {
  help: string;
  labels: readonly string[];
}

export type CounterName = keyof typeof COUNTERS;
export type HistogramName = keyof typeof HISTOGRAMS;

type LabelsOf<S extends MetricSpec> = { [K in S['labels'][number]]: string };
type CountArgs<S extends MetricSpec> = S['labels'] extends readonly [] ? [labels?: Record<string, never>, by?: number] : [labels: LabelsOf<S>, by?: number];
type ObserveArgs<S extends MetricSpec> = S['labels'] extends readonly [] ? [labels?: Record<string, never>] : [labels: LabelsOf<S>];

export interface Metrics {
  /** Adds `by` (default 1) to a counter. Never throws. */
  count<N extends CounterName>(name: N, ...args: CountArgs<(typeof COUNTERS)[N]>): void;
  /** Records one observation (seconds) in a histogram. Never throws. */
  observe<N extends HistogramName>(name: N, seconds: number, ...args: ObserveArgs<(typeof HISTOGRAMS)[N]>): void;
}

/** Measures nothing: the default where no metrics backend runs (Workers, tests that do not look). */
export const noopMetrics: Metrics = {
  count() {},
  observe() {},
};

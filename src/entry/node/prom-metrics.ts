// The Metrics port over prom-client, on a Registry of its own (never prom-client's global one): what /metrics shows on Node.
import { Counter, Histogram, Registry } from 'prom-client';
import { COUNTERS, HISTOGRAMS, METRIC_PREFIX, type Metrics } from '../../core/metrics.js';
import type { DeliveryKind } from '../../db/schema.js';

export interface PromMetrics extends Metrics {
  readonly registry: Registry;
  /** The exposition GET /metrics serves (src/http/ops-routes.ts). */
  readonly exposition: { contentType: string; render(): Promise<string> };
}

/** Label values are ours (route patterns, kinds, job names), but a bounded length keeps a bug from growing series. */
const MAX_LABEL_LENGTH = 120;
const EMPTY: Record<string, string> = {};
const clamp = (labels: Record<string, string> | undefined) => {
  if (!labels) return EMPTY;
  for (const k in labels) {
    if (labels[k].length > MAX_LABEL_LENGTH) {
      const out: Record<string, string> = {};
      for (const [key, v] of Object.entries(labels)) out[key] = v.slice(0, MAX_LABEL_LENGTH);
      return out;
    }
  }
  return labels; // the common case: no copy on the request path
};

const MAIL_KINDS: DeliveryKind[] = ['recap', 'confirm', 'welcome', 'signin', 'export', 'test'];

export function createPromMetrics(registry = new Registry()): PromMetrics {
  const counters = new Map<string, Counter>();
  for (const [name, spec] of Object.entries(COUNTERS)) {
    counters.set(name, new Counter({ name: METRIC_PREFIX + name, help: spec.help, labelNames: [...spec.labels], registers: [registry] }));
  }
  const histograms = new Map<string, Histogram>();
  for (const [name, spec] of Object.entries(HISTOGRAMS)) {
    histograms.set(
      name,
      new Histogram({ name: METRIC_PREFIX + name, help: spec.help, labelNames: [...spec.labels], buckets: [...spec.buckets], registers: [registry] }),
    );
  }
  // Every kind and outcome from the start, at zero: a dashboard's rate() sees the first failure, not a new series.
  for (const kind of MAIL_KINDS) for (const outcome of ['sent', 'failed', 'held']) counters.get('mails_total')!.inc({ kind, outcome }, 0);

  return {
    registry,
    exposition: { contentType: registry.contentType, render: () => registry.metrics() },
    count(name, labels?: Record<string, string>, by = 1) {
      try {
        counters.get(name)?.inc(clamp(labels), by);
      } catch {
        // measuring never breaks the work it measures
      }
    },
    observe(name, seconds, labels?: Record<string, string>) {
      try {
        if (Number.isFinite(seconds) && seconds >= 0) histograms.get(name)?.observe(clamp(labels), seconds);
      } catch {
        // as above
      }
    },
  };
}

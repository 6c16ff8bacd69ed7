// A Mailer that times every provider call and counts its 429s, in front of any other Mailer; nothing else changes.
import type { Metrics } from '../core/metrics.js';
import type { Mailer, SendBatchResult } from './mailer.js';

export function meterMailer(mailer: Mailer, metrics: Metrics): Mailer {
  const provider = mailer.name;
  const timed = async (call: () => Promise<SendBatchResult>): Promise<SendBatchResult> => {
    const started = performance.now();
    const res = await call();
    metrics.observe('provider_request_duration_seconds', (performance.now() - started) / 1000, { provider, result: res.ok ? 'ok' : res.kind });
    // Resend answers 429 for its rate limit and for a used-up quota; the sender waits for one and pauses for the other.
    if (!res.ok && (res.kind === 'rate_limited' || res.kind === 'quota')) {
      metrics.count('provider_rate_limited_total', { provider, reason: res.kind === 'quota' ? 'quota' : 'rate_limit' });
    }
    return res;
  };
  return {
    name: mailer.name,
    sendBatch: (messages, options) => timed(() => mailer.sendBatch(messages, options)),
    sendBody: (body, options) => timed(() => mailer.sendBody(body, options)),
  };
}

// POST /webhooks/resend: Svix-signed provider events, verified on the raw body with the SDK, deduplicated by svix-id.
import { Hono } from 'hono';
import { Resend } from 'resend';
import type { Deps } from '../core/deps.js';
import { applyProviderEvent, providerEventSchema } from '../core/send/provider-events.js';
import { measureProviderEvent } from '../core/measure.js';
import { errorBody } from './errors.js';

export function webhooksApp(deps: Deps) {
  const app = new Hono();
  // The SDK's verifier needs no API key, but its constructor wants one.
  const resend = new Resend(deps.config.resendApiKey ?? 're_webhook_verifier_only');
  app.post('/resend', async (c) => {
    const secret = deps.config.resendWebhookSecret;
    if (!secret) return c.json(errorBody('unavailable', 'webhooks are off: RESEND_WEBHOOK_SECRET is not set'), 503);
    const id = c.req.header('svix-id');
    const timestamp = c.req.header('svix-timestamp');
    const signature = c.req.header('svix-signature');
    if (!id || !timestamp || !signature) return c.json(errorBody('unauthorized', 'missing svix-id, svix-timestamp or svix-signature'), 401);
    const payload = await c.req.text();
    let parsed: unknown;
    try {
      // throws on a bad signature and on a timestamp more than 5 minutes off (replays of old deliveries)
      parsed = resend.webhooks.verify({ payload, headers: { id, timestamp, signature }, webhookSecret: secret });
    } catch {
      measureProviderEvent(deps, 'unverified', 'rejected');
      return c.json(errorBody('unauthorized', 'invalid or stale webhook signature'), 401);
    }
    const providerEvent = providerEventSchema.safeParse(parsed);
    if (!providerEvent.success) return c.json(errorBody('validation_failed', 'not a Resend email event'), 422);
    const outcome = await applyProviderEvent(deps, id, providerEvent.data, payload);
    measureProviderEvent(deps, outcome.type, outcome.duplicate ? 'duplicate' : outcome.applied ? 'applied' : 'ignored');
    return c.json({ ok: true, ...outcome });
  });
  return app;
}

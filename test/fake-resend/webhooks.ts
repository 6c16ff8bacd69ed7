// Resend's webhook deliveries: the event payloads it posts and their Svix signature (svix-id/-timestamp/-signature).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export type EmailEventType =
  | 'email.sent'
  | 'email.delivered'
  | 'email.delivery_delayed'
  | 'email.bounced'
  | 'email.complained'
  | 'email.failed'
  | 'email.suppressed'
  | 'email.opened'
  | 'email.clicked';

/** What an event needs to know about the email; an AcceptedEmail from the fake's state fits. */
export interface WebhookEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  /** As sent (a list) or as Resend posts it back (a `{name: value}` map). */
  tags?: { name: string; value: string }[] | Record<string, string>;
  acceptedAt?: number;
}

export interface EmailEventOptions {
  createdAt?: Date | string;
  bounceType?: 'Permanent' | 'Transient';
  bounceSubType?: string;
  bounceMessage?: string;
  failedReason?: string;
  suppressedType?: string;
  link?: string;
}

export interface EmailEvent {
  type: EmailEventType;
  created_at: string;
  data: Record<string, unknown> & { email_id: string; to: string[]; subject: string; tags?: Record<string, string> };
}

export function buildEmailEvent(type: EmailEventType, email: WebhookEmail, opts: EmailEventOptions = {}): EmailEvent {
  const createdAt = new Date(opts.createdAt ?? Date.now()).toISOString();
  const tags = Array.isArray(email.tags) ? Object.fromEntries(email.tags.map((t) => [t.name, t.value])) : email.tags;
  const data: EmailEvent['data'] = {
    created_at: new Date(email.acceptedAt ?? Date.parse(createdAt)).toISOString(),
    email_id: email.id,
    message_id: `<${email.id}@resend.fake>`,
    from: email.from,
    to: email.to,
    subject: email.subject,
    ...(tags && Object.keys(tags).length ? { tags } : {}),
  };
  if (type === 'email.bounced') {
    const permanent = (opts.bounceType ?? 'Permanent') === 'Permanent';
    data.bounce = {
      type: opts.bounceType ?? 'Permanent',
      subType: opts.bounceSubType ?? (permanent ? 'General' : 'MailboxFull'),
      message:
        opts.bounceMessage ??
        (permanent
          ? "The recipient's email provider sent a hard bounce message: the address does not exist."
          : "The recipient's mailbox is full; the provider may accept a later attempt."),
    };
  }
  if (type === 'email.failed') data.failed = { reason: opts.failedReason ?? 'reached_daily_quota' };
  if (type === 'email.suppressed') {
    data.suppressed = {
      type: opts.suppressedType ?? 'OnAccountSuppressionList',
      message: 'The recipient is on the suppression list of this account because of a previous bounce or complaint.',
    };
  }
  if (type === 'email.clicked') {
    data.click = { ipAddress: '127.0.0.1', link: opts.link ?? 'https://example.com/', timestamp: createdAt, userAgent: 'fake' };
  }
  return { type, created_at: createdAt, data };
}

export interface SignedWebhook {
  headers: Record<'svix-id' | 'svix-timestamp' | 'svix-signature' | 'content-type', string>;
  body: string;
}

/** Sign like Svix: base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed by the base64 secret after `whsec_`. */
export function signWebhook(secret: string, payload: string | object, opts: { id?: string; timestamp?: number | Date } = {}): SignedWebhook {
  if (!secret.startsWith('whsec_')) throw new Error('webhook secret must start with whsec_');
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const id = opts.id ?? `msg_${randomUUID().replace(/-/g, '')}`;
  const ts = opts.timestamp instanceof Date ? Math.floor(opts.timestamp.getTime() / 1000) : (opts.timestamp ?? Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
  return {
    headers: { 'svix-id': id, 'svix-timestamp': String(ts), 'svix-signature': `v1,${signature}`, 'content-type': 'application/json' },
    body,
  };
}

/** A fresh `whsec_` secret (24 random bytes, as Svix issues). */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** POST a signed event the way Resend delivers it. */
export async function postWebhook(
  url: string,
  secret: string,
  event: EmailEvent | object,
  opts: { id?: string; timestamp?: number | Date } = {},
): Promise<Response> {
  const signed = signWebhook(secret, event, opts);
  return fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
}

// The Mailer port: hand a batch of up to 100 messages to a provider under one idempotency key.

export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
}

/** The body of one POST /emails/batch (Resend's JSON), and how many emails it holds. */
export interface BatchBody {
  json: string;
  count: number;
  /** The UTF-8 of `json` when something already encoded it (compressing it for keeping): sent instead of `json`. */
  bytes?: Uint8Array<ArrayBuffer>;
}

export interface SendBatchOptions {
  /** Deterministic per batch and reused on every retry of it. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

export type SendFailureKind =
  | 'rate_limited' // 429 rate limit: wait retryAfterMs and retry the same batch
  | 'quota' // daily/monthly quota: pause the issue
  | 'transient' // 5xx, network, timeout: back off and retry the same batch
  | 'in_progress' // an earlier request with this key is still running at the provider: retry the same batch later
  | 'conflict' // this key was already used with another body: an earlier attempt reached the provider; do not retry
  | 'invalid' // the request itself is wrong (validation): retrying will not help
  | 'auth'; // bad API key

export interface RecipientError {
  index: number;
  message: string;
}

export type SendBatchResult =
  | { ok: true; ids: (string | null)[]; errors: RecipientError[]; rate?: RateInfo }
  | { ok: false; kind: SendFailureKind; message: string; retryAfterMs?: number; rate?: RateInfo };

/** Rate-limit hints read from the provider's response headers. */
export interface RateInfo {
  limit?: number;
  remaining?: number;
  resetMs?: number;
}

export interface Mailer {
  readonly name: string;
  /** Must never throw for provider or network failures: they are returned as `ok: false`. */
  sendBatch(messages: OutgoingEmail[], options: SendBatchOptions): Promise<SendBatchResult>;
  /**
   * The same for a batch already serialised (src/mail/batch-body.ts): the outbox stores these bytes with the first
   * attempt and hands every retry exactly them, whatever was deployed in between.
   */
  sendBody(body: BatchBody, options: SendBatchOptions): Promise<SendBatchResult>;
}

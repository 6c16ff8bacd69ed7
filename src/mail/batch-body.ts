// A batch as the exact bytes of the provider request: serialised once, stored with the first attempt, resent as is.
import type { OutgoingEmail } from './mailer.js';

/** The body of one POST /emails/batch (Resend's JSON), and how many emails it holds. */
export interface BatchBody {
  bytes: Uint8Array<ArrayBuffer>;
  count: number;
}

const encoder = new TextEncoder();

/**
 * Serialised here, not by the SDK: the same bytes then go to the provider and into the batch row, and fetch sends bytes
 * as they are (a string body is converted to USV and encoded by undici: the same cost, paid for nothing we can keep).
 */
export function encodeBatchBody(messages: OutgoingEmail[]): BatchBody {
  return { bytes: encoder.encode(JSON.stringify(messages.map(toApiEmail))), count: messages.length };
}

/** The messages back from a body, for mailers that keep them rather than post them (the dev outbox). */
export function decodeBatchBody(body: BatchBody): OutgoingEmail[] {
  const emails = JSON.parse(new TextDecoder().decode(body.bytes)) as ReturnType<typeof toApiEmail>[];
  return emails.map((e) => ({
    from: e.from,
    to: e.to,
    subject: e.subject,
    html: e.html,
    text: e.text,
    ...(e.reply_to ? { replyTo: e.reply_to } : {}),
    ...(e.headers ? { headers: e.headers } : {}),
    ...(e.tags ? { tags: e.tags } : {}),
  }));
}

/**
 * One email as the batch endpoint takes it, with the keys in the order the SDK's batch.send writes them (its
 * parseEmailToApiOptions; absent fields are left out as JSON.stringify leaves out undefined), so a batch serialises to
 * the same bytes as through batch.send.
 */
function toApiEmail(m: OutgoingEmail): { from: string; headers?: Record<string, string>; html: string; reply_to?: string; subject: string; tags?: { name: string; value: string }[]; text: string; to: string[] } {
  return {
    from: m.from,
    ...(m.headers && Object.keys(m.headers).length ? { headers: m.headers } : {}),
    html: m.html,
    ...(m.replyTo ? { reply_to: m.replyTo } : {}),
    subject: m.subject,
    ...(m.tags && m.tags.length ? { tags: m.tags } : {}),
    text: m.text,
    to: m.to,
  };
}

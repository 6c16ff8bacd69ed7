// The request body the resend SDK (6.38) sends for a batch, rebuilt without the SDK so the baseline can POST the very
// same bytes with bare fetch. Key order matters for byte identity; baseline-poster checks it against the SDK's bytes.
import type { OutgoingEmail } from '../../../src/mail/mailer.js';

/** ResendMailer's field order, then the SDK's parseEmailToApiOptions order (undefined fields vanish in JSON). */
export function serializeBatchLikeSdk(messages: OutgoingEmail[]): string {
  return JSON.stringify(
    messages.map((m) => ({
      from: m.from,
      headers: m.headers && Object.keys(m.headers).length ? m.headers : undefined,
      html: m.html,
      reply_to: m.replyTo || undefined,
      subject: m.subject,
      tags: m.tags?.length ? m.tags : undefined,
      text: m.text,
      to: m.to,
    })),
  );
}

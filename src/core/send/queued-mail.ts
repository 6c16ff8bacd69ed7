// A queued transactional mail as the reader will get it: stored renders as they are, compact ones rendered now.
// The sender and the export both go through here, so what a test reads is what the provider is sent.
import type { Config } from '../../config.js';
import type { RenderedPayload, TransactionalPayload } from './enqueue-mail.js';
import { confirmUrlFor } from '../subscribers/confirm-url.js';

type MailConfig = Pick<Config, 'publicUrl' | 'postalAddress' | 'mailFrom' | 'appSecret'>;

export async function renderQueuedMail(config: MailConfig, payloadJson: string | null): Promise<RenderedPayload> {
  const p = JSON.parse(payloadJson ?? 'null') as TransactionalPayload | null;
  if (!p) throw new Error('queued mail has no payload');
  if (!('template' in p)) return p;
  // Loaded on first use: a sender with only recaps to send never pays for the React renderer.
  const { buildConfirmEmail } = await import('../subscribers/confirm-mail.js');
  const confirmUrl = 'confirmUrl' in p ? p.confirmUrl : await confirmUrlFor(config, p.publicId, p.expiresAt);
  return buildConfirmEmail(config, confirmUrl, p.name);
}

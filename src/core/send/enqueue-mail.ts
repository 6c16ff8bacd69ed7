// Enqueueing mail into the outbox; transactional mail jumps ahead of bulk and wakes the sender at once.
import type { DeliveryKind } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { outboxStoreFor, type NewTransactional } from './outbox-store.js';

export const TRANSACTIONAL_PRIORITY = 10;

/** A mail rendered when it was queued. */
export interface RenderedPayload {
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
}

/**
 * A confirmation stored as what its link is made of and rendered when the sender claims it
 * (src/core/send/queued-mail.ts): a signup writes a ~100-byte payload instead of ~7 KB and signs nothing in the request;
 * the render is deterministic, so retries stay identical. Rows queued before links were signed at send time
 * carry `confirmUrl` instead.
 */
export type ConfirmPayload = { template: 'confirm'; name: string | null } & ({ publicId: string; expiresAt: number } | { confirmUrl: string });

export type TransactionalPayload = RenderedPayload | ConfirmPayload;

interface Recipient {
  kind: Exclude<DeliveryKind, 'recap'>;
  to: string;
  toName?: string | null;
  subscriberId?: number | null;
}

export type EnqueueMail = Recipient & TransactionalPayload;

function toRow(m: EnqueueMail): NewTransactional {
  const payload: TransactionalPayload =
    'template' in m
      ? 'confirmUrl' in m
        ? { template: m.template, confirmUrl: m.confirmUrl, name: m.name }
        : { template: m.template, publicId: m.publicId, expiresAt: m.expiresAt, name: m.name }
      : { subject: m.subject, html: m.html, text: m.text, headers: m.headers, tags: m.tags };
  return { kind: m.kind, toEmail: m.to, toName: m.toName, subscriberId: m.subscriberId, payload: JSON.stringify(payload), priority: TRANSACTIONAL_PRIORITY };
}

/** Queues one transactional mail (confirm, welcome, signin, test, export). Never sends inline. */
export async function enqueueMail(deps: Pick<Deps, 'db' | 'clock' | 'wakeOutbox'>, m: EnqueueMail): Promise<number> {
  const id = await outboxStoreFor(deps.db).enqueue(toRow(m), deps.clock.now().toISOString());
  deps.wakeOutbox?.();
  return id;
}

/**
 * Queues one transactional mail to a subscriber unless one of the same kind was queued for them after `sinceIso`
 * (a limit per reader that holds under concurrent requests). Returns null when it was not queued.
 */
export async function enqueueMailUnlessSince(
  deps: Pick<Deps, 'db' | 'clock' | 'wakeOutbox'>,
  m: EnqueueMail & { subscriberId: number },
  sinceIso: string,
): Promise<number | null> {
  const id = await outboxStoreFor(deps.db).enqueueUnlessSince({ ...toRow(m), subscriberId: m.subscriberId }, deps.clock.now().toISOString(), sinceIso);
  if (id !== null) deps.wakeOutbox?.();
  return id;
}

/** Queues many transactional mails in a few statements (group-committed signups). Wakes the sender once. */
export async function enqueueMails(deps: Pick<Deps, 'db' | 'clock' | 'wakeOutbox'>, mails: EnqueueMail[]): Promise<void> {
  if (mails.length === 0) return;
  await outboxStoreFor(deps.db).enqueueMany(mails.map(toRow), deps.clock.now().toISOString());
  deps.wakeOutbox?.();
}

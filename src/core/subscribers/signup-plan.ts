// The signup decision for one address, pure: what to write and whether to send a confirmation.
// Every branch ends in the same answer to the visitor; only the mailbox owner learns anything.
import type { SubscriberStatus } from '../../db/schema.js';
import type { Topic } from '../../shared/topics.js';

/** A pending or returning address gets at most one confirmation mail per this window. */
export const CONFIRMATION_RESEND_MS = 10 * 60_000;

export interface SubscriberState {
  id: number | null; // null until inserted
  status: SubscriberStatus;
  publicId: string;
  name: string | null;
  topics: string;
  lastConfirmationSentAt: string | null;
}

export interface SignupWish {
  email: string;
  name: string | null;
  topics: Topic[] | undefined;
  source: string;
  /** A fresh public id, used only if the address is new or comes back after an erasure. */
  freshPublicId: string;
}

export interface SignupPlan {
  write: 'insert' | 'revive' | 'update' | 'none';
  /** Columns to set (insert: the whole row minus ids and hashes). */
  patch: Partial<{
    email: string;
    name: string | null;
    topics: string;
    status: SubscriberStatus;
    public_id: string;
    source: string;
    created_at: string;
    updated_at: string;
    confirmed_at: string | null;
    unsubscribed_at: string | null;
    paused_until: string | null;
    last_confirmation_sent_at: string;
  }>;
  sendConfirmation: boolean;
  next: SubscriberState;
}

export function planSignup(existing: SubscriberState | undefined, wish: SignupWish, nowIso: string): SignupPlan {
  const topics = wish.topics ? JSON.stringify(wish.topics) : undefined;
  if (!existing || existing.status === 'erased') {
    const patch = {
      email: wish.email,
      name: wish.name,
      topics: topics ?? '[]',
      status: 'pending' as const,
      public_id: wish.freshPublicId,
      source: wish.source,
      created_at: nowIso,
      updated_at: nowIso,
      confirmed_at: null,
      unsubscribed_at: null,
      paused_until: null,
      last_confirmation_sent_at: nowIso,
    };
    return {
      write: existing ? 'revive' : 'insert',
      patch,
      sendConfirmation: true,
      next: {
        id: existing?.id ?? null,
        status: 'pending',
        publicId: wish.freshPublicId,
        name: wish.name,
        topics: patch.topics,
        lastConfirmationSentAt: nowIso,
      },
    };
  }
  // Confirmed readers keep what they confirmed: a stranger must not change their name or topics.
  // Bounced and complained addresses are never mailed again (the sender suppresses them too).
  if (existing.status === 'active' || existing.status === 'bounced' || existing.status === 'complained') {
    return { write: 'none', patch: {}, sendConfirmation: false, next: existing };
  }

  // pending or unsubscribed: nothing changes status until the new link is clicked.
  const due = !existing.lastConfirmationSentAt || Date.parse(existing.lastConfirmationSentAt) + CONFIRMATION_RESEND_MS <= Date.parse(nowIso);
  const patch: SignupPlan['patch'] = { updated_at: nowIso };
  if (wish.name) patch.name = wish.name;
  if (topics) patch.topics = topics;
  if (due) patch.last_confirmation_sent_at = nowIso;
  return {
    write: 'update',
    patch,
    sendConfirmation: due,
    next: {
      ...existing,
      name: patch.name ?? existing.name,
      topics: patch.topics ?? existing.topics,
      lastConfirmationSentAt: due ? nowIso : existing.lastConfirmationSentAt,
    },
  };
}

/**
 * 32 hex characters, the same shape as the column's default, laid out like a UUIDv7: 48 bits of milliseconds,
 * then 74 random bits. Time-ordered ids append to the unique index instead of landing on a random page each,
 * which halves the pages a signup batch writes. The cost: a link shows roughly when its reader signed up.
 */
export function newPublicId(now = Date.now()): string {
  // randomUUID draws from a pooled buffer: far cheaper per call than getRandomValues.
  const random = crypto.randomUUID().replace(/-/g, '');
  return now.toString(16).padStart(12, '0').slice(-12) + random.slice(12);
}

// The dev mailbox Mailer: keeps every message in SQLite (idempotently, like Resend) for local use and tests.
import type { DB } from '../db/schema.js';
import { findMailboxMessagesByKey, insertMailboxMessages } from '../db/repos/dev-mailbox.js';
import type { Clock } from '../core/deps.js';
import { decodeBatchBody } from './batch-body.js';
import type { Mailer, OutgoingEmail, SendBatchOptions, SendBatchResult } from './mailer.js';

export function createDevMailboxMailer(db: DB, clock: Clock): Mailer {
  const mailer: Mailer = {
    name: 'dev-mailbox',
    sendBody: (body, options) => mailer.sendBatch(decodeBatchBody(body), options),
    async sendBatch(messages: OutgoingEmail[], { idempotencyKey }: SendBatchOptions): Promise<SendBatchResult> {
      try {
        const existing = await findMailboxMessagesByKey(db, idempotencyKey);
        if (existing.length > 0) return { ok: true, ids: existing.map((r) => r.id), errors: [] };
        const now = clock.now().toISOString();
        const rows = messages.map((m, position) => ({
          id: `dev_${crypto.randomUUID()}`,
          idempotency_key: idempotencyKey,
          position,
          from_addr: m.from,
          to_addr: m.to.join(', ').toLowerCase(),
          subject: m.subject,
          html: m.html,
          text: m.text,
          headers: JSON.stringify(m.headers ?? {}),
          tags: JSON.stringify(m.tags ?? []),
          created_at: now,
        }));
        await insertMailboxMessages(db, rows);
        const stored = await findMailboxMessagesByKey(db, idempotencyKey);
        return { ok: true, ids: stored.map((r) => r.id), errors: [] };
      } catch (e) {
        return { ok: false, kind: 'transient', message: e instanceof Error ? e.message : String(e) };
      }
    },
  };
  return mailer;
}

// Turns a claimed batch into provider messages, deterministically: same batch and frame, same bytes, on every retry.
import type { IssueRow } from '../../db/schema.js';
import { compilePersonalization, type Personalizer } from '../../mail/personalize.js';
import type { OutgoingEmail } from '../../mail/mailer.js';
import type { Config } from '../../config.js';
import type { BatchMember } from './outbox-store.js';
import { renderQueuedMail } from './queued-mail.js';
import { recapHeaders } from './recap-headers.js';
import { subscriberLinks } from '../tokens.js';
import { LruCache } from '../../shared/lru-cache.js';

/**
 * Compiled issues kept per process. One issue sends at a time, with the odd retry of an older one; each entry holds
 * a copy of its issue's HTML (up to ~100 KB), so a long-running sender must not keep one per issue it ever sent.
 */
export const PERSONALIZERS_KEPT = 4;
const personalizers = new LruCache<string, { html: string; fn: Personalizer }>(PERSONALIZERS_KEPT);

function personalizerFor(issue: IssueRow): Personalizer {
  const cached = personalizers.get(issue.id);
  if (cached && cached.html === issue.html_snapshot) return cached.fn;
  const fn = compilePersonalization({ html: issue.html_snapshot ?? '', text: issue.text_snapshot ?? '' });
  personalizers.set(issue.id, { html: issue.html_snapshot ?? '', fn });
  return fn;
}

/** Compiled templates this process holds (its tests pin that the number stays bounded). */
export function cachedPersonalizerCount(): number {
  return personalizers.size;
}

function formatTo(email: string): string[] {
  return [email];
}

/**
 * The configuration a recap body is built with that is not frozen in the issue or delivery rows. It is stored with a
 * batch's first attempt (delivery_batches.frame) and used for its retries, so a deploy that changed MAIL_FROM,
 * MAIL_REPLY_TO or PUBLIC_URL meanwhile cannot change the bytes under the batch's idempotency key. APP_SECRET is not
 * stored: its rotation is caught by the request stored after a failed attempt, or else by the provider's 409.
 */
export interface RecapFrame {
  from: string;
  replyTo: string | null;
  publicUrl: string;
}

export function recapFrameFor(config: Pick<Config, 'mailFrom' | 'mailReplyTo' | 'publicUrl'>): RecapFrame {
  return { from: config.mailFrom, replyTo: config.mailReplyTo || null, publicUrl: config.publicUrl };
}

export async function buildRecapMessages(frame: RecapFrame, appSecret: string, issue: IssueRow, members: BatchMember[]): Promise<OutgoingEmail[]> {
  const fill = personalizerFor(issue);
  return Promise.all(
    members.map(async (m) => {
      const links = await subscriberLinks(appSecret, frame.publicUrl, m.publicId ?? 'unknown');
      const body = fill({ ...links, name: m.name });
      return {
        from: frame.from,
        to: formatTo(m.email),
        subject: issue.subject_snapshot ?? issue.default_subject,
        html: body.html,
        text: body.text,
        ...(frame.replyTo && { replyTo: frame.replyTo }),
        headers: recapHeaders(frame, links.unsubscribeUrl),
        tags: [
          { name: 'issue', value: issue.id },
          { name: 'delivery', value: String(m.deliveryId) },
        ],
      };
    }),
  );
}

export async function buildTransactionalMessages(config: Config, members: BatchMember[]): Promise<OutgoingEmail[]> {
  return Promise.all(members.map(async (m) => {
    const p = await renderQueuedMail(config, m.payload);
    return {
      from: config.mailFrom,
      to: formatTo(m.email),
      subject: p.subject,
      html: p.html,
      text: p.text,
      ...(config.mailReplyTo && { replyTo: config.mailReplyTo }),
      ...(p.headers && { headers: p.headers }),
      tags: [...(p.tags ?? []), { name: 'kind', value: m.kind }, { name: 'delivery', value: String(m.deliveryId) }],
    };
  }));
}

// Turns a claimed batch into provider messages, deterministically: same batch and frame, same bytes, on every retry.
import type { IssueRow } from '../../db/schema.js';
import { compilePersonalization, type Personalizer } from '../../mail/personalize.js';
import type { OutgoingEmail } from '../../mail/mailer.js';
import type { Config } from '../../config.js';
import type { BatchMember } from './outbox-store.js';
import { renderQueuedMail } from './queued-mail.js';
import { recapHeaders } from './recap-headers.js';
import { subscriberLinks } from '../tokens.js';
import { signReaderSuffix } from '../issues/click-tokens.js';
import { LruCache } from '../../shared/lru-cache.js';

/**
 * Compiled issues kept per process. One issue sends at a time, with the odd retry of an older one; each entry holds
 * a copy of its issue's HTML (up to ~100 KB) and of each reader edition's it has met (at most one per topic set, 255),
 * so a long-running sender must not keep one per issue it ever sent.
 */
export const PERSONALIZERS_KEPT = 4;
interface CompiledIssue {
  html: string;
  fn: Personalizer;
  /** Reader editions (edition number > 0), compiled from their frozen renders when first needed. */
  editions: Map<number, Personalizer>;
}
const personalizers = new LruCache<string, CompiledIssue>(PERSONALIZERS_KEPT);

function compiledIssue(issue: IssueRow): CompiledIssue {
  const cached = personalizers.get(issue.id);
  if (cached && cached.html === issue.html_snapshot) return cached;
  const fresh = {
    html: issue.html_snapshot ?? '',
    fn: compilePersonalization({ html: issue.html_snapshot ?? '', text: issue.text_snapshot ?? '' }),
    editions: new Map(),
  };
  personalizers.set(issue.id, fresh);
  return fresh;
}

/** An issue's frozen editions, as the store keeps them (OutboxStore.listEditions). */
export type LoadEditions = () => Promise<readonly { edition: number; html_snapshot: string; text_snapshot: string }[]>;

/** The personaliser of each member's edition: the issue's own snapshot for the default, the frozen edition otherwise. */
async function personalizersFor(issue: IssueRow, members: readonly BatchMember[], loadEditions?: LoadEditions): Promise<Personalizer[]> {
  const c = compiledIssue(issue);
  if (members.some((m) => m.edition !== 0 && !c.editions.has(m.edition)) && loadEditions) {
    for (const e of await loadEditions()) {
      if (e.edition !== 0 && !c.editions.has(e.edition)) c.editions.set(e.edition, compilePersonalization({ html: e.html_snapshot, text: e.text_snapshot }));
    }
  }
  return members.map((m) => {
    if (m.edition === 0) return c.fn;
    const fn = c.editions.get(m.edition);
    // Never send a reader another edition than the one frozen for them: the batch is held by its caller instead.
    if (!fn) throw new MissingEditionError(issue.id, m.edition);
    return fn;
  });
}

export class MissingEditionError extends Error {
  constructor(
    readonly issueId: string,
    readonly edition: number,
  ) {
    super(`issue ${issueId} has no frozen render of edition ${edition}`);
  }
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

/**
 * Of these readers, those whose click-measurement consent stood when the issue started sending. Frozen by that time
 * (issues.started_at), not read as it is now, so a consent given or withdrawn mid-send cannot change a retry's bytes;
 * a withdrawal still stops the counting at once (the redirect re-checks it).
 */
export type LoadClickConsenters = (subscriberIds: number[]) => Promise<ReadonlySet<number>>;

export async function buildRecapMessages(
  frame: RecapFrame,
  appSecret: string,
  issue: IssueRow,
  members: BatchMember[],
  loadEditions?: LoadEditions,
  loadClickConsenters?: LoadClickConsenters,
): Promise<OutgoingEmail[]> {
  const fills = await personalizersFor(issue, members, loadEditions);
  // Reader-mode links exist only where the frozen render has the slot (TRACKING=reader when the issue was frozen).
  const slotted = members.flatMap((m, i) => (m.subscriberId !== null && fills[i].slots.has('clickReader') ? [m.subscriberId] : []));
  const consenters = slotted.length && loadClickConsenters ? await loadClickConsenters(slotted) : new Set<number>();
  return Promise.all(
    members.map(async (m, i) => {
      const links = await subscriberLinks(appSecret, frame.publicUrl, m.publicId ?? 'unknown');
      const clickReader =
        m.subscriberId !== null && m.publicId && consenters.has(m.subscriberId) ? await signReaderSuffix(appSecret, issue.id, m.publicId) : undefined;
      const body = fills[i]({ ...links, name: m.name, clickReader });
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
  return Promise.all(
    members.map(async (m) => {
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
    }),
  );
}

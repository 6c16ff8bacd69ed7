// Turns a claimed batch into provider messages, deterministically: same batch, same bytes, on every retry.
import type { BatchMember } from '../../db/repos/outbox.js';
import type { IssueRow } from '../../db/schema.js';
import { compilePersonalization, type Personalizer } from '../../mail/personalize.js';
import type { OutgoingEmail } from '../../mail/mailer.js';
import type { Config } from '../../config.js';
import { renderQueuedMail } from '../queued-mail.js';
import { recapHeaders } from './recap-headers.js';
import { subscriberLinks } from '../tokens.js';

const personalizers = new Map<string, { html: string; fn: Personalizer }>();

function personalizerFor(issue: IssueRow): Personalizer {
  const cached = personalizers.get(issue.id);
  if (cached && cached.html === issue.html_snapshot) return cached.fn;
  const fn = compilePersonalization({ html: issue.html_snapshot ?? '', text: issue.text_snapshot ?? '' });
  personalizers.set(issue.id, { html: issue.html_snapshot ?? '', fn });
  return fn;
}

function formatTo(email: string): string[] {
  return [email];
}

export async function buildRecapMessages(config: Config, issue: IssueRow, members: BatchMember[]): Promise<OutgoingEmail[]> {
  const fill = personalizerFor(issue);
  return Promise.all(
    members.map(async (m) => {
      const links = await subscriberLinks(config.appSecret, config.publicUrl, m.publicId ?? 'unknown');
      const body = fill({ ...links, name: m.name });
      return {
        from: config.mailFrom,
        to: formatTo(m.email),
        subject: issue.subject_snapshot ?? issue.default_subject,
        html: body.html,
        text: body.text,
        ...(config.mailReplyTo && { replyTo: config.mailReplyTo }),
        headers: recapHeaders(config, links.unsubscribeUrl),
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

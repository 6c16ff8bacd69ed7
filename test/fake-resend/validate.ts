// Resend's field rules for POST /emails and /emails/batch, so a payload the real API would refuse fails here too.
import { buildResendError, type ResendErrorBody } from './errors.js';

export const MAX_BATCH_EMAILS = 100;
export const MAX_RECIPIENTS = 50;

export interface ValidEmail {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
}

export type EmailCheck = { ok: true; email: ValidEmail } | { ok: false; error: ResendErrorBody };

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const ADDRESS_HINT = 'The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';

/** The bare, lower-cased address of `a@b.c` or `Name <a@b.c>`; null when it is neither. */
export function extractAddress(value: string): string | null {
  const named = /^[^<>]*<([^<>]+)>\s*$/.exec(value.trim());
  const address = (named ? named[1] : value).trim();
  return ADDRESS.test(address) ? address.toLowerCase() : null;
}

/** Validate one email object; `rejected` holds addresses the fake treats as permanently undeliverable. */
export function validateEmail(input: unknown, rejected: ReadonlySet<string>, inBatch: boolean): EmailCheck {
  const fail = (name: 'validation_error' | 'missing_required_field', message: string): EmailCheck => ({
    ok: false,
    error: buildResendError(name, message),
  });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('validation_error', 'Invalid email object.');
  const e = input as Record<string, unknown>;

  if (e.from === undefined || e.from === null || e.from === '') return fail('missing_required_field', 'Missing `from` field.');
  if (typeof e.from !== 'string' || !extractAddress(e.from)) return fail('validation_error', `Invalid \`from\` field. ${ADDRESS_HINT}`);

  if (e.to === undefined || e.to === null) return fail('missing_required_field', 'Missing `to` field.');
  const to = listOf(e.to);
  if (!to || to.length === 0) return fail('validation_error', `Invalid \`to\` field. ${ADDRESS_HINT}`);
  if (to.length > MAX_RECIPIENTS) return fail('validation_error', `Too many recipients in \`to\` field. The maximum is ${MAX_RECIPIENTS}.`);
  for (const field of ['to', 'cc', 'bcc', 'reply_to'] as const) {
    const list = e[field] === undefined ? [] : listOf(e[field]);
    if (!list || list.some((a) => !extractAddress(a))) return fail('validation_error', `Invalid \`${field}\` field. ${ADDRESS_HINT}`);
  }
  const refused = to.find((a) => rejected.has(extractAddress(a)!));
  if (refused) return fail('validation_error', `Invalid \`to\` field. The address ${refused} was rejected (permanent recipient error).`);

  if (typeof e.subject !== 'string' || e.subject === '') return fail('missing_required_field', 'Missing `subject` field.');
  if (e.html !== undefined && typeof e.html !== 'string') return fail('validation_error', 'Invalid `html` field.');
  if (e.text !== undefined && typeof e.text !== 'string') return fail('validation_error', 'Invalid `text` field.');
  if (!e.html && !e.text) return fail('missing_required_field', 'Missing `html` or `text` field.');

  if (inBatch && e.attachments !== undefined) return fail('validation_error', 'Attachments are not supported in batch emails.');
  if (inBatch && e.scheduled_at !== undefined) return fail('validation_error', '`scheduled_at` is not supported in batch emails.');

  const headers = e.headers === undefined ? {} : e.headers;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    return fail('validation_error', 'Invalid `headers` field. Headers must be an object of strings.');
  }
  const tags = e.tags === undefined ? [] : e.tags;
  if (!Array.isArray(tags) || !tags.every(isValidTag)) {
    return fail(
      'validation_error',
      'Invalid `tags` field. Tag names and values can only contain ASCII letters (a–z, A–Z), numbers (0–9), underscores (_), or dashes (-), at most 256 characters.',
    );
  }

  return {
    ok: true,
    email: {
      from: e.from,
      to,
      cc: listOf(e.cc ?? []) ?? [],
      bcc: listOf(e.bcc ?? []) ?? [],
      replyTo: listOf(e.reply_to ?? []) ?? [],
      subject: e.subject,
      html: e.html as string | undefined,
      text: e.text as string | undefined,
      headers: headers as Record<string, string>,
      tags: tags as { name: string; value: string }[],
    },
  };
}

function listOf(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

function isValidTag(tag: unknown): boolean {
  if (typeof tag !== 'object' || tag === null) return false;
  const { name, value } = tag as Record<string, unknown>;
  return typeof name === 'string' && TAG_PART.test(name) && typeof value === 'string' && TAG_PART.test(value);
}

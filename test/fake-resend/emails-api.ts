// The behaviour of POST /emails and POST /emails/batch once a request is authenticated and admitted.
import { randomUUID } from 'node:crypto';
import { buildResendError, type ResendErrorBody } from './errors.js';
import type { createQuota } from './limits.js';
import type { AcceptedEmail, FakeState } from './state.js';
import { extractAddress, MAX_BATCH_EMAILS, validateEmail, type ValidEmail } from './validate.js';

export interface ApiAnswer {
  status: number;
  body: unknown;
  accepted: number;
}

export interface EmailsApiContext {
  state: FakeState;
  quota: ReturnType<typeof createQuota>;
  rejected: ReadonlySet<string>;
  /** Sending domains of the account; null: any. */
  verifiedDomains: ReadonlySet<string> | null;
  now: () => number;
}

export interface EmailsApiRequest {
  path: '/emails' | '/emails/batch';
  body: unknown;
  apiKey: string;
  idempotencyKey: string | null;
  batchValidation: string | null;
}

const fail = (error: ResendErrorBody): ApiAnswer => ({ status: error.statusCode, body: error, accepted: 0 });

export function handleEmailsRequest(ctx: EmailsApiContext, req: EmailsApiRequest): ApiAnswer {
  return req.path === '/emails' ? sendOne(ctx, req) : sendBatch(ctx, req);
}

function sendOne(ctx: EmailsApiContext, req: EmailsApiRequest): ApiAnswer {
  const unverified = unverifiedDomain(ctx, [req.body]);
  if (unverified) return fail(unverified);
  const check = validateEmail(req.body, ctx.rejected, false);
  if (!check.ok) return fail(check.error);
  const over = ctx.quota.exceeded(1);
  if (over) return fail(buildResendError(over));
  const [id] = accept(ctx, req, [{ email: check.email, index: null }]);
  return { status: 200, body: { id }, accepted: 1 };
}

function sendBatch(ctx: EmailsApiContext, req: EmailsApiRequest): ApiAnswer {
  const mode = req.batchValidation ?? 'strict';
  if (mode !== 'strict' && mode !== 'permissive') {
    return fail(buildResendError('validation_error', 'Invalid `x-batch-validation` header. Use `strict` or `permissive`.'));
  }
  if (!Array.isArray(req.body)) return fail(buildResendError('validation_error', 'The request body must be an array of emails.'));
  if (req.body.length === 0) return fail(buildResendError('validation_error', 'The batch must contain at least one email.'));
  if (req.body.length > MAX_BATCH_EMAILS) {
    return fail(buildResendError('validation_error', `Too many emails in the batch. The maximum is ${MAX_BATCH_EMAILS}.`));
  }

  const unverified = unverifiedDomain(ctx, req.body);
  if (unverified) return fail(unverified);

  const valid: { email: ValidEmail; index: number }[] = [];
  const errors: { index: number; message: string }[] = [];
  for (const [index, item] of req.body.entries()) {
    const check = validateEmail(item, ctx.rejected, true);
    if (check.ok) {
      valid.push({ email: check.email, index });
    } else if (mode === 'strict') {
      // Strict mode is atomic: the first invalid email fails the whole request and nothing is created.
      return fail({ ...check.error, message: `emails[${index}]: ${check.error.message}` });
    } else {
      errors.push({ index, message: check.error.message });
    }
  }

  const over = ctx.quota.exceeded(valid.length);
  if (over) return fail(buildResendError(over));
  // Permissive mode lists only the created emails in `data`, in request order; `errors` carries the input indices.
  const ids = accept(ctx, req, valid);
  const data = ids.map((id) => ({ id }));
  return { status: 200, body: mode === 'permissive' ? { data, errors } : { data }, accepted: ids.length };
}

/**
 * Resend refuses the whole request, in either validation mode, when a sender's domain is not verified on the account:
 * a 403 validation_error, and nothing is created (so the idempotency key is not used up).
 */
function unverifiedDomain(ctx: EmailsApiContext, items: unknown[]): ResendErrorBody | null {
  if (!ctx.verifiedDomains) return null;
  for (const item of items) {
    const from = (item as { from?: unknown } | null)?.from;
    const domain = typeof from === 'string' ? extractAddress(from)?.split('@')[1] : undefined;
    if (domain && !ctx.verifiedDomains.has(domain)) {
      return buildResendError(
        'validation_error',
        `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`,
        403,
      );
    }
  }
  return null;
}

function accept(ctx: EmailsApiContext, req: EmailsApiRequest, items: { email: ValidEmail; index: number | null }[]): string[] {
  const at = ctx.now();
  ctx.quota.add(items.length);
  return items.map(({ email, index }) => {
    const record: AcceptedEmail = {
      ...email,
      id: randomUUID(),
      idempotencyKey: req.idempotencyKey,
      apiKey: req.apiKey,
      endpoint: req.path,
      batchIndex: index,
      acceptedAt: at,
    };
    ctx.state.emails.push(record);
    return record.id;
  });
}

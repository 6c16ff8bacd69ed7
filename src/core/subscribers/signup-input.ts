// The signup request as the edges accept it (JSON API and HTML form), validated into one shape.
import { z } from 'zod';
import { TOPICS, type Topic } from '../../shared/topics.js';
import { emailSchema } from './email-address.js';

export const NAME_MAX = 100;
/** Bumped when the wording next to the signup form changes: consents record which one a person saw. */
export const SIGNUP_FORM_VERSION = 'signup-2026-11';

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from untrusted text is what this pattern is for
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

const nameSchema = z
  .string()
  .max(NAME_MAX * 4)
  .refine((v) => !CONTROL.test(v), 'name must not contain control characters')
  .transform((v) => v.trim().replace(/\s+/g, ' '))
  .refine((v) => [...v].length <= NAME_MAX, `name must be at most ${NAME_MAX} characters`)
  .transform((v) => (v === '' ? null : v));

const topicsSchema = z
  .array(z.enum(TOPICS, { error: `topics must be some of: ${TOPICS.join(', ')}` }))
  .max(TOPICS.length * 2)
  .transform((t) => TOPICS.filter((k) => t.includes(k)));

export const signupBodySchema = z.object({
  email: emailSchema,
  name: nameSchema.nullish().transform((v) => v ?? null),
  topics: topicsSchema.optional(),
  /** The click-measurement checkbox (issue 16): true records a consent; absent or false records nothing. */
  clickMeasurement: z.boolean().optional(),
  /** Honeypot: people never see it, naive bots fill it. */
  website: z.unknown().optional(),
  formVersion: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/i, 'formVersion must be a short identifier')
    .optional(),
});

export type SignupSource = 'form' | 'api' | 'import';

export interface SignupInput {
  email: string;
  name: string | null;
  topics: Topic[] | undefined;
  formVersion: string;
  clickMeasurement?: boolean;
}

export type ParsedSignup =
  | { ok: true; input: SignupInput; honeypot: boolean }
  | { ok: false; field: 'email' | 'name' | 'topics' | 'formVersion' | 'body'; message: string; issues: z.core.$ZodIssue[] };

export function parseSignupBody(body: unknown): ParsedSignup {
  const r = signupBodySchema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues[0];
    const field = (typeof first?.path[0] === 'string' ? first.path[0] : 'body') as 'email';
    const known = ['email', 'name', 'topics', 'formVersion'].includes(field) ? field : 'body';
    const message = known === 'body' ? 'the body must be a JSON object like {"email": "you@example.com"}' : first.message;
    return { ok: false, field: known as 'email', message, issues: r.error.issues };
  }
  const d = r.data;
  const honeypot = d.website !== undefined && d.website !== null && d.website !== '';
  return {
    ok: true,
    honeypot,
    input: {
      email: d.email,
      name: d.name,
      topics: d.topics,
      formVersion: d.formVersion ?? SIGNUP_FORM_VERSION,
      ...(d.clickMeasurement ? { clickMeasurement: true } : {}),
    },
  };
}

/** Form fields arrive as strings or string lists; anything else (files, nested) is refused by the schema. */
export function signupBodyFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const topics = form.topics ?? form['topics[]'];
  return {
    email: one(form.email) ?? '',
    name: one(form.name) || undefined,
    topics: topics === undefined ? [] : Array.isArray(topics) ? topics : [topics],
    website: one(form.website) || undefined,
    formVersion: one(form.formVersion) || undefined,
    clickMeasurement: one(form.clicks) === 'yes' || undefined,
  };
}

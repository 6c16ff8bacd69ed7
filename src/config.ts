// The environment, parsed once by one zod schema; every bad variable is reported together.
import { z } from 'zod';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

const num = (fallback: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min) {
        ctx.addIssue({ code: 'custom', message: `must be a number >= ${min}` });
        return z.NEVER;
      }
      return n;
    });

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const timeZone = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const tz = v?.trim() ? v.trim() : 'UTC';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return tz;
    } catch {
      ctx.addIssue({ code: 'custom', message: `unknown time zone "${tz}"` });
      return z.NEVER;
    }
  });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** "Monday 08:00" style weekly slot. */
const weeklySlot = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const raw = v?.trim() ? v.trim() : 'Monday 08:00';
    const m = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+(\d{1,2}):(\d{2})$/i.exec(raw);
    if (!m || Number(m[2]) > 23 || Number(m[3]) > 59) {
      ctx.addIssue({ code: 'custom', message: 'must look like "Monday 08:00"' });
      return z.NEVER;
    }
    const day = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(m[1].toLowerCase()) + 1;
    return { isoWeekday: day, hour: Number(m[2]), minute: Number(m[3]) };
  });

/** Durations such as "24h", "90m", "7d" or a number of hours. */
const duration = (fallbackMs: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallbackMs;
      const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(v.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration like 24h, 90m or 2d' });
        return z.NEVER;
      }
      const unit = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[(m[2] ?? 'h') as 'ms'];
      return Number(m[1]) * unit;
    });

const cronExpr = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const expr = v?.trim() ? v.trim() : fallback;
      const fields = expr.split(/\s+/);
      if (fields.length < 5 || fields.length > 6) {
        ctx.addIssue({ code: 'custom', message: `"${expr}" is not a 5- or 6-field cron expression` });
        return z.NEVER;
      }
      return expr;
    });

export const scoreWeightsSchema = z
  .object({
    views: z.number(),
    clicks: z.number(),
    shares: z.number(),
    sources: z.number(),
    recency: z.number(),
    boost: z.number(),
    readerInterest: z.number(),
  })
  .partial()
  .strict();

export const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', '']).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty', '']).optional(),
  PORT: int(8787, 0, 65535),
  HOST: z
    .string()
    .optional()
    .transform((v) => v || '127.0.0.1'),
  DATABASE_PATH: z
    .string()
    .optional()
    .transform((v) => v || './data/recap.db'),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  APP_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalString.pipe(z.url().optional()),
  RESEND_WEBHOOK_SECRET: optionalString.pipe(z.string().startsWith('whsec_', 'must start with whsec_').optional()),
  RESEND_RATE_PER_SEC: num(5, 0.1),
  RESEND_TIMEOUT_MS: int(15_000, 100),
  MAIL_FROM: z
    .string()
    .optional()
    .transform((v) => v || 'Weekly AI Recap <recap@localhost.test>'),
  MAIL_REPLY_TO: optionalString,
  POSTAL_ADDRESS: z
    .string()
    .optional()
    .transform((v) => v || 'Weekly AI Recap · 1 Example Street · Internet'),
  EDITOR_EMAILS: list.superRefine((emails, ctx) => {
    for (const [i, email] of emails.entries()) {
      if (!z.email().safeParse(email).success) ctx.addIssue({ code: 'custom', message: `entry ${i + 1} ("${email}") is not an email address` });
    }
  }),
  EDITOR_API_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  TZ_NEWSLETTER: timeZone,
  SIGNUP_RATE_PER_MIN: int(10, 0),
  TRUST_PROXY: bool(false),
  CORS_ORIGINS: list,
  DEMO_DATA: bool(true),
  BODY_LIMIT_BYTES: int(1_048_576, 1024),
  AUTO_SEND: bool(false),
  BUILD_CRON: cronExpr('0 18 * * 0'),
  SEND_AT: weeklySlot,
  MAX_LATENESS: duration(24 * 36e5),
  FEED_URLS: list,
  FEED_CRON: cronExpr('*/30 * * * *'),
  ISSUE_SIZE: int(10, 1, 50),
  MAX_PER_TOPIC: int(3, 1, 50),
  POOL_SIZE: int(30, 1, 200),
  LEAD_SIZE: int(3, 0, 50),
  INSTANCE_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64')
      .optional(),
  ),
  LEASE_MS: int(30_000, 1_000, 3_600_000),
  SEND_CONCURRENCY: int(2, 1, 16),
  TRACKING: z
    .enum(['off', 'aggregate', 'reader', ''], { error: 'must be off, aggregate or reader' })
    .optional()
    .transform((v) => (v ? v : 'aggregate')),
  BACKUP_DIR: optionalString,
  BACKUP_CRON: cronExpr('0 3 * * *'),
  BACKUP_KEEP: int(14, 1, 10_000),
  GUARD_COMPLAINT_PAUSE: num(0.001),
  GUARD_COMPLAINT_STOP: num(0.003),
  GUARD_BOUNCE_PAUSE: num(0.05),
  GUARD_MIN_DELIVERED: int(1000, 1),
  GUARD_SOFT_BOUNCE_ISSUES: int(3, 1, 1000),
  SCORE_WEIGHTS: optionalString.superRefine((v, ctx) => {
    if (!v) return;
    try {
      scoreWeightsSchema.parse(JSON.parse(v));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"views":1,"clicks":2}' });
    }
  }),
});

export type ScoreWeights = Required<z.infer<typeof scoreWeightsSchema>>;

export const defaultScoreWeights: ScoreWeights = {
  views: 1,
  clicks: 2,
  shares: 3,
  sources: 4,
  recency: 2,
  boost: 5,
  // weight × a lift in [-1, 1] from last issues' clicks per topic (src/core/selection/reader-interest.ts): the term is
  // bounded by the weight, so at most ±0.5 here, a tenth of the boost weight, a quarter of recency's full range, the
  // same as ×1.65 the views; it can tip near-equal stories but cannot swamp the aggregator's signals.
  readerInterest: 0.5,
};

/** What story links measure (issue 16): nothing, clicks per story, or also which consenting reader clicked. */
export type TrackingMode = 'off' | 'aggregate' | 'reader';

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  databasePath: string;
  publicUrl: string;
  appSecret: string;
  resendApiKey?: string;
  resendWebhookSecret?: string;
  resendRatePerSec: number;
  resendTimeoutMs: number;
  mailFrom: string;
  mailReplyTo?: string;
  postalAddress: string;
  editorEmails: string[];
  editorApiToken?: string;
  /** Bearer token for GET /metrics (the API token works too); unset and no API token: /metrics refuses everyone. */
  metricsToken?: string;
  tz: string;
  signupRatePerMin: number;
  trustProxy: boolean;
  corsOrigins: string[];
  demoData: boolean;
  bodyLimitBytes: number;
  autoSend: boolean;
  buildCron: string;
  sendAt: { isoWeekday: number; hour: number; minute: number };
  maxLatenessMs: number;
  feedUrls: string[];
  feedCron: string;
  issueSize: number;
  maxPerTopic: number;
  /** Stories in the week's pool, from which each reader's edition is picked (issue 15). */
  poolSize: number;
  /** Lead stories every reader gets when the editor pinned none. */
  leadSize: number;
  scoreWeights: ScoreWeights;
  /** The sender's guards (src/core/send/send-guards.ts): rates as fractions, over which a send pauses or stops. */
  guards: SendGuardConfig;
  /** Stable name of this process for leases; a restarted process with the same id resumes its own leases at once. */
  instanceId?: string;
  leaseMs: number;
  sendConcurrency: number;
  /** TRACKING: how story links in sent recaps are measured (GET /r/:token); see README "What a click measures". */
  tracking: TrackingMode;
  /** Where `recap backup`, the scheduled backup and the pre-migration backup write (Node only). */
  backupDir: string;
  backupCron: string;
  /** Scheduled backups kept in backupDir; older ones are deleted after a successful new one. */
  backupKeep: number;
}

export interface SendGuardConfig {
  /** Complaints over this share of delivered pause the send for an editor. */
  complaintPause: number;
  /** Complaints over this share of delivered stop the send. */
  complaintStop: number;
  /** Hard bounces over this share of delivered + bounced pause the send. */
  bouncePause: number;
  /** The rates are weighed only from this many delivered on. */
  minDelivered: number;
  /** A reader whose mail soft-bounced on this many different issues is suppressed. */
  softBounceIssues: number;
}

export type ConfigResult = { ok: true; config: Config; secretMissing: boolean } | { ok: false; errors: string[] };

/** Parse an environment record. `APP_SECRET` may be absent; the caller supplies one (see node entry). */
export function parseConfig(env: Record<string, string | undefined>, fallbackSecret?: string): ConfigResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    return { ok: false, errors };
  }
  const e = parsed.data;
  const secret = e.APP_SECRET ?? fallbackSecret;
  if (!secret) return { ok: false, errors: ['APP_SECRET: required (no generated secret available)'] };
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const mode = e.NODE_ENV === 'production' ? 'production' : e.NODE_ENV === 'test' ? 'test' : 'development';
  return {
    ok: true,
    secretMissing: !e.APP_SECRET,
    config: {
      env: mode,
      port: e.PORT,
      host: e.HOST,
      databasePath: e.DATABASE_PATH,
      publicUrl,
      appSecret: secret,
      resendApiKey: e.RESEND_API_KEY,
      resendWebhookSecret: e.RESEND_WEBHOOK_SECRET,
      resendRatePerSec: e.RESEND_RATE_PER_SEC,
      resendTimeoutMs: e.RESEND_TIMEOUT_MS,
      mailFrom: e.MAIL_FROM,
      mailReplyTo: e.MAIL_REPLY_TO,
      postalAddress: e.POSTAL_ADDRESS,
      editorEmails: e.EDITOR_EMAILS.map((s) => s.toLowerCase()),
      editorApiToken: e.EDITOR_API_TOKEN,
      metricsToken: e.METRICS_TOKEN,
      tz: e.TZ_NEWSLETTER,
      signupRatePerMin: e.SIGNUP_RATE_PER_MIN,
      trustProxy: e.TRUST_PROXY,
      corsOrigins: e.CORS_ORIGINS,
      demoData: e.DEMO_DATA,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      autoSend: e.AUTO_SEND,
      buildCron: e.BUILD_CRON,
      sendAt: e.SEND_AT,
      maxLatenessMs: e.MAX_LATENESS,
      feedUrls: e.FEED_URLS,
      feedCron: e.FEED_CRON,
      issueSize: e.ISSUE_SIZE,
      maxPerTopic: e.MAX_PER_TOPIC,
      poolSize: e.POOL_SIZE,
      leadSize: e.LEAD_SIZE,
      instanceId: e.INSTANCE_ID,
      leaseMs: e.LEASE_MS,
      sendConcurrency: e.SEND_CONCURRENCY,
      tracking: e.TRACKING,
      // string work, not node:path: this module also runs on Workers
      backupDir: e.BACKUP_DIR ?? `${e.DATABASE_PATH.replace(/[^/\\]*$/, '') || './'}backups`,
      backupCron: e.BACKUP_CRON,
      backupKeep: e.BACKUP_KEEP,
      guards: {
        complaintPause: e.GUARD_COMPLAINT_PAUSE,
        complaintStop: e.GUARD_COMPLAINT_STOP,
        bouncePause: e.GUARD_BOUNCE_PAUSE,
        minDelivered: e.GUARD_MIN_DELIVERED,
        softBounceIssues: e.GUARD_SOFT_BOUNCE_ISSUES,
      },
      scoreWeights: { ...defaultScoreWeights, ...(e.SCORE_WEIGHTS ? JSON.parse(e.SCORE_WEIGHTS) : {}) },
    },
  };
}

/** A complete config for tests and tools; override what matters. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const r = parseConfig({ NODE_ENV: 'test', APP_SECRET: 'test-secret-test-secret-0123456789' });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { ...r.config, ...overrides };
}

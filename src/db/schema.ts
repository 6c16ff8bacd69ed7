// Kysely table types mirroring migrations/*.sql (the SQL files are the source of truth).
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';

type Id = Generated<number>;

export interface EventsTable {
  id: Id;
  external_id: string;
  title: string;
  url: string;
  canonical_url: string;
  source_name: string;
  source_url: string | null;
  published_at: string;
  collected_at: string;
  category: string | null;
  topics: string; // JSON string[]
  summary: string | null;
  why_it_matters: string | null;
  what_to_do_next: string | null;
  who_should_care: string | null;
  key_takeaways: string; // JSON string[]
  image_url: string | null;
  views: number;
  clicks: number;
  shares: number;
  source_count: number;
  editor_boost: number;
  created_at: string;
  updated_at: string;
}

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained' | 'erased';

export interface SubscribersTable {
  id: Id;
  email: string | null;
  email_hash: string;
  public_id: Generated<string>;
  name: string | null;
  status: ColumnType<SubscriberStatus, SubscriberStatus | undefined, SubscriberStatus>;
  topics: ColumnType<string, string | undefined, string>;
  paused_until: string | null;
  source: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  last_confirmation_sent_at: string | null;
  /** Why the address is no longer mailed, set with a bounced or complained status (migrations/0009). */
  suppressed_reason: string | null;
}

/**
 * FTS5 trigram index over each reader's address and name, rowid = subscribers.id, kept by triggers (migrations/0010).
 * Contentless: a SELECT reads its columns as NULL; it answers `MATCH` with rowids (src/db/repos/editor-subscribers.ts).
 */
export interface SubscribersSearchTable {
  email: ColumnType<null, string | null, string | null>;
  name: ColumnType<null, string | null, string | null>;
}

export interface ConsentsTable {
  id: Id;
  subscriber_id: number;
  action: string;
  source: string;
  form_version: string | null;
  ip_hash: string | null;
  user_agent: string | null;
  created_at: string;
}

export type GuardKind = 'complaints' | 'bounces';
export type IssueStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'canceled' | 'failed';
export type Engine = 'react' | 'mjml';

export interface IssuesTable {
  id: string;
  week: string;
  slug: string;
  status: ColumnType<IssueStatus, IssueStatus | undefined, IssueStatus>;
  subject: string | null;
  preheader: string | null;
  intro: string | null;
  engine: ColumnType<Engine, Engine | undefined, Engine>;
  default_subject: ColumnType<string, string | undefined, string>;
  default_preheader: ColumnType<string, string | undefined, string>;
  scheduled_at: string | null;
  schedule_source: 'auto' | 'editor' | null;
  started_at: string | null;
  sent_at: string | null;
  canceled_at: string | null;
  missed_at: string | null;
  failure_reason: string | null;
  paused_reason: string | null;
  resume_after: string | null;
  html_snapshot: string | null;
  text_snapshot: string | null;
  subject_snapshot: string | null;
  audience_total: number | null;
  built_at: string;
  /** Which send guard paused the issue (an editor hold); null otherwise (migrations/0009). */
  guard_paused: GuardKind | null;
  /** Comma list of the guards an editor resumed past during this send. */
  guards_cleared: ColumnType<string, string | undefined, string>;
  created_at: string;
  updated_at: string;
}

export interface IssueItemsTable {
  id: Id;
  issue_id: string;
  event_id: number;
  position: number;
  pinned: ColumnType<number, number | undefined, number>;
  excluded: ColumnType<number, number | undefined, number>;
  manual_position: ColumnType<number, number | undefined, number>;
  added_by: ColumnType<'auto' | 'editor', 'auto' | 'editor' | undefined, 'auto' | 'editor'>;
  title_override: string | null;
  blurb_override: string | null;
  score: number;
  score_breakdown: string; // JSON ScoreBreakdown
  merged_event_ids: string; // JSON number[]
  source_count: number;
  created_at: string;
  updated_at: string;
}

export type BatchStatus = 'pending' | 'sent' | 'held' | 'failed';

export interface DeliveryBatchesTable {
  id: Id;
  issue_id: string | null;
  kind: string;
  idempotency_key: string;
  status: ColumnType<BatchStatus, BatchStatus | undefined, BatchStatus>;
  /** The request as first sent, kept while the outcome is unknown: JSON text, or raw DEFLATE bytes when large (0006). */
  body: string | Uint8Array | null;
  size: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  lease_owner: string | null;
  lease_expires_at: string | null;
  next_attempt_at: string | null;
  first_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** Recaps: JSON RecapFrame (sender, reply-to, public URL) their body was built with, from the first attempt. */
  frame: string | null;
}

export type DeliveryStatus = 'queued' | 'claimed' | 'sent' | 'delivered' | 'delayed' | 'bounced' | 'complained' | 'failed' | 'suppressed';

/** `export`: a reader's own data, mailed to them from the preferences page. */
export type DeliveryKind = 'recap' | 'confirm' | 'welcome' | 'signin' | 'test' | 'export';

export interface DeliveriesTable {
  id: Id;
  issue_id: string | null;
  subscriber_id: number | null;
  kind: DeliveryKind;
  priority: ColumnType<number, number | undefined, number>;
  to_email: string | null;
  to_name: string | null;
  payload: string | null;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  batch_id: number | null;
  resend_id: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  last_event_at: string | null;
  /** The reader's edition, frozen with the audience snapshot (topic bit mask; 0 = default). */
  edition: ColumnType<number, number | undefined, number>;
}

/** A story the weekly build ranked into the week's pool (migrations/0007). */
export interface IssuePoolTable {
  issue_id: string;
  event_id: number;
  rank: number;
  topics: ColumnType<string, string | undefined, string>;
  score: ColumnType<number, number | undefined, number>;
  score_breakdown: ColumnType<string, string | undefined, string>;
  merged_event_ids: ColumnType<string, string | undefined, string>;
  source_count: ColumnType<number, number | undefined, number>;
}

/** An edition of an issue as it goes out: its stories and its render with per-reader slots. */
export interface IssueEditionsTable {
  issue_id: string;
  edition: number;
  event_ids: string;
  html_snapshot: string;
  text_snapshot: string;
  readers: ColumnType<number, number | undefined, number>;
}

/** Delivery counts per issue and edition, kept by triggers on deliveries and subscribers (migrations/0009). */
export interface IssueFunnelCountsTable {
  issue_id: string;
  edition: number;
  accepted: ColumnType<number, number | undefined, number>;
  sent: ColumnType<number, number | undefined, number>;
  delivered: ColumnType<number, number | undefined, number>;
  delayed: ColumnType<number, number | undefined, number>;
  bounced: ColumnType<number, number | undefined, number>;
  complained: ColumnType<number, number | undefined, number>;
  failed: ColumnType<number, number | undefined, number>;
  suppressed: ColumnType<number, number | undefined, number>;
  unsubscribed: ColumnType<number, number | undefined, number>;
}

/** One row per reader and issue that soft-bounced (migrations/0009). */
export interface SoftBouncesTable {
  subscriber_id: number;
  issue_id: string;
  created_at: string;
}

export interface EditorsTable {
  id: Id;
  email: string;
  name: string | null;
  role: ColumnType<'admin' | 'editor', 'admin' | 'editor' | undefined, 'admin' | 'editor'>;
  created_at: string;
  last_login_at: string | null;
  disabled_at: string | null;
}

export interface LoginTokensTable {
  token_hash: string;
  editor_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  editor_id: number;
  csrf_token: string;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

/** Provider events (Resend webhooks) seen, by svix id. The table keeps the name `webhook_events`: applied migrations are frozen. */
export interface ProviderEventsTable {
  svix_id: string;
  type: string;
  received_at: string;
  payload: string;
}

export interface AuditLogTable {
  id: Id;
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: ColumnType<string, string | undefined, string>;
  created_at: string;
}

export interface JobLocksTable {
  name: string;
  owner: string;
  acquired_at: string;
  expires_at: string;
}

export interface JobRunsTable {
  name: string;
  last_run_at: string;
  last_result: string | null;
}

export interface FeedsTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

/** The dev mailbox (mail kept locally when no provider is set). Its table keeps the name `dev_outbox`: applied migrations are frozen. */
export interface DevMailboxTable {
  id: string;
  idempotency_key: string;
  position: number;
  from_addr: string;
  to_addr: string;
  subject: string;
  html: string;
  text: string;
  headers: string; // JSON
  tags: string; // JSON
  created_at: string;
}

/** A story link of a sent issue, frozen when it starts sending: what GET /r/:token may redirect to (0008). */
export interface IssueLinksTable {
  issue_id: string;
  event_id: number;
  url: string;
  title: string;
}

/** Clicks per story and edition, naming no reader (0008). */
export interface ClickCountsTable {
  issue_id: string;
  event_id: number;
  edition: ColumnType<number, number | undefined, number>;
  clicks: ColumnType<number, number | undefined, number>;
  scanner_clicks: ColumnType<number, number | undefined, number>;
  readers_folded: ColumnType<number, number | undefined, number>;
}

/** TRACKING=reader, consenting readers only: who clicked which story (0008); kept 180 days. */
export interface ClickReadersTable {
  issue_id: string;
  event_id: number;
  subscriber_id: number;
  edition: ColumnType<number, number | undefined, number>;
  clicks: ColumnType<number, number | undefined, number>;
  first_at: string;
  last_at: string;
}

/** Resend's email.opened / email.clicked webhooks per issue (0008). */
export interface ProviderEngagementTable {
  issue_id: string;
  type: string;
  count: ColumnType<number, number | undefined, number>;
}

export interface Database {
  dev_outbox: DevMailboxTable;
  events: EventsTable;
  subscribers: SubscribersTable;
  subscribers_search: SubscribersSearchTable;
  consents: ConsentsTable;
  issues: IssuesTable;
  issue_items: IssueItemsTable;
  issue_pool: IssuePoolTable;
  issue_editions: IssueEditionsTable;
  issue_funnel_counts: IssueFunnelCountsTable;
  soft_bounces: SoftBouncesTable;
  delivery_batches: DeliveryBatchesTable;
  deliveries: DeliveriesTable;
  editors: EditorsTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
  webhook_events: ProviderEventsTable;
  audit_log: AuditLogTable;
  job_locks: JobLocksTable;
  job_runs: JobRunsTable;
  feeds: FeedsTable;
  issue_links: IssueLinksTable;
  click_counts: ClickCountsTable;
  click_readers: ClickReadersTable;
  provider_engagement: ProviderEngagementTable;
}

export type DB = Kysely<Database>;
export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type SubscriberRow = Selectable<SubscribersTable>;
export type IssueRow = Selectable<IssuesTable>;
export type IssueUpdate = Updateable<IssuesTable>;
export type IssueItemRow = Selectable<IssueItemsTable>;
export type IssuePoolRow = Selectable<IssuePoolTable>;
export type IssueEditionRow = Selectable<IssueEditionsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type DeliveryBatchRow = Selectable<DeliveryBatchesTable>;

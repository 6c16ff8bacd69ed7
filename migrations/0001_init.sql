-- Initial schema for Weekly AI Recap. Applied files are frozen: change the schema in a new file.
-- Times are ISO-8601 UTC text from Date#toISOString(), so they sort and compare as strings.
-- JSON columns hold arrays/objects serialised by the repositories.

CREATE TABLE events (
  id               INTEGER PRIMARY KEY,
  external_id      TEXT NOT NULL UNIQUE,
  title            TEXT NOT NULL,
  url              TEXT NOT NULL,
  canonical_url    TEXT NOT NULL,
  source_name      TEXT NOT NULL,
  source_url       TEXT,
  published_at     TEXT NOT NULL,
  collected_at     TEXT NOT NULL,
  category         TEXT,
  topics           TEXT NOT NULL DEFAULT '[]',
  summary          TEXT,
  why_it_matters   TEXT,
  what_to_do_next  TEXT,
  who_should_care  TEXT,
  key_takeaways    TEXT NOT NULL DEFAULT '[]',
  image_url        TEXT,
  views            INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
  clicks           INTEGER NOT NULL DEFAULT 0 CHECK (clicks >= 0),
  shares           INTEGER NOT NULL DEFAULT 0 CHECK (shares >= 0),
  source_count     INTEGER NOT NULL DEFAULT 1 CHECK (source_count >= 0),
  editor_boost     REAL NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX events_published_at ON events (published_at);

CREATE TABLE subscribers (
  id                        INTEGER PRIMARY KEY,
  -- normalised address; NULL once erased (only email_hash remains)
  email                     TEXT UNIQUE,
  email_hash                TEXT NOT NULL UNIQUE,
  -- opaque id used in signed links, so tokens reveal neither the address nor the row number
  public_id                 TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
  name                      TEXT,
  status                    TEXT NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending','active','unsubscribed','bounced','complained','erased')),
  topics                    TEXT NOT NULL DEFAULT '[]',
  paused_until              TEXT,
  source                    TEXT,
  created_at                TEXT NOT NULL,
  updated_at                TEXT NOT NULL,
  confirmed_at              TEXT,
  unsubscribed_at           TEXT,
  last_confirmation_sent_at TEXT
);
CREATE INDEX subscribers_status ON subscribers (status, id);

CREATE TABLE consents (
  id            INTEGER PRIMARY KEY,
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  action        TEXT NOT NULL,          -- signup, confirm, unsubscribe, resubscribe, import, preferences
  source        TEXT NOT NULL,          -- form, api, import, one-click, editor …
  form_version  TEXT,
  ip_hash       TEXT,
  user_agent    TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX consents_subscriber ON consents (subscriber_id, id);

CREATE TABLE issues (
  id                TEXT PRIMARY KEY,     -- slug-like stable id, e.g. '2026-w48'
  week              TEXT NOT NULL UNIQUE, -- ISO week, e.g. '2026-W48'
  slug              TEXT NOT NULL UNIQUE,
  status            TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft','scheduled','sending','sent','canceled','failed')),
  subject           TEXT,                 -- NULL: use the generated default
  preheader         TEXT,
  intro             TEXT,                 -- Markdown written by the editor
  engine            TEXT NOT NULL DEFAULT 'react' CHECK (engine IN ('react','mjml')),
  default_subject   TEXT NOT NULL DEFAULT '',
  default_preheader TEXT NOT NULL DEFAULT '',
  scheduled_at      TEXT,
  schedule_source   TEXT CHECK (schedule_source IN ('auto','editor')),
  started_at        TEXT,
  sent_at           TEXT,
  canceled_at       TEXT,
  missed_at         TEXT,
  failure_reason    TEXT,
  paused_reason     TEXT,                 -- e.g. provider quota reached; cleared on resume
  resume_after      TEXT,
  -- frozen at send start so every retry sends byte-identical bodies
  html_snapshot     TEXT,
  text_snapshot     TEXT,
  subject_snapshot  TEXT,
  audience_total    INTEGER,
  built_at          TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX issues_due ON issues (status, scheduled_at);

-- Legal lifecycle moves, enforced by the database as well as the core.
CREATE TRIGGER issues_status_transition
BEFORE UPDATE OF status ON issues
WHEN NEW.status <> OLD.status AND NOT (
     (OLD.status = 'draft'     AND NEW.status IN ('scheduled','sending','canceled'))
  OR (OLD.status = 'scheduled' AND NEW.status IN ('draft','sending','canceled','failed'))
  OR (OLD.status = 'sending'   AND NEW.status IN ('sent','failed'))
  OR (OLD.status = 'canceled'  AND NEW.status IN ('draft'))
  OR (OLD.status = 'failed'    AND NEW.status IN ('draft'))
)
BEGIN
  SELECT RAISE(ABORT, 'illegal issue status transition');
END;

CREATE TABLE issue_items (
  id               INTEGER PRIMARY KEY,
  issue_id         TEXT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  event_id         INTEGER NOT NULL REFERENCES events (id),
  position         INTEGER NOT NULL,
  pinned           INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0,1)),
  excluded         INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0,1)),
  -- set when an editor moved the item; rebuilds keep it
  manual_position  INTEGER NOT NULL DEFAULT 0 CHECK (manual_position IN (0,1)),
  added_by         TEXT NOT NULL DEFAULT 'auto' CHECK (added_by IN ('auto','editor')),
  title_override   TEXT,
  blurb_override   TEXT,
  score            REAL NOT NULL DEFAULT 0,
  score_breakdown  TEXT NOT NULL DEFAULT '{}',
  merged_event_ids TEXT NOT NULL DEFAULT '[]',
  source_count     INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (issue_id, event_id)
);
CREATE INDEX issue_items_issue ON issue_items (issue_id, position);

-- The send outbox. One row per recipient of a recap (unique per issue and subscriber) or per
-- transactional mail. Members of a batch and its body are fixed when the batch is claimed.
CREATE TABLE delivery_batches (
  id               INTEGER PRIMARY KEY,
  issue_id         TEXT REFERENCES issues (id),
  kind             TEXT NOT NULL,              -- recap, transactional
  idempotency_key  TEXT NOT NULL UNIQUE,
  status           TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending','sent','held','failed')),
  body             TEXT,                       -- exact JSON handed to the provider, reused on retries
  size             INTEGER NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  lease_owner      TEXT,
  lease_expires_at TEXT,
  next_attempt_at  TEXT,
  first_attempt_at TEXT,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT
);
CREATE INDEX delivery_batches_status ON delivery_batches (status, next_attempt_at);

CREATE TABLE deliveries (
  id            INTEGER PRIMARY KEY,
  issue_id      TEXT REFERENCES issues (id),
  subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
  kind          TEXT NOT NULL,                 -- recap, confirm, welcome, signin, test
  priority      INTEGER NOT NULL DEFAULT 0,    -- higher goes first (transactional over bulk)
  to_email      TEXT,                          -- filled at claim time (recaps) or at enqueue (transactional)
  to_name       TEXT,                          -- frozen with to_email so a retried batch is byte-identical
  payload       TEXT,                          -- transactional: {subject, html, text, headers, tags}
  status        TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued','claimed','sent','delivered','delayed','bounced','complained','failed','suppressed')),
  batch_id      INTEGER REFERENCES delivery_batches (id),
  resend_id     TEXT,
  error         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  sent_at       TEXT,
  last_event_at TEXT
);
CREATE UNIQUE INDEX deliveries_issue_subscriber ON deliveries (issue_id, subscriber_id)
  WHERE kind = 'recap';
CREATE INDEX deliveries_queue ON deliveries (status, priority DESC, id);
CREATE INDEX deliveries_batch ON deliveries (batch_id);
CREATE INDEX deliveries_resend ON deliveries (resend_id);
CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);

CREATE TABLE editors (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  name          TEXT,
  role          TEXT NOT NULL DEFAULT 'editor' CHECK (role IN ('admin','editor')),
  created_at    TEXT NOT NULL,
  last_login_at TEXT,
  disabled_at   TEXT
);

-- Magic-link sign-in tokens (stored hashed) and sessions (stored hashed).
CREATE TABLE login_tokens (
  token_hash TEXT PRIMARY KEY,
  editor_id  INTEGER NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);

CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,
  editor_id    INTEGER NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  user_agent   TEXT,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE webhook_events (
  svix_id     TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  received_at TEXT NOT NULL,
  payload     TEXT NOT NULL
);
CREATE INDEX webhook_events_received ON webhook_events (received_at);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  actor       TEXT NOT NULL,                   -- editor email, 'api-token', 'system'
  action      TEXT NOT NULL,
  target_type TEXT,
  target_id   TEXT,
  details     TEXT NOT NULL DEFAULT '{}',
  created_at  TEXT NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);

-- Leases: one runner per job across processes sharing the database.
CREATE TABLE job_locks (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);

-- Last completed run of each scheduled job, for catch-up after downtime.
CREATE TABLE job_runs (
  name        TEXT PRIMARY KEY,
  last_run_at TEXT NOT NULL,
  last_result TEXT
);

-- Conditional-GET state per feed.
CREATE TABLE feeds (
  url             TEXT PRIMARY KEY,
  etag            TEXT,
  last_modified   TEXT,
  last_fetched_at TEXT,
  last_status     INTEGER,
  last_error      TEXT
);

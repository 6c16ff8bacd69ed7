-- The dev outbox: where mail goes when no RESEND_API_KEY is set, browsable by editors.
CREATE TABLE dev_outbox (
  id              TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL,
  position        INTEGER NOT NULL,
  from_addr       TEXT NOT NULL,
  to_addr         TEXT NOT NULL,
  subject         TEXT NOT NULL,
  html            TEXT NOT NULL,
  text            TEXT NOT NULL,
  headers         TEXT NOT NULL DEFAULT '{}',
  tags            TEXT NOT NULL DEFAULT '[]',
  created_at      TEXT NOT NULL,
  UNIQUE (idempotency_key, position)
);
CREATE INDEX dev_outbox_created ON dev_outbox (created_at);
CREATE INDEX dev_outbox_to ON dev_outbox (to_addr);

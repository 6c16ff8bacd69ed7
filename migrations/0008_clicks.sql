-- Click measurement (issue 16). Story links in a sent recap go through GET /r/:token, a signed token naming the issue,
-- the edition and the story (never a URL). What that redirect may point at is frozen here when the issue starts
-- sending, so a later edit of a story's URL cannot turn old mails into redirects elsewhere.
CREATE TABLE issue_links (
  issue_id TEXT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  url      TEXT NOT NULL,                        -- as the mail would have linked it (with UTM tags)
  title    TEXT NOT NULL,
  PRIMARY KEY (issue_id, event_id)
);

-- Clicks per story and edition, with nothing about who: what TRACKING=aggregate stores, and every mode's total.
-- scanner_clicks are HEAD requests, known link-scanner user agents and clicks within seconds of the send.
-- readers_folded: unique readers of per-reader rows past their retention, folded in before those rows are deleted.
CREATE TABLE click_counts (
  issue_id       TEXT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  event_id       INTEGER NOT NULL,
  edition        INTEGER NOT NULL DEFAULT 0,
  clicks         INTEGER NOT NULL DEFAULT 0,
  scanner_clicks INTEGER NOT NULL DEFAULT 0,
  readers_folded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (issue_id, event_id, edition)
);

-- TRACKING=reader only, for readers who consented: who clicked which story of which issue (first and last time,
-- how often). Kept 180 days (housekeeping folds them into click_counts.readers_folded), deleted on erasure and
-- when the reader withdraws consent.
CREATE TABLE click_readers (
  issue_id      TEXT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  event_id      INTEGER NOT NULL,
  subscriber_id INTEGER NOT NULL,
  edition       INTEGER NOT NULL DEFAULT 0,
  clicks        INTEGER NOT NULL DEFAULT 1,
  first_at      TEXT NOT NULL,
  last_at       TEXT NOT NULL,
  PRIMARY KEY (issue_id, event_id, subscriber_id)
);
CREATE INDEX click_readers_subscriber ON click_readers (subscriber_id);
CREATE INDEX click_readers_last_at ON click_readers (last_at);

-- Resend's own email.opened / email.clicked webhooks per issue, counted as they arrive (their ids are pruned after
-- 7 days, the counts are not). Provider-reported: opens are inflated by Apple Mail Privacy Protection.
CREATE TABLE provider_engagement (
  issue_id TEXT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  type     TEXT NOT NULL,                        -- 'opened' or 'clicked'
  count    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (issue_id, type)
);

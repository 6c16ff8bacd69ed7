-- The delivery funnel and the sender's guards (issue 16).
--
-- Counts per (issue, edition) are kept by triggers rather than counted on each page load: a GROUP BY over a 1M-reader
-- issue reads a million rows, and the provider's events (delivered, bounced, complained) keep arriving for days after
-- the issue finished, so counts computed once at the end would go stale. The triggers fire inside the statement that
-- changes a delivery, on SQLite and D1 alike, so every path (batch results, webhooks, claim-time suppression, erasure)
-- keeps them exact without code of its own, and the counters outlive any later purge of delivery rows.
-- Only settled statuses are counted: queued and claimed are what audience_total minus these is.
CREATE TABLE issue_funnel_counts (
  issue_id     TEXT NOT NULL,
  edition      INTEGER NOT NULL,
  accepted     INTEGER NOT NULL DEFAULT 0,   -- the provider gave an id (accepted the mail)
  sent         INTEGER NOT NULL DEFAULT 0,   -- accepted, no later event yet
  delivered    INTEGER NOT NULL DEFAULT 0,
  delayed      INTEGER NOT NULL DEFAULT 0,   -- includes soft bounces
  bounced      INTEGER NOT NULL DEFAULT 0,   -- hard bounces
  complained   INTEGER NOT NULL DEFAULT 0,
  failed       INTEGER NOT NULL DEFAULT 0,
  suppressed   INTEGER NOT NULL DEFAULT 0,
  unsubscribed INTEGER NOT NULL DEFAULT 0,   -- readers who left within 7 days after this issue reached them
  PRIMARY KEY (issue_id, edition)
) WITHOUT ROWID;

CREATE TRIGGER deliveries_funnel_counts
AFTER UPDATE OF status ON deliveries
WHEN NEW.kind = 'recap' AND NEW.issue_id IS NOT NULL AND NEW.status <> OLD.status
BEGIN
  INSERT INTO issue_funnel_counts (issue_id, edition) VALUES (NEW.issue_id, NEW.edition) ON CONFLICT DO NOTHING;
  UPDATE issue_funnel_counts SET
    accepted   = accepted + (OLD.resend_id IS NULL AND NEW.resend_id IS NOT NULL),
    sent       = sent + (NEW.status = 'sent') - (OLD.status = 'sent'),
    delivered  = delivered + (NEW.status = 'delivered') - (OLD.status = 'delivered'),
    delayed    = delayed + (NEW.status = 'delayed') - (OLD.status = 'delayed'),
    bounced    = bounced + (NEW.status = 'bounced') - (OLD.status = 'bounced'),
    complained = complained + (NEW.status = 'complained') - (OLD.status = 'complained'),
    failed     = failed + (NEW.status = 'failed') - (OLD.status = 'failed'),
    suppressed = suppressed + (NEW.status = 'suppressed') - (OLD.status = 'suppressed')
  WHERE issue_id = NEW.issue_id AND edition = NEW.edition;
END;

-- The unsubscribe link names the reader, not the issue (the same link in every mail, and List-Unsubscribe must stay
-- stable), so an unsubscribe is attributed to the latest issue the reader was sent in the 7 days before it.
CREATE TRIGGER subscribers_unsubscribe_funnel
AFTER UPDATE OF status ON subscribers
WHEN NEW.status = 'unsubscribed' AND OLD.status <> 'unsubscribed' AND NEW.unsubscribed_at IS NOT NULL
BEGIN
  INSERT INTO issue_funnel_counts (issue_id, edition, unsubscribed)
  SELECT issue_id, edition, 1 FROM deliveries
  WHERE subscriber_id = NEW.id AND kind = 'recap' AND issue_id IS NOT NULL AND sent_at IS NOT NULL
    AND sent_at <= NEW.unsubscribed_at AND sent_at > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.unsubscribed_at, '-7 days')
  ORDER BY sent_at DESC LIMIT 1
  ON CONFLICT (issue_id, edition) DO UPDATE SET unsubscribed = unsubscribed + 1;
END;

-- What was there before this migration, counted once.
INSERT INTO issue_funnel_counts (issue_id, edition, accepted, sent, delivered, delayed, bounced, complained, failed, suppressed)
SELECT issue_id, edition, sum(resend_id IS NOT NULL), sum(status = 'sent'), sum(status = 'delivered'), sum(status = 'delayed'),
       sum(status = 'bounced'), sum(status = 'complained'), sum(status = 'failed'), sum(status = 'suppressed')
FROM deliveries WHERE kind = 'recap' AND issue_id IS NOT NULL AND status NOT IN ('queued', 'claimed')
GROUP BY issue_id, edition;

INSERT INTO issue_funnel_counts (issue_id, edition, unsubscribed)
SELECT d.issue_id, d.edition, count(*) FROM subscribers s
JOIN deliveries d ON d.id = (
  SELECT id FROM deliveries
  WHERE subscriber_id = s.id AND kind = 'recap' AND issue_id IS NOT NULL AND sent_at IS NOT NULL
    AND sent_at <= s.unsubscribed_at AND sent_at > strftime('%Y-%m-%dT%H:%M:%fZ', s.unsubscribed_at, '-7 days')
  ORDER BY sent_at DESC LIMIT 1)
WHERE s.status = 'unsubscribed' AND s.unsubscribed_at IS NOT NULL
GROUP BY d.issue_id, d.edition
ON CONFLICT (issue_id, edition) DO UPDATE SET unsubscribed = excluded.unsubscribed;

-- Soft bounces (transient: mailbox full, greylisting) per reader and issue. One row per issue however often the
-- provider retried, so "three issues" means three different sends.
CREATE TABLE soft_bounces (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  issue_id      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, issue_id)
) WITHOUT ROWID;

-- Why an address is no longer mailed (hard bounce, complaint, provider suppression, repeated soft bounces).
ALTER TABLE subscribers ADD COLUMN suppressed_reason TEXT;

-- A guard's pause (complaints or bounces over their threshold) is an editor hold (resume_after far in the future);
-- guard_paused names which guard, and guards_cleared lists the guards an editor resumed past for this send, so the
-- same guard does not trip again at once on the rate they accepted (the stop threshold still applies).
ALTER TABLE issues ADD COLUMN guard_paused TEXT CHECK (guard_paused IN ('complaints', 'bounces'));
ALTER TABLE issues ADD COLUMN guards_cleared TEXT NOT NULL DEFAULT '';

-- Each reader's own edition (issue 15). The week's pool holds the best stories beyond the default edition; an edition
-- is a topic set as a bit mask (bit i = the i-th topic of src/shared/topics.ts; 0 = the default edition, for readers
-- with no topics or all of them), rendered once per issue and frozen, and each delivery row is given its edition
-- when the audience is snapshotted, so a reader who changes topics mid-send gets the new choice from the next issue.

-- Stories the weekly build ranked for the pool (best first by rank). What readers get is computed from these and the
-- curated items at send time: excluded items never appear, pinned and editor-added items are in the pool too.
CREATE TABLE issue_pool (
  issue_id         TEXT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  event_id         INTEGER NOT NULL REFERENCES events (id),
  rank             INTEGER NOT NULL,
  topics           TEXT NOT NULL DEFAULT '[]',   -- JSON, lower case: the story matches readers of any of them
  score            REAL NOT NULL DEFAULT 0,
  score_breakdown  TEXT NOT NULL DEFAULT '{}',
  merged_event_ids TEXT NOT NULL DEFAULT '[]',
  source_count     INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (issue_id, event_id)
);

-- One row per edition that goes out, written when the issue starts sending: its stories in mail order and its render
-- with per-reader slots. The default edition is row 0 too (its render is also in issues.html_snapshot, as before).
CREATE TABLE issue_editions (
  issue_id      TEXT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  edition       INTEGER NOT NULL,
  event_ids     TEXT NOT NULL,                   -- JSON, in mail order
  html_snapshot TEXT NOT NULL,
  text_snapshot TEXT NOT NULL,
  readers       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (issue_id, edition)
);

-- Which edition a delivery sends; a constant default, so adding it rewrites no row.
ALTER TABLE deliveries ADD COLUMN edition INTEGER NOT NULL DEFAULT 0;

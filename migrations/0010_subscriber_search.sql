-- Substring search for the editors (issue 18): an FTS5 index of trigrams over each reader's address and name, so a
-- search reads the rows that match instead of testing LIKE '%…%' against every row. Contentless (the text stays in
-- `subscribers` only) with contentless_delete, so a row leaves the index by rowid; 'secure-delete' removes its
-- tokens from the index at once instead of leaving them for a later merge, so an erased reader's address and name
-- leave no trace in the index either (and PRAGMA secure_delete zeroes the pages that frees). Triggers keep it in step
-- with every insert, update of the address or name, and delete. SQLite and D1 alike (FTS5 with the trigram tokenizer,
-- contentless_delete and secure-delete run in workerd's D1 too).
CREATE VIRTUAL TABLE subscribers_search USING fts5(email, name, content = '', contentless_delete = 1, tokenize = 'trigram');
INSERT INTO subscribers_search (subscribers_search, rank) VALUES ('secure-delete', 1);
INSERT INTO subscribers_search (rowid, email, name)
  SELECT id, email, name FROM subscribers WHERE email IS NOT NULL OR name IS NOT NULL;

CREATE TRIGGER subscribers_search_insert AFTER INSERT ON subscribers
  WHEN new.email IS NOT NULL OR new.name IS NOT NULL
BEGIN
  INSERT INTO subscribers_search (rowid, email, name) VALUES (new.id, new.email, new.name);
END;

CREATE TRIGGER subscribers_search_update AFTER UPDATE OF email, name ON subscribers
  WHEN old.email IS NOT new.email OR old.name IS NOT new.name
BEGIN
  DELETE FROM subscribers_search WHERE rowid = old.id;
  INSERT INTO subscribers_search (rowid, email, name)
    SELECT new.id, new.email, new.name WHERE new.email IS NOT NULL OR new.name IS NOT NULL;
END;

CREATE TRIGGER subscribers_search_delete AFTER DELETE ON subscribers
BEGIN
  DELETE FROM subscribers_search WHERE rowid = old.id;
END;

-- What a recap batch's body was built from that is not frozen in its issue or delivery rows (sender, reply-to, public
-- URL: JSON), written with its first attempt, so a retry after a deploy that changed MAIL_FROM or PUBLIC_URL rebuilds
-- the same bytes under the same idempotency key. `body` (0001) now holds a batch's request as first sent, kept while
-- its outcome is unknown: the JSON body as TEXT, or raw DEFLATE of it (a BLOB) when large; dropped once settled.
ALTER TABLE delivery_batches ADD COLUMN frame TEXT;

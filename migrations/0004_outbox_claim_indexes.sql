-- The recap claim (issue, queued, in id order) reads only queued rows of the issue, in order: O(batch), not O(audience).
CREATE INDEX deliveries_recap_queued ON deliveries (issue_id, id) WHERE kind = 'recap' AND status = 'queued';
-- "Any transactional mail queued?" is asked before every batch; through deliveries_queue it walks every queued recap.
CREATE INDEX deliveries_tx_queue ON deliveries (status, priority DESC, id) WHERE issue_id IS NULL;

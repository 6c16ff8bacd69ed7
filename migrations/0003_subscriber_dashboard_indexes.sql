-- Indexes for the editor dashboard's growth chart and counts at a million subscribers.
CREATE INDEX subscribers_confirmed_at ON subscribers (confirmed_at);
CREATE INDEX subscribers_unsubscribed_at ON subscribers (unsubscribed_at);

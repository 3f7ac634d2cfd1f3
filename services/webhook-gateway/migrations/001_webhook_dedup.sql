-- The webhook gateway's deduplication of deliveries, shared by its replicas and kept across restarts
-- (the gateway applies this folder at start-up, under an advisory lock, recorded in
-- webhook_gateway_migrations; see services/webhook-gateway/README.md).
--   pending:  an attempt (claimed_by, a replica) is publishing the delivery since claimed_at;
--   accepted: its Kafka transaction committed at accepted_at; repeats within the window answer 200.
-- Rows older than the window are deleted by the gateway.
CREATE TABLE IF NOT EXISTS webhook_dedup (
  delivery_id text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('pending', 'accepted')),
  claimed_by text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  accepted_at timestamptz
);
CREATE INDEX IF NOT EXISTS webhook_dedup_claimed_at_idx ON webhook_dedup (claimed_at);

-- The scheduler's own tables (ADR 0012), apart from the projector's read models.
-- Sync requests made through the admin API, the dashboard and the cron endpoint: what coalescing
-- reads (a source's queued or running sync).
CREATE TABLE tributary_sync_requests (
  sync_id text PRIMARY KEY,
  source text NOT NULL,
  mode text NOT NULL,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tributary_sync_requests_source_idx ON tributary_sync_requests (source, requested_at DESC);

-- What each slot of the external cron endpoint requested (slot/source/mode -> the sync it got,
-- new or coalesced): a repeated call for a slot answers the same ids and requests nothing.
CREATE TABLE tributary_cron_slots (
  slot_key text PRIMARY KEY,
  sync_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- ADR 0024: drift seen by sync runs, and the outbox of deletion events.

-- Observations of a run older than the stored version of their row (the source answered older
-- than what is stored: a restore from backup, a clock skew): counted per run and entity.
ALTER TABLE sync_log ADD COLUMN records_drifted integer NOT NULL DEFAULT 0;

-- Rows a deletion sweep marked, queued in the sweep's transaction, published as RecordDeleted on
-- the entity topic by the relay, then removed. One row per (table, id, run): queuing twice is a no-op.
CREATE TABLE projector_deletion_outbox (
  seq bigserial PRIMARY KEY,
  topic text NOT NULL,
  source text NOT NULL,
  entity text NOT NULL,
  record_id text NOT NULL,
  sync_id text NOT NULL,
  deleted_at timestamptz NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (topic, record_id, sync_id)
);

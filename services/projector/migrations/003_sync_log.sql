-- Every sync run (scheduled, manual, API, CLI) and one row per entity per run, projected from
-- sync.events and from the records themselves. A run's entity is `completed` only when every record
-- it fetched has been projected (inserted + updated + unchanged + failed = fetched).
CREATE TABLE sync_runs (
  sync_id text PRIMARY KEY,
  source text NOT NULL,
  sync_type text NOT NULL,
  trigger text,
  requested_by text,
  entities text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'running',
  error_message text,
  started_at timestamptz NOT NULL DEFAULT now(),
  ingest_completed_at timestamptz,
  completed_at timestamptz
);
CREATE INDEX sync_runs_source_started_idx ON sync_runs (source, started_at DESC);

CREATE TABLE sync_log (
  id bigserial PRIMARY KEY,
  sync_id text NOT NULL,
  source text NOT NULL,
  entity_type text NOT NULL,
  sync_type text,
  started_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  status text NOT NULL DEFAULT 'running',
  records_fetched integer,
  records_inserted integer NOT NULL DEFAULT 0,
  records_updated integer NOT NULL DEFAULT 0,
  records_unchanged integer NOT NULL DEFAULT 0,
  records_failed integer NOT NULL DEFAULT 0,
  pages integer,
  total_pages integer,
  records_seen integer NOT NULL DEFAULT 0,
  high_water_mark text,
  fetch_failed boolean NOT NULL DEFAULT false,
  error_message text,
  UNIQUE (sync_id, entity_type)
);
CREATE INDEX sync_log_source_started_idx ON sync_log (source, started_at DESC);

CREATE VIEW repcard_sync_log AS
  SELECT id, sync_id, entity_type, sync_type, started_at, completed_at, status, records_fetched,
         records_inserted, records_updated, records_unchanged, records_failed, pages, high_water_mark, error_message
  FROM sync_log WHERE source = 'repcard';

CREATE VIEW curagenesis_sync_log AS
  SELECT id, sync_id, entity_type, sync_type, started_at, completed_at, status, records_fetched,
         records_inserted, records_updated, records_unchanged, records_failed, pages, high_water_mark, error_message
  FROM sync_log WHERE source = 'curagenesis';

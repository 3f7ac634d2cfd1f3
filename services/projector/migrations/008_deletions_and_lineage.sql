-- Deletion detection and lineage (issue 13, ADR 0018).
--
-- Every entity table (the seven repcard_* tables, curagenesis_practices, curagenesis_orders) gets:
--   deleted_at          soft delete: the start of the complete full sync that no longer found the
--                       record at the source (or the time a removal was announced); NULL = live
--   deleted_by_sync_id  that sync run
--   last_seen_at        the newest observation time (poll or webhook) of the record, moved on even
--                       when the version guard leaves the row's data unchanged: the evidence the
--                       deletion sweep reads (NULL: not observed since this migration)
--   _source_topic, _source_partition, _source_offset
--                       the Kafka event that last wrote the row's data (lineage)
--   _observed_via       how that event observed the record: poll | webhook (re-fetch | repair later)
--   _observed_at        when it was observed
-- and a view <table>_live (WHERE deleted_at IS NULL) with the same columns.
ALTER TABLE repcard_users
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW repcard_users_live AS SELECT * FROM repcard_users WHERE deleted_at IS NULL;

ALTER TABLE repcard_offices
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW repcard_offices_live AS SELECT * FROM repcard_offices WHERE deleted_at IS NULL;

ALTER TABLE repcard_customers
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW repcard_customers_live AS SELECT * FROM repcard_customers WHERE deleted_at IS NULL;

ALTER TABLE repcard_appointments
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW repcard_appointments_live AS SELECT * FROM repcard_appointments WHERE deleted_at IS NULL;

ALTER TABLE repcard_status_logs
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW repcard_status_logs_live AS SELECT * FROM repcard_status_logs WHERE deleted_at IS NULL;

ALTER TABLE repcard_customer_attachments
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW repcard_customer_attachments_live AS SELECT * FROM repcard_customer_attachments WHERE deleted_at IS NULL;

ALTER TABLE repcard_appointment_attachments
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW repcard_appointment_attachments_live AS SELECT * FROM repcard_appointment_attachments WHERE deleted_at IS NULL;

ALTER TABLE curagenesis_practices
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW curagenesis_practices_live AS SELECT * FROM curagenesis_practices WHERE deleted_at IS NULL;

ALTER TABLE curagenesis_orders
  ADD COLUMN deleted_at timestamptz, ADD COLUMN deleted_by_sync_id text, ADD COLUMN last_seen_at timestamptz,
  ADD COLUMN _source_topic text, ADD COLUMN _source_partition integer, ADD COLUMN _source_offset bigint,
  ADD COLUMN _observed_via text, ADD COLUMN _observed_at timestamptz;
CREATE VIEW curagenesis_orders_live AS SELECT * FROM curagenesis_orders WHERE deleted_at IS NULL;

-- One row per (sync run, entity) whose ingest read the whole entity (a full sync without a date
-- window, every page without error: EntityCompleted.wholeEntity). `pending` until every record of
-- that run is projected (its sync_log row `completed`); then the sweep marks the unseen rows
-- deleted (`marked`) or says why it did not (`skipped`, `note`), in the transaction that settled it.
CREATE TABLE projector_deletion_sweeps (
  sync_id text NOT NULL,
  source text NOT NULL,
  entity text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'marked', 'skipped')),
  -- rows not deleted before the sweep, and those of them the run did not see
  live_rows integer,
  unseen_rows integer,
  marked integer,
  max_ratio numeric,
  note text,
  swept_at timestamptz,
  PRIMARY KEY (sync_id, entity)
);
CREATE INDEX projector_deletion_sweeps_pending_idx ON projector_deletion_sweeps (sync_id) WHERE status = 'pending';

-- What a run's entity did about deletions, beside its counts (the run's report says why when nothing was marked).
ALTER TABLE sync_log
  ADD COLUMN records_deleted integer,
  ADD COLUMN deletion_note text;

-- The KPIs count live rows only (same columns as before).
CREATE OR REPLACE VIEW curagenesis_kpi_total_orders AS
  SELECT count(*)::bigint AS total_orders,
         COALESCE(sum(total_amount), 0)::numeric AS revenue,
         count(*) FILTER (WHERE paid)::bigint AS paid_orders,
         COALESCE(sum(invoice_total_due), 0)::numeric AS outstanding
  FROM curagenesis_orders WHERE deleted_at IS NULL;

CREATE OR REPLACE VIEW curagenesis_kpi_active_practices AS
  SELECT count(*) FILTER (WHERE activated_at IS NOT NULL)::bigint AS active_practices,
         count(*)::bigint AS total_practices
  FROM curagenesis_practices WHERE deleted_at IS NULL;

CREATE OR REPLACE VIEW curagenesis_kpi_geographic_distribution AS
  WITH per_practice AS (
    SELECT practice_id, count(*) AS orders, sum(total_amount) AS revenue
    FROM curagenesis_orders WHERE deleted_at IS NULL GROUP BY practice_id
  )
  SELECT p.state,
         count(*)::bigint AS practices,
         count(*) FILTER (WHERE p.activated_at IS NOT NULL)::bigint AS active_practices,
         COALESCE(sum(o.orders), 0)::bigint AS orders,
         COALESCE(sum(o.revenue), 0)::numeric AS revenue
  FROM curagenesis_practices p
  LEFT JOIN per_practice o ON o.practice_id = p.practice_id
  WHERE p.deleted_at IS NULL
  GROUP BY p.state;

CREATE OR REPLACE VIEW curagenesis_kpi_sales_rep_performance AS
  WITH per_practice AS (
    SELECT practice_id, count(*) AS orders, sum(total_amount) AS revenue
    FROM curagenesis_orders WHERE deleted_at IS NULL GROUP BY practice_id
  )
  SELECT p.sales_rep,
         count(*)::bigint AS practices,
         count(*) FILTER (WHERE p.activated_at IS NOT NULL)::bigint AS active_practices,
         COALESCE(sum(o.orders), 0)::bigint AS orders,
         COALESCE(sum(o.revenue), 0)::numeric AS revenue
  FROM curagenesis_practices p
  LEFT JOIN per_practice o ON o.practice_id = p.practice_id
  WHERE p.deleted_at IS NULL
  GROUP BY p.sales_rep;

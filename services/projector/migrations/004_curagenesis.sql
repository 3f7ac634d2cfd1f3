-- CuraGenesis read models, projected from curagenesis.practices.v1 / curagenesis.orders.v1 (records
-- observed by polling and by webhooks) and curagenesis.webhooks.v1 (every verified delivery).
-- Upserts are monotonic across both paths: `version_at` is the record's source update time, or its
-- observation time when the source sends none (CuraGenesis sends none), so a late poll never
-- overwrites a newer webhook update and the reverse. `last_source` says which path wrote last.
-- A polled record's `raw_data` is the record exactly as the API served it; a webhook's (partial)
-- payload is merged into it until the next poll replaces it.

CREATE TABLE curagenesis_practices (
  id bigserial PRIMARY KEY,
  practice_id text NOT NULL UNIQUE,
  user_id text,
  cura_intake_id text,
  state text,
  specialty text,
  sales_rep text,
  total_orders integer,
  activated_at timestamptz,
  -- `updatedAt` when the API sends one (a simulator assumption, not in the public material).
  source_updated_at timestamptz,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_source text NOT NULL CHECK (last_source IN ('poll', 'webhook')),
  last_sync_id text,
  last_delivery_id text,
  synced_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX curagenesis_practices_user_idx ON curagenesis_practices (user_id);
CREATE INDEX curagenesis_practices_state_idx ON curagenesis_practices (state);
CREATE INDEX curagenesis_practices_sales_rep_idx ON curagenesis_practices (sales_rep);

CREATE TABLE curagenesis_orders (
  id bigserial PRIMARY KEY,
  order_id text NOT NULL UNIQUE,
  -- The practice's source id as the order names it; `practice_ref` is linked once the practice is here.
  practice_id text,
  practice_ref bigint REFERENCES curagenesis_practices (id),
  -- The practice's user (webhook orders name the user; an order without a practice id is linked through it).
  user_id text,
  rep_id text,
  total_amount numeric,
  order_date timestamptz,
  invoice_id text,
  invoice_total_due numeric,
  invoice_due_date date,
  paid boolean,
  cost_of_goods numeric,
  commission_amount numeric,
  -- Only webhooks carry a status (the financials endpoint has none).
  status text,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_source text NOT NULL CHECK (last_source IN ('poll', 'webhook')),
  last_sync_id text,
  last_delivery_id text,
  synced_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX curagenesis_orders_practice_idx ON curagenesis_orders (practice_id);
CREATE INDEX curagenesis_orders_practice_ref_idx ON curagenesis_orders (practice_ref);
CREATE INDEX curagenesis_orders_order_date_idx ON curagenesis_orders (order_date);
CREATE INDEX curagenesis_orders_unlinked_user_idx ON curagenesis_orders (user_id) WHERE practice_id IS NULL;

-- Order lines (only the order-placed webhook carries them). A newer version of an order that carries
-- items replaces its lines; an older or equal one changes nothing.
CREATE TABLE curagenesis_order_items (
  id bigserial PRIMARY KEY,
  order_id text NOT NULL,
  line_no integer NOT NULL,
  sku text,
  product_name text,
  quantity numeric,
  unit_price numeric,
  version_at timestamptz NOT NULL,
  synced_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, line_no)
);

-- Every verified delivery, once: a delivery seen again (a replay, a retry) changes nothing.
CREATE TABLE curagenesis_webhook_deliveries (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL UNIQUE,
  endpoint text NOT NULL,
  event text NOT NULL,
  known boolean NOT NULL,
  signature_scheme text NOT NULL,
  webhook_timestamp timestamptz,
  received_at timestamptz NOT NULL,
  body jsonb NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX curagenesis_webhook_deliveries_received_idx ON curagenesis_webhook_deliveries (received_at DESC);
CREATE INDEX curagenesis_webhook_deliveries_event_idx ON curagenesis_webhook_deliveries (event);

-- Dashboard notifications, created once per order placed / practice activation (`dedupe_key`), only
-- from deliveries seen for the first time; announced on commit with NOTIFY.
CREATE TABLE curagenesis_notifications (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('order_placed', 'practice_activated')),
  dedupe_key text NOT NULL UNIQUE,
  practice_id text,
  order_id text,
  delivery_id text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX curagenesis_notifications_unread_idx ON curagenesis_notifications (created_at DESC) WHERE read_at IS NULL;

-- KPI views (dashboard). Orders count towards a practice by its source id, so an order whose practice
-- has not arrived yet counts in the totals but not in the per-state / per-rep breakdowns.
CREATE VIEW curagenesis_kpi_total_orders AS
  SELECT count(*)::bigint AS total_orders,
         COALESCE(sum(total_amount), 0)::numeric AS revenue,
         count(*) FILTER (WHERE paid)::bigint AS paid_orders,
         COALESCE(sum(invoice_total_due), 0)::numeric AS outstanding
  FROM curagenesis_orders;

CREATE VIEW curagenesis_kpi_active_practices AS
  SELECT count(*) FILTER (WHERE activated_at IS NOT NULL)::bigint AS active_practices,
         count(*)::bigint AS total_practices
  FROM curagenesis_practices;

CREATE VIEW curagenesis_kpi_geographic_distribution AS
  WITH per_practice AS (
    SELECT practice_id, count(*) AS orders, sum(total_amount) AS revenue
    FROM curagenesis_orders GROUP BY practice_id
  )
  SELECT p.state,
         count(*)::bigint AS practices,
         count(*) FILTER (WHERE p.activated_at IS NOT NULL)::bigint AS active_practices,
         COALESCE(sum(o.orders), 0)::bigint AS orders,
         COALESCE(sum(o.revenue), 0)::numeric AS revenue
  FROM curagenesis_practices p
  LEFT JOIN per_practice o ON o.practice_id = p.practice_id
  GROUP BY p.state;

CREATE VIEW curagenesis_kpi_sales_rep_performance AS
  WITH per_practice AS (
    SELECT practice_id, count(*) AS orders, sum(total_amount) AS revenue
    FROM curagenesis_orders GROUP BY practice_id
  )
  SELECT p.sales_rep,
         count(*)::bigint AS practices,
         count(*) FILTER (WHERE p.activated_at IS NOT NULL)::bigint AS active_practices,
         COALESCE(sum(o.orders), 0)::bigint AS orders,
         COALESCE(sum(o.revenue), 0)::numeric AS revenue
  FROM curagenesis_practices p
  LEFT JOIN per_practice o ON o.practice_id = p.practice_id
  GROUP BY p.sales_rep;

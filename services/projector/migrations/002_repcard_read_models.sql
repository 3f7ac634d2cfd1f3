-- RepCard read models. Table and column names follow the old system's documentation
-- (shared/seeds/repcard-comprehensive-sync.md) so that its queries run as written.
-- Every table: local `id`, the source id (unique), `raw_data` (the record as received), `synced_at`,
-- and `version_at` (source updatedAt, or observation time when the API sends none) that keeps
-- upserts monotonic: an older version never overwrites a newer one.

CREATE TABLE repcard_users (
  id bigserial PRIMARY KEY,
  repcard_user_id bigint NOT NULL UNIQUE,
  first_name text,
  last_name text,
  email text,
  username text,
  phone_number text,
  office_id bigint,
  office_name text,
  team_id bigint,
  team_name text,
  job_title text,
  image_url text,
  rating numeric,
  bio text,
  company_name text,
  badge_id text,
  qr_code text,
  external_id text,
  status integer,
  role text,
  first_verified_door_knock_at timestamptz,
  first_appointment_at timestamptz,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_sync_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repcard_users_email_idx ON repcard_users (lower(email));

CREATE TABLE repcard_offices (
  id bigserial PRIMARY KEY,
  repcard_office_id bigint NOT NULL UNIQUE,
  name text,
  email text,
  address text,
  city text,
  state text,
  zip text,
  phone text,
  logo_url text,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_sync_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  synced_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE repcard_customers (
  id bigserial PRIMARY KEY,
  repcard_customer_id bigint NOT NULL UNIQUE,
  name text,
  first_name text,
  last_name text,
  email text,
  country_code text,
  phone text,
  status_id bigint,
  status_title text,
  address text,
  address2 text,
  city text,
  state text,
  zip text,
  latitude double precision,
  longitude double precision,
  external_id text,
  customer_type text,
  setter_user_id bigint,
  owner_user_id bigint,
  company_id bigint,
  contact_source text,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_sync_id text,
  created_at timestamptz,
  updated_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repcard_customers_updated_idx ON repcard_customers (updated_at);

CREATE TABLE repcard_appointments (
  id bigserial PRIMARY KEY,
  repcard_appointment_id bigint NOT NULL UNIQUE,
  customer_id bigint REFERENCES repcard_customers (id),
  repcard_customer_id bigint,
  setter_user_id bigint,
  closer_user_id bigint,
  title text,
  notes text,
  calendar_id bigint,
  scheduled_at timestamptz,
  scheduled_end_at timestamptz,
  start_at_local text,
  end_at_local text,
  timezone text,
  location text,
  disposition text,
  status_id bigint,
  status_category text,
  duration text,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_sync_id text,
  created_at timestamptz,
  updated_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repcard_appointments_customer_idx ON repcard_appointments (repcard_customer_id);
CREATE INDEX repcard_appointments_customer_fk_idx ON repcard_appointments (customer_id);

CREATE TABLE repcard_status_logs (
  id bigserial PRIMARY KEY,
  repcard_log_id text NOT NULL UNIQUE,
  customer_id bigint REFERENCES repcard_customers (id),
  repcard_customer_id bigint,
  status_from_id bigint,
  status_from text,
  status_to_id bigint,
  status_to text,
  changed_by_user_id bigint,
  company_id bigint,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_sync_id text,
  created_at timestamptz,
  updated_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repcard_status_logs_customer_idx ON repcard_status_logs (repcard_customer_id);

CREATE TABLE repcard_customer_attachments (
  id bigserial PRIMARY KEY,
  repcard_attachment_id bigint NOT NULL UNIQUE,
  customer_id bigint REFERENCES repcard_customers (id),
  repcard_customer_id bigint,
  uploaded_by_user_id bigint,
  title text,
  file_name text,
  file_url text,
  attachment_type text,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_sync_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repcard_customer_attachments_customer_idx ON repcard_customer_attachments (repcard_customer_id);
CREATE INDEX repcard_customer_attachments_customer_fk_idx ON repcard_customer_attachments (customer_id);

CREATE TABLE repcard_appointment_attachments (
  id bigserial PRIMARY KEY,
  repcard_attachment_id bigint NOT NULL UNIQUE,
  appointment_id bigint REFERENCES repcard_appointments (id),
  repcard_appointment_id bigint,
  customer_id bigint REFERENCES repcard_customers (id),
  repcard_customer_id bigint,
  uploaded_by_user_id bigint,
  file_name text,
  file_url text,
  attachment_type text,
  raw_data jsonb NOT NULL,
  version_at timestamptz NOT NULL,
  last_sync_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repcard_appointment_attachments_appt_idx ON repcard_appointment_attachments (repcard_appointment_id);
CREATE INDEX repcard_appointment_attachments_appt_fk_idx ON repcard_appointment_attachments (appointment_id);

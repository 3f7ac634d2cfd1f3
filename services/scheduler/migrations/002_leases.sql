-- Leases (ADR 0019): at most one holder per name at a time, until expires_at (the server's clock).
-- The scheduler's replicas compete for `scheduler.cron`: its holder fires the scheduled slots.
-- term grows by one at every change of holder.
CREATE TABLE tributary_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  term bigint NOT NULL,
  acquired_at timestamptz NOT NULL,
  renewed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- tributary_cron_slots (001) also holds the scheduled slots' claims from now on, keyed
-- schedule/<minute>/<source>/<mode>: the leader claims a slot in the transaction that checks its
-- lease, so each slot is requested once across replicas.

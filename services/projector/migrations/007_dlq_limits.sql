-- The projector's DLQ limit, kept across restarts (issue 9). Counts per consumer group and partition
-- over a sliding window of records, written in the same transaction as the checkpoint
-- (projector_offsets), so a rolled-back batch counts nothing and a committed one is never forgotten.
CREATE TABLE IF NOT EXISTS projector_dlq_limits (
  consumer_group text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  -- dead letters in a row, up to the last record counted
  consecutive integer NOT NULL CHECK (consecutive >= 0),
  -- the window, oldest first: [[seen, dead], ...] per bucket of bucket_size records
  buckets jsonb NOT NULL,
  bucket_size integer NOT NULL CHECK (bucket_size >= 1),
  -- a whole window was counted: the ratio is judged
  window_full boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);

-- A group whose limit tripped stays stopped (every replica, across restarts) until an operator
-- clears the trip with `tributary dlq reset-limit --group <group>`. Cleared trips stay as history.
CREATE TABLE IF NOT EXISTS projector_dlq_trips (
  consumer_group text NOT NULL,
  tripped_at timestamptz NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  kafka_offset bigint,
  reason text NOT NULL CHECK (reason IN ('consecutive', 'ratio')),
  -- the breach: consecutiveFailures, failuresInWindow, recordsInWindow, window, limit
  breach jsonb NOT NULL,
  message text NOT NULL,
  cleared_at timestamptz,
  cleared_by text,
  PRIMARY KEY (consumer_group, tripped_at)
);
-- At most one trip in force per group.
CREATE UNIQUE INDEX IF NOT EXISTS projector_dlq_trips_open_idx ON projector_dlq_trips (consumer_group) WHERE cleared_at IS NULL;

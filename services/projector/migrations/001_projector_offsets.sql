-- Consumed offsets of the projector, written in the same transaction as the read-model rows
-- (exactly-once effect: a crash between the Postgres commit and the Kafka commit never applies a batch twice).
CREATE TABLE IF NOT EXISTS projector_offsets (
  consumer_group text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);

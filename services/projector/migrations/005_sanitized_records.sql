-- Records the projector stored after making a value storable (ADR 0010): a NUL character or a lone
-- UTF-16 surrogate, which PostgreSQL refuses in text and jsonb, was replaced by U+FFFD. The row
-- holds the replaced value; this table says which record was changed, where (the paths), and where
-- its original still is (topic, partition, offset), e.g. to replay it once the value is fixed.
CREATE TABLE projector_sanitized_records (
  topic text NOT NULL,
  partition integer NOT NULL,
  kafka_offset bigint NOT NULL,
  entity text NOT NULL,
  record_id text NOT NULL,
  paths text[] NOT NULL,
  noted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition, kafka_offset)
);
CREATE INDEX projector_sanitized_records_record_idx ON projector_sanitized_records (entity, record_id);

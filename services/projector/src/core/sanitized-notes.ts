import type { PoolClient } from 'pg';
import type { RecordIdentity, RecordPosition } from './record-failure';

/** A record stored after some of its strings were made storable (storable.ts), and where. */
export interface SanitizedNote {
  at: RecordPosition;
  record: RecordIdentity;
  /** The paths changed (`payload.specialty`). */
  replaced: readonly string[];
}

/**
 * Notes the records stored with a value made storable in `projector_sanitized_records` (migration
 * 005): one row per record read (topic, partition, offset: where the original still is), with its
 * entity, id and the paths changed. A record projected again (a replay, a rebuild) is noted once.
 */
export async function noteSanitized(db: PoolClient, notes: readonly SanitizedNote[]): Promise<void> {
  if (notes.length === 0) return;
  const rows = notes.map((n) => ({
    topic: n.at.topic,
    partition: n.at.partition,
    kafka_offset: n.at.offset,
    entity: n.record.entity.slice(0, 200),
    record_id: n.record.id.slice(0, 200),
    paths: n.replaced.map((p) => p.slice(0, 200)),
  }));
  await db.query(
    `INSERT INTO projector_sanitized_records (topic, partition, kafka_offset, entity, record_id, paths)
     SELECT x.topic, x.partition, x.kafka_offset, x.entity, x.record_id, ARRAY(SELECT jsonb_array_elements_text(x.paths))
     FROM jsonb_to_recordset($1::jsonb) AS x(topic text, partition int, kafka_offset bigint, entity text, record_id text, paths jsonb)
     ON CONFLICT (topic, partition, kafka_offset) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

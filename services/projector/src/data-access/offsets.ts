import type { Pool, PoolClient } from 'pg';

/**
 * The projector's consumed offsets, kept in Postgres beside the rows they produced: the next offsets
 * of several partitions in one statement (each only ever moves forward).
 */
export async function saveNextOffsets(
  db: PoolClient,
  group: string,
  offsets: readonly { topic: string; partition: number; next: string }[],
): Promise<void> {
  if (offsets.length === 0) return;
  await db.query(
    `INSERT INTO projector_offsets (consumer_group, topic, partition, next_offset, updated_at)
     SELECT $1, x.topic, x.partition, x.next_offset, now()
     FROM unnest($2::text[], $3::int[], $4::bigint[]) AS x(topic, partition, next_offset)
     ON CONFLICT (consumer_group, topic, partition)
     DO UPDATE SET next_offset = GREATEST(projector_offsets.next_offset, excluded.next_offset), updated_at = now()`,
    [group, offsets.map((o) => o.topic), offsets.map((o) => o.partition), offsets.map((o) => o.next)],
  );
}

export function pgOffsetStore(pool: Pool) {
  return {
    async load(groupId: string, topic: string, partition: number): Promise<string | undefined> {
      const res = await pool.query<{ next_offset: string }>(
        `SELECT next_offset::text FROM projector_offsets WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,
        [groupId, topic, partition],
      );
      return res.rows[0]?.next_offset;
    },
  };
}

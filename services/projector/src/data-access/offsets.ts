import type { Pool, PoolClient } from 'pg';

/** The projector's consumed offsets, kept in Postgres beside the rows they produced. */
export async function saveNextOffset(db: PoolClient, group: string, topic: string, partition: number, nextOffset: string): Promise<void> {
  await db.query(
    `INSERT INTO projector_offsets (consumer_group, topic, partition, next_offset, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (consumer_group, topic, partition)
     DO UPDATE SET next_offset = GREATEST(projector_offsets.next_offset, excluded.next_offset), updated_at = now()`,
    [group, topic, partition, nextOffset],
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

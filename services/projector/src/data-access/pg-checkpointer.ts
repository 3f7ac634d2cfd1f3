import type { Pool, PoolClient } from 'pg';
import { runAtCommit } from '../core/query-together';
import type { Checkpointer, Position } from '@tributary/kafka';

/**
 * The projector's checkpointer: consumed positions kept in Postgres (`projector_offsets`) beside
 * the rows they produced. `store` runs inside the projection's transaction and writes every
 * partition's next offset in one statement, each only ever moving forward; `read` tells the
 * consumer runtime what an earlier run already applied.
 */
export function pgCheckpointer(pool: Pool): Checkpointer<PoolClient> {
  return {
    async read(group, topic, partition) {
      const res = await pool.query<{ next_offset: string }>(
        `SELECT next_offset::text FROM projector_offsets WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,
        [group, topic, partition],
      );
      return res.rows[0]?.next_offset;
    },
    async store(tx, group, positions: readonly Position[]) {
      if (positions.length === 0) return;
      // With the COMMIT when the transaction allows it (one round trip fewer).
      await runAtCommit(tx, {
        text: `INSERT INTO projector_offsets (consumer_group, topic, partition, next_offset, updated_at)
         SELECT $1, x.topic, x.partition, x.next_offset, now()
         FROM unnest($2::text[], $3::int[], $4::bigint[]) AS x(topic, partition, next_offset)
         ON CONFLICT (consumer_group, topic, partition)
         DO UPDATE SET next_offset = GREATEST(projector_offsets.next_offset, excluded.next_offset), updated_at = now()`,
        values: [
          group,
          positions.map((p) => p.topic),
          positions.map((p) => p.partition),
          positions.map((p) => p.next),
        ],
      });
    },
  };
}

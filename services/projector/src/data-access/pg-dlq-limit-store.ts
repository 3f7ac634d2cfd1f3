import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '@tributary/db';
import type { DlqLimitState, DlqLimitStore, DlqTrip, PartitionLimitState } from '@tributary/kafka';

interface TripRow {
  consumer_group: string;
  tripped_at: Date;
  topic: string;
  partition: number;
  kafka_offset: string | null;
  breach: Omit<DlqTrip, 'groupId' | 'topic' | 'partition' | 'offset' | 'message' | 'trippedAt'>;
  message: string;
}

const TRIP_COLUMNS = `consumer_group, tripped_at, topic, partition, kafka_offset::text, breach, message`;

function tripOfRow(row: TripRow): DlqTrip {
  return {
    ...row.breach,
    groupId: row.consumer_group,
    topic: row.topic,
    partition: row.partition,
    ...(row.kafka_offset !== null ? { offset: row.kafka_offset } : {}),
    message: row.message,
    trippedAt: row.tripped_at.toISOString(),
  };
}

/**
 * The projector's DLQ limit store (migration 007): the counts of each partition in
 * `projector_dlq_limits`, saved in the projection's transaction beside `projector_offsets`; the trip
 * in `projector_dlq_trips`, written on its own (the batch that crossed is rolled back) and in force
 * until `reset` (`tributary dlq reset-limit`) clears it.
 */
export function pgDlqLimitStore(pool: Pool): DlqLimitStore<PoolClient> {
  return {
    async load(group, topic, partition) {
      const res = await pool.query<{
        consecutive: number;
        buckets: [number, number][];
        bucket_size: number;
        window_full: boolean;
      }>(
        `SELECT consecutive, buckets, bucket_size, window_full FROM projector_dlq_limits
         WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,
        [group, topic, partition],
      );
      const row = res.rows[0];
      if (!row) return undefined;
      const state: DlqLimitState = {
        consecutive: row.consecutive,
        buckets: row.buckets.map(([seen, dead]) => ({ seen, dead })),
        bucketSize: row.bucket_size,
        full: row.window_full,
      };
      return state;
    },
    async save(tx, group, states: readonly PartitionLimitState[]) {
      if (states.length === 0) return;
      await (tx ?? pool).query(
        `INSERT INTO projector_dlq_limits (consumer_group, topic, partition, consecutive, buckets, bucket_size, window_full, updated_at)
         SELECT $1, x.topic, x.partition, x.consecutive, x.buckets, x.bucket_size, x.window_full, now()
         FROM unnest($2::text[], $3::int[], $4::int[], $5::jsonb[], $6::int[], $7::boolean[])
           AS x(topic, partition, consecutive, buckets, bucket_size, window_full)
         ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
           consecutive = excluded.consecutive, buckets = excluded.buckets, bucket_size = excluded.bucket_size,
           window_full = excluded.window_full, updated_at = now()`,
        [
          group,
          states.map((s) => s.topic),
          states.map((s) => s.partition),
          states.map((s) => s.state.consecutive),
          states.map((s) => JSON.stringify(s.state.buckets.map((b) => [b.seen, b.dead]))),
          states.map((s) => s.state.bucketSize),
          states.map((s) => s.state.full),
        ],
      );
    },
    async tripped(group) {
      const res = await pool.query<TripRow>(
        `SELECT ${TRIP_COLUMNS} FROM projector_dlq_trips WHERE consumer_group = $1 AND cleared_at IS NULL`,
        [group],
      );
      return res.rows[0] && tripOfRow(res.rows[0]);
    },
    async trip(trip) {
      const { groupId, topic, partition, offset, message, trippedAt, ...breach } = trip;
      // A trip already in force (another replica's, or this one's retried) stays the one reported.
      await pool.query(
        `INSERT INTO projector_dlq_trips (consumer_group, tripped_at, topic, partition, kafka_offset, reason, breach, message)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT DO NOTHING`,
        [
          groupId,
          trippedAt,
          topic,
          partition,
          offset ?? null,
          breach.reason,
          JSON.stringify(breach),
          message,
        ],
      );
    },
    async reset(group, by) {
      return withTransaction(pool, async (tx) => {
        const res = await tx.query<TripRow>(
          `UPDATE projector_dlq_trips SET cleared_at = now(), cleared_by = $2
           WHERE consumer_group = $1 AND cleared_at IS NULL RETURNING ${TRIP_COLUMNS}`,
          [group, by],
        );
        // The counts start again from nothing: the operator has dealt with what tripped them.
        if (res.rows[0])
          await tx.query(`DELETE FROM projector_dlq_limits WHERE consumer_group = $1`, [group]);
        return res.rows[0] && tripOfRow(res.rows[0]);
      });
    },
  };
}

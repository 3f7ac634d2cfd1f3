import { z } from 'zod';
import { TOPIC_NAMESPACE } from '@tributary/contracts';
import { kafkaClusterEnv, refineKafkaCluster } from '@tributary/service';
import {
  databaseEnv,
  httpEnv,
  intRangeVar,
  kafkaEnv,
  logEnv,
  positiveIntVar,
  registryEnv,
} from '@tributary/config';

export const projectorConfigSchema = z
  .object({
    ...kafkaEnv,
    ...kafkaClusterEnv,
    ...registryEnv,
    ...databaseEnv,
    ...httpEnv(3004),
    ...logEnv,
    /** Consumer group of the read models (a new group rebuilds them from the topics). */
    PROJECTOR_GROUP_ID: z.string().min(1).default(`${TOPIC_NAMESPACE}projector`),
    /** Consecutive dead-lettered records that stop the projector (a bad deploy must not drain a topic). */
    PROJECTOR_DLQ_MAX_CONSECUTIVE: positiveIntVar(1000),
    /** Share of dead letters, in percent, among the last PROJECTOR_DLQ_WINDOW records of a partition, that stops the projector. */
    PROJECTOR_DLQ_MAX_PERCENT: intRangeVar(0, 100, 20),
    /** The window of that share, in records (judged once a whole window was seen; kept across restarts). */
    PROJECTOR_DLQ_WINDOW: intRangeVar(10, 1_000_000, 1000),
    /** How often a tripped DLQ limit is read again, ms (a reset starts the consumer within this). */
    PROJECTOR_DLQ_TRIP_POLL_MS: intRangeVar(100, 600_000, 5000),
    PROJECTOR_DB_POOL_SIZE: positiveIntVar(5),
    /** Partitions whose batches are handled at once, and so the most batches in one transaction. */
    PROJECTOR_PARTITIONS_CONCURRENTLY: positiveIntVar(8),
    /**
     * Transactions in flight at once, each a large batch (PROJECTOR_COPY_MIN_ROWS records or more) of
     * one topic's partitions; smaller batches share one transaction, alone (ADR 0023, addendum 3).
     * 1 = one transaction at a time. Each takes a connection of PROJECTOR_DB_POOL_SIZE.
     */
    PROJECTOR_PARALLEL_TRANSACTIONS: intRangeVar(1, 16, 3),
    /** How long the first batch waits for the others of its fetch before their transaction, ms (0 = none). */
    PROJECTOR_GROUP_LINGER_MS: intRangeVar(0, 1000, 2),
    /** How long the broker may hold a fetch that finds nothing new, ms (bounds the wait for new records). */
    PROJECTOR_FETCH_MAX_WAIT_MS: intRangeVar(10, 10_000, 50),
    /**
     * The most one fetch brings, bytes, and per partition (kafkajs: 10 MiB, 1 MiB). Larger fetches
     * make larger transactions (one COPY per table) on a backlog; they bound the records in memory
     * (ADR 0023).
     */
    PROJECTOR_FETCH_MAX_BYTES: intRangeVar(1 << 20, 256 << 20, 8 << 20),
    PROJECTOR_FETCH_MAX_BYTES_PER_PARTITION: intRangeVar(64 << 10, 64 << 20, 2 << 20),
    /** Rows from which a run is written by COPY and one set-based upsert (ADR 0016). */
    PROJECTOR_COPY_MIN_ROWS: positiveIntVar(500),
    /**
     * Records per chunk of a large batch, the next planned while PostgreSQL upserts this one (ADR 0023).
     * Above a fetch's batch by default: on a quiet machine a chunk's own statements cost more than
     * the overlap gains (ADR 0023, addendum 2).
     */
    PROJECTOR_CHUNK_ROWS: positiveIntVar(20_000),
    /**
     * The most a complete full sync may mark deleted, as a share (0..1) of its entity's live rows;
     * above it nothing is marked and the run says why (ADR 0018).
     */
    PROJECTOR_DELETION_MAX_RATIO: z.coerce.number().min(0).max(1).default(0.05),
  })
  .superRefine(refineKafkaCluster)
  .superRefine((c, ctx) => {
    // The readiness check, the DLQ limit store and the deletion outbox need a connection too.
    if (c.PROJECTOR_PARALLEL_TRANSACTIONS >= c.PROJECTOR_DB_POOL_SIZE) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['PROJECTOR_PARALLEL_TRANSACTIONS'],
        message: `must be below PROJECTOR_DB_POOL_SIZE (${c.PROJECTOR_DB_POOL_SIZE}): each parallel transaction holds a connection and the service needs one more`,
      });
    }
  });
export type ProjectorConfig = z.output<typeof projectorConfigSchema>;

import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { contractFor } from '@tributary/contracts';
import { createPool, migrate, pingDb } from '@tributary/db';
import {
  runGuardedConsumer,
  runTransactionalConsumer,
  type BatchOutcome,
  type DecodedBatch,
} from '@tributary/kafka';
import type { RunningService, ServiceContext } from '@tributary/service';
import { connectPlatform } from '@tributary/service';
import type { ProjectorConfig } from './config';
import { optimisticTransaction } from './core/isolate';
import { projectorTransaction } from './core/transaction';
import { WRITE_PATH } from './core/write-path';
import { CHUNKING } from './projections/chunked-apply';
import { startDeletionOutbox } from './deletion-relay';
import { pgCheckpointer } from './data-access/pg-checkpointer';
import { pgDlqLimitStore } from './data-access/pg-dlq-limit-store';
import { projectBatches, projectedTopics } from './projections';
import { registerProjectorMetrics } from './projector-metrics';

export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** The topics the projector turns into read models (the projections' registry). */
export { projectedTopics };

/**
 * The projector: consumes the change events in order and upserts the read models. The consumer
 * runtime of @tributary/kafka runs each transaction: rows, sync-log counts and NOTIFYs (here), the
 * dead letters of records that cannot be projected (written before the commit) and the consumed
 * offsets (the Postgres checkpointer), for the batches of several partitions that arrive together.
 */
export async function startProjector({
  config,
  logger,
  metrics,
}: ServiceContext<ProjectorConfig>): Promise<RunningService> {
  // The write path's sizes (ADR 0016, 0023), set once at start.
  WRITE_PATH.copyMinRows = config.PROJECTOR_COPY_MIN_ROWS;
  CHUNKING.rows = config.PROJECTOR_CHUNK_ROWS;
  const pool = createPool(config.DATABASE_URL, {
    max: config.PROJECTOR_DB_POOL_SIZE,
    applicationName: 'projector',
  });
  const applied = await migrate(pool, MIGRATIONS_DIR, { logger });
  if (applied.length) logger.info('migrations.applied', `applied migrations ${applied.join(', ')}`);
  const { kafka, codec } = await connectPlatform({
    brokers: config.KAFKA_BROKERS,
    registryUrl: config.SCHEMA_REGISTRY_URL,
    clientId: 'projector',
    logger,
  });
  registerProjectorMetrics({ pool, metrics, logger });

  const project = async (db: PoolClient, batches: readonly DecodedBatch[]): Promise<BatchOutcome[]> => {
    const outcomes = await projectBatches(db, batches, metrics, {
      maxRatio: config.PROJECTOR_DELETION_MAX_RATIO,
      logger,
    });
    outcomes.forEach(({ failures }, i) => {
      const batch = batches[i]!;
      logger.debug(
        'projector.batch.applied',
        `${batch.topic}[${batch.partition}] ${batch.messages.length} records`,
        { failed: failures.length },
      );
    });
    return outcomes;
  };
  const dlqLimitStore = pgDlqLimitStore(pool);
  const startConsumer = () =>
    runTransactionalConsumer<unknown, PoolClient>({
      kafka,
      groupId: config.PROJECTOR_GROUP_ID,
      topics: projectedTopics(),
      codec,
      contractFor,
      async transaction(fn) {
        const started = performance.now();
        // A transient PostgreSQL failure is a retriable DependencyError: the batch is retried, never
        // dead-lettered. Savepoints only when a record was refused (optimisticTransaction).
        const result = await optimisticTransaction((run) => projectorTransaction(pool, run), fn);
        metrics
          .histogram('tributary_projector_batch_duration_seconds')
          .observe({}, (performance.now() - started) / 1000);
        return result;
      },
      handle: project,
      checkpointer: pgCheckpointer(pool),
      // Batches of different partitions handed over concurrently share ONE transaction (ADR 0006)...
      groupCommit: {
        maxCallers: config.PROJECTOR_PARTITIONS_CONCURRENTLY,
        lingerMs: config.PROJECTOR_GROUP_LINGER_MS,
        // A large batch (a backlog) gets its own transaction beside its topic's other partitions:
        // node plans one while PostgreSQL writes another (ADR 0023, addendum 3).
        concurrency: config.PROJECTOR_PARALLEL_TRANSACTIONS,
        soloFromRecords: config.PROJECTOR_COPY_MIN_ROWS,
      },
      // Postgres holds the authoritative offsets (with the rows): Kafka's copy may lag a few seconds.
      commitIntervalMs: 5_000,
      dlq: {
        maxConsecutiveFailures: config.PROJECTOR_DLQ_MAX_CONSECUTIVE,
        maxRatio: { ratio: config.PROJECTOR_DLQ_MAX_PERCENT / 100, window: config.PROJECTOR_DLQ_WINDOW },
      },
      // The DLQ counts are saved with the checkpoint; a tripped limit holds across restarts.
      dlqLimitStore,
      maxWaitTimeInMs: config.PROJECTOR_FETCH_MAX_WAIT_MS,
      maxBytes: config.PROJECTOR_FETCH_MAX_BYTES,
      maxBytesPerPartition: config.PROJECTOR_FETCH_MAX_BYTES_PER_PARTITION,
      partitionsConsumedConcurrently: config.PROJECTOR_PARTITIONS_CONCURRENTLY,
      logger,
      metrics,
    });
  // While the DLQ limit is tripped the consumer stays stopped and /readyz is red, until reset.
  const consumer = await runGuardedConsumer({
    groupId: config.PROJECTOR_GROUP_ID,
    store: dlqLimitStore,
    start: startConsumer,
    pollMs: config.PROJECTOR_DLQ_TRIP_POLL_MS,
    logger,
    metrics,
  });
  // ADR 0024: the deletions the sweeps queued, published as RecordDeleted to the entity topics.
  const outbox = await startDeletionOutbox({ pool, kafka, codec, logger, metrics });
  let stopping = false;
  /** The consumer's own failure: the shutdown it starts must end the process with a non-zero code. */
  let failure: unknown;
  consumer.done.catch((err: unknown) => {
    if (stopping) return;
    failure = err;
    logger.error('kafka.consumer.failed', `projector consumer stopped: ${(err as Error).message}`, {
      error: err,
    });
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  });
  return {
    readiness: {
      postgres: () => pingDb(pool),
      dlqLimit: async () => {
        const trip = consumer.trip();
        if (trip) throw new Error(trip.message);
      },
    },
    async stop() {
      stopping = true;
      await consumer.stop();
      await outbox.stop();
      await pool.end();
      // installShutdown exits 0 after a clean stop (overriding process.exitCode): a stop caused by
      // the consumer's failure must fail, so the process exits 1 and a supervisor sees it.
      if (failure !== undefined) throw failure;
    },
  };
}

import { join } from 'node:path';
import { contractFor, entityTopics, TOPICS } from '@tributary/contracts';
import { createPool, migrate, pingDb, withTransaction } from '@tributary/db';
import { groupCommit, runBatchConsumer, type BatchConsumer, type BatchContext, type DecodedBatch } from '@tributary/kafka';
import type { RunningService, ServiceContext } from '@tributary/service';
import { connectPlatform } from '@tributary/service';
import type { ProjectorConfig } from './config';
import { pgOffsetStore, saveNextOffsets } from './data-access/offsets';
import { projectBatches } from './project-batch';

interface PendingBatch {
  batch: DecodedBatch;
  ctx: BatchContext;
}

export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

/** The topics the projector turns into read models. */
export function projectedTopics(): string[] {
  return [TOPICS.syncEvents, ...entityTopics().map((t) => t.topic), TOPICS.curagenesisWebhooks];
}

/**
 * The projector: consumes the change events in order and upserts the read models, writing rows,
 * sync-log counts and its consumed offsets in ONE Postgres transaction (exactly-once effect), one
 * for the batches of several partitions that arrive together; records that cannot be projected go
 * to the DLQ with their error.
 */
export async function startProjector({ config, logger, metrics }: ServiceContext<ProjectorConfig>): Promise<RunningService> {
  const pool = createPool(config.DATABASE_URL, { max: config.PROJECTOR_DB_POOL_SIZE, applicationName: 'projector' });
  const applied = await migrate(pool, MIGRATIONS_DIR, { logger });
  if (applied.length) logger.info('migrations.applied', `applied migrations ${applied.join(', ')}`);
  const { kafka, codec } = await connectPlatform({ brokers: config.KAFKA_BROKERS, registryUrl: config.SCHEMA_REGISTRY_URL, clientId: 'projector', logger });
  const group = config.PROJECTOR_GROUP_ID;
  // Batches of different partitions, handed over concurrently, are applied together: ONE Postgres
  // transaction (rows, sync-log counts, each batch's next offset, NOTIFYs) for all batches of a fetch
  // instead of one each. Each partition's batches still come one at a time and in order.
  const applyTogether = groupCommit<PendingBatch>(
    async (pending) => {
      const started = performance.now();
      await withTransaction(pool, async (db) => {
        const outcomes = await projectBatches(db, pending.map((p) => p.batch), metrics);
        await saveNextOffsets(db, group, nextOffsets(pending.map((p) => p.batch)));
        for (const [i, { batch, ctx }] of pending.entries()) {
          const failures = outcomes[i]?.failures ?? [];
          // Dead letters are written before the commit: at worst a crash repeats a DLQ record, never loses one.
          for (const f of failures) {
            const message = batch.messages.find((m) => m.offset === f.offset);
            if (message) await ctx.deadLetter(message, new Error(f.error));
          }
          logger.debug('projector.batch.applied', `${batch.topic}[${batch.partition}] ${batch.messages.length} records`, {
            failed: failures.length,
          });
        }
      });
      metrics.histogram('tributary_projector_batch_duration_seconds').observe({}, (performance.now() - started) / 1000);
    },
    { maxCallers: config.PROJECTOR_PARTITIONS_CONCURRENTLY, lingerMs: config.PROJECTOR_GROUP_LINGER_MS },
  );
  const consumer: BatchConsumer = await runBatchConsumer({
    kafka,
    groupId: group,
    topics: projectedTopics(),
    codec,
    contractFor,
    offsets: pgOffsetStore(pool),
    // Postgres holds the authoritative offsets (with the rows): Kafka's copy may lag a few seconds.
    commitIntervalMs: 5_000,
    dlq: { maxConsecutiveFailures: config.PROJECTOR_DLQ_MAX_CONSECUTIVE },
    maxWaitTimeInMs: config.PROJECTOR_FETCH_MAX_WAIT_MS,
    partitionsConsumedConcurrently: config.PROJECTOR_PARTITIONS_CONCURRENTLY,
    logger,
    metrics,
    handleBatch: (batch, ctx) => applyTogether([{ batch, ctx }]),
  });
  let stopping = false;
  consumer.done.catch((err: unknown) => {
    if (stopping) return;
    logger.error('kafka.consumer.failed', `projector consumer stopped: ${(err as Error).message}`, { error: err });
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  });
  return {
    readiness: { postgres: () => pingDb(pool) },
    async stop() {
      stopping = true;
      await consumer.stop();
      await pool.end();
    },
  };
}

/** Interim (until the runtime's checkpointer stores them): the next offset of each batch's partition. */
function nextOffsets(batches: readonly DecodedBatch[]): { topic: string; partition: number; next: string }[] {
  const next = new Map<string, { topic: string; partition: number; next: bigint }>();
  for (const b of batches) {
    const last = b.messages[b.messages.length - 1];
    if (!last) continue;
    const key = `${b.topic}\u0000${b.partition}`;
    const n = BigInt(last.offset) + 1n;
    if ((next.get(key)?.next ?? -1n) < n) next.set(key, { topic: b.topic, partition: b.partition, next: n });
  }
  return [...next.values()].map((o) => ({ ...o, next: o.next.toString() }));
}

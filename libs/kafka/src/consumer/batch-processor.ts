import type { EachBatchPayload } from 'kafkajs';
import { TributaryError, errorMessage } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from '../client';
import type { SchemaCodec } from '../codec';
import type { ContractLike } from '../contract';
import { commitToKafka } from './checkpoint';
import type { DeadLetterStep } from './dead-letter';
import { decodeBatch } from './decode';
import { runHandleStep } from './handle';
import type { BatchRunner } from './runners';
import { skipApplied, type KnownPositions } from './skip-applied';
import type { BatchContext, Checkpointer } from './types';

export interface BatchProcessorDeps<T> {
  groupId: string;
  codec: Pick<SchemaCodec, 'decode' | 'decodeKnown'>;
  contractFor(topic: string): ContractLike<T>;
  /** Where records applied by an earlier run are read from (step 1); none: Kafka's offsets only. */
  checkpointer?: Pick<Checkpointer<unknown>, 'read'>;
  /** The positions the checkpointer stored, as far as this member knows them (read once per assignment). */
  known?: KnownPositions;
  /** Steps 3 to 5 before the commit: the handler, its dead letters, the checkpointer's store. */
  run: BatchRunner<T>;
  deadLetters: DeadLetterStep;
  /** kafkajs auto-commit is off: commit resolved offsets when its interval has passed. */
  commitByInterval?: boolean;
  heartbeatIntervalMs: number;
  logger?: KafkaLogger;
  metrics?: Pick<Metrics, 'counter' | 'histogram' | 'gauge'>;
  /** Records the error that must stop the consumer (before it is thrown to kafkajs). */
  onFatal(error: TributaryError): void;
  /** The error recorded by `onFatal`, if any. */
  fatal(): TributaryError | undefined;
  /** True once the consumer was asked to stop or has failed. */
  isStopping(): boolean;
  /** Pause bookkeeping of the consumer, so that `stop()` can clear pending resume timers. */
  schedulePause(pause: () => () => void, resumeAfterMs: number | undefined, where: string): () => void;
}

/**
 * The chain of one fetched batch (arroyo style, commit last): skip-applied → decode → handle →
 * dead-letter → checkpoint. Each step is its own module; this only orders them and measures.
 */
export function createBatchProcessor<T>(
  deps: BatchProcessorDeps<T>,
): (payload: EachBatchPayload) => Promise<void> {
  const { groupId, logger, metrics } = deps;
  return async (payload) => {
    const { batch, isStale } = payload;
    if (deps.isStopping() || isStale()) return;
    const { topic, partition } = batch;
    const started = process.hrtime.bigint();
    const lastOffset = batch.messages[batch.messages.length - 1]?.offset;
    if (lastOffset === undefined) return;
    try {
      await processFetched(payload, started, lastOffset);
    } catch (err) {
      // The batch's transaction may or may not have committed: the position is read again.
      deps.known?.forget(topic, partition);
      throw err;
    }
  };

  async function processFetched(
    payload: EachBatchPayload,
    started: bigint,
    lastOffset: string,
  ): Promise<void> {
    const { batch, heartbeat, pause, isRunning } = payload;
    const { topic, partition } = batch;
    const where = `${topic}/${partition}`;
    const raws = await skipApplied(
      deps.checkpointer,
      { group: groupId, topic, partition },
      batch.messages,
      deps.known,
    );
    const work = await decodeBatch(deps.codec, contractOf(deps, topic), topic, partition, raws);
    await deps.deadLetters.restore(work);
    // Decode failures alone may cross the DLQ limit: stop before the handler sees anything.
    deps.deadLetters.precheck(work);
    if (work.batch.messages.length > 0) {
      const ctx: BatchContext = {
        heartbeat,
        isRunning: () => isRunning() && !deps.isStopping(),
        pause: (resumeAfterMs) => deps.schedulePause(pause, resumeAfterMs, where),
      };
      const messages = work.batch.messages;
      await runHandleStep(
        deps,
        heartbeat,
        { topic, partition, firstOffset: messages[0]?.offset, lastOffset },
        () => deps.run(work, ctx),
      );
      // Committed: the checkpointer stored the position after the last record handled.
      deps.known?.applied(topic, partition, messages[messages.length - 1]!.offset);
    } else {
      await deps.deadLetters.write(work, []);
      await deps.deadLetters.persist(undefined, [work]);
    }
    // Another partition's batch may have stopped the consumer meanwhile: then nothing more is committed.
    const fatal = deps.fatal();
    if (fatal !== undefined) throw fatal;

    const deadLettered = deps.deadLetters.settle(work);
    await commitToKafka(payload, lastOffset, deps.commitByInterval ?? false);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics?.counter('tributary_kafka_messages_consumed_total').inc({ topic, group: groupId }, raws.length);
    metrics
      ?.histogram('tributary_kafka_consumer_batch_duration_seconds')
      .observe({ topic, group: groupId }, seconds);
    const lag = Number(BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n);
    metrics
      ?.gauge('tributary_kafka_consumer_lag')
      .set({ topic, partition: String(partition), group: groupId }, Math.max(0, lag));
    logger?.debug(LogEvents.kafkaBatchProcessed, `${where}: ${raws.length} records`, {
      topic,
      partition,
      groupId,
      count: raws.length,
      skipped: batch.messages.length - raws.length,
      deadLettered,
      firstOffset: batch.messages[0]?.offset,
      lastOffset,
      durationMs: Math.round(seconds * 1000),
    });
    await heartbeat();
  }
}

function contractOf<T>(deps: BatchProcessorDeps<T>, topic: string): ContractLike<T> {
  try {
    return deps.contractFor(topic);
  } catch (err) {
    const error = new TributaryError(
      'CONSUMER_NO_CONTRACT',
      `no contract for ${topic}: ${errorMessage(err)}`,
      {
        cause: err,
        details: { topic },
      },
    );
    deps.onFatal(error);
    throw error;
  }
}

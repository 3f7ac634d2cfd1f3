import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DependencyError, TributaryError, errorMessage, isRetriable } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import type { SchemaCodec } from './codec';
import type { ContractLike } from './contract';
import { DlqLimit, DlqLimitExceededError, type DlqPolicy } from './dlq-limit';
import type { DeadLetterEntry, DlqRouter, RawRecord } from './dlq';
import { headersToStrings } from './records';

/** A record read and decoded by its topic's contract. */
export interface DecodedMessage<T = unknown> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  headers: Record<string, string>;
  /** Record timestamp, epoch milliseconds as kafkajs gives it. */
  timestamp: string;
}

/** Consecutive records of one partition, in offset order. */
export interface DecodedBatch<T = unknown> {
  topic: string;
  partition: number;
  messages: DecodedMessage<T>[];
}

export interface BatchContext<T = unknown> {
  /** Tells the group this member is alive (also sent in the background while the handler runs). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: a long handler may end early by throwing a retriable error. */
  isRunning(): boolean;
  /**
   * Backpressure: stops fetching this partition (the batch in hand still completes or fails as
   * usual); resumes after `resumeAfterMs` when given, or when the returned function is called.
   */
  pause(resumeAfterMs?: number): () => void;
  /**
   * Routes one message of this batch, whose handling can never succeed, to its DLQ (original bytes,
   * error headers) and counts it against the DlqPolicy. Resolves once the DLQ write is acknowledged;
   * rejects with DlqLimitExceededError (writing nothing) when this dead letter crosses the limit,
   * after which the batch is not committed and the consumer stops.
   */
  deadLetter(message: DecodedMessage<T>, error: unknown): Promise<void>;
}

/** Where a consumer that stores its progress itself (in its own database transaction) keeps it. */
export interface ExternalOffsetStore {
  /** The next offset to process for this group and partition, or undefined when none is stored. */
  load(groupId: string, topic: string, partition: number): Promise<string | undefined>;
}

export interface BatchProcessorDeps<T> {
  groupId: string;
  codec: SchemaCodec;
  contractFor(topic: string): ContractLike<T>;
  handleBatch(batch: DecodedBatch<T>, ctx: BatchContext<T>): Promise<void>;
  offsets?: ExternalOffsetStore;
  /** kafkajs auto-commit is off: commit resolved offsets when its interval has passed. */
  commitByInterval?: boolean;
  dlq?: DlqPolicy;
  router: DlqRouter;
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
 * The steps of one fetched batch, commit last (arroyo style): skip what the external offset store
 * says is done, decode, check the DLQ limit, dead-letter what cannot be decoded, hand the rest to
 * the handler, and only then resolve the offsets (kafkajs commits resolved offsets right after).
 */
export function createBatchProcessor<T>(
  deps: BatchProcessorDeps<T>,
): (payload: EachBatchPayload) => Promise<void> {
  const { groupId, codec, offsets, router, logger, metrics } = deps;
  const limits = new Map<string, DlqLimit>();

  return async ({ batch, resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary }) => {
    if (deps.isStopping() || isStale()) return;
    const { topic, partition } = batch;
    const started = process.hrtime.bigint();
    const lastOffset = batch.messages[batch.messages.length - 1]?.offset;
    if (lastOffset === undefined) return;

    // 1. Skip what an earlier run already applied (the projector stores offsets with its rows).
    let raws: KafkaMessage[] = batch.messages;
    if (offsets) {
      const next = await loadNextOffset(offsets, groupId, topic, partition);
      if (next !== undefined) raws = raws.filter((m) => BigInt(m.offset) >= BigInt(next));
    }

    // 2. Decode; what can never be decoded is a dead letter, a registry outage is retried.
    const contract = contractOf(deps, topic);
    const messages: DecodedMessage<T>[] = [];
    const decodeFailures: DeadLetterEntry[] = [];
    const rawByOffset = new Map<string, RawRecord>();
    for (const m of raws) {
      const record: RawRecord = {
        topic,
        partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: m.headers,
      };
      rawByOffset.set(m.offset, record);
      try {
        messages.push({
          topic,
          partition,
          offset: m.offset,
          key: m.key === null ? null : m.key.toString('utf8'),
          value: await codec.decode(m.value, contract),
          headers: headersToStrings(m.headers),
          timestamp: m.timestamp,
        });
      } catch (err) {
        if (isRetriable(err)) throw err;
        decodeFailures.push({ record, error: err, reason: 'decode' });
      }
    }

    // 3. The DLQ limit, judged before anything of this batch goes to the DLQ.
    const key = `${topic}/${partition}`;
    const base = limits.get(key) ?? new DlqLimit(deps.dlq);
    const failedOffsets = new Set(decodeFailures.map((f) => f.record.offset));
    const tryLimit = (handlerDead: ReadonlySet<string>) => {
      const trial = base.clone();
      const breach = trial.recordAll(
        raws.map((m) => failedOffsets.has(m.offset) || handlerDead.has(m.offset)),
      );
      return { trial, breach };
    };
    const stopOnBreach = (handlerDead: ReadonlySet<string>, offset: string): DlqLimit => {
      const { trial, breach } = tryLimit(handlerDead);
      if (!breach) return trial;
      const error = new DlqLimitExceededError(breach, { topic, partition, groupId, offset });
      logger?.error(LogEvents.kafkaDlqLimitExceeded, error.message, { topic, partition, groupId, ...breach });
      deps.onFatal(error);
      throw error;
    };
    stopOnBreach(new Set(), decodeFailures[0]?.record.offset ?? raws[0]?.offset ?? lastOffset);
    await router.route(decodeFailures);

    // 4. The handler, with a heartbeat in the background.
    const handlerDead = new Set<string>();
    if (messages.length > 0) {
      const ctx: BatchContext<T> = {
        heartbeat,
        isRunning: () => isRunning() && !deps.isStopping(),
        pause: (resumeAfterMs) => deps.schedulePause(pause, resumeAfterMs, key),
        deadLetter: async (message, error) => {
          const record =
            message.topic === topic && message.partition === partition && rawByOffset.get(message.offset);
          if (!record) {
            throw new TributaryError(
              'DLQ_FOREIGN_MESSAGE',
              `${message.topic}[${message.partition}]@${message.offset} is not in this batch`,
            );
          }
          const fatal = deps.fatal();
          if (fatal !== undefined) throw fatal;
          if (handlerDead.has(message.offset)) return;
          stopOnBreach(new Set([...handlerDead, message.offset]), message.offset);
          // Counted before the write, so that concurrent calls cannot slip past the limit together.
          handlerDead.add(message.offset);
          try {
            await router.route([{ record, error, reason: 'handler' }]);
          } catch (err) {
            handlerDead.delete(message.offset);
            throw err;
          }
        },
      };
      const timer = setInterval(() => heartbeat().catch(() => undefined), deps.heartbeatIntervalMs);
      timer.unref();
      try {
        await deps.handleBatch({ topic, partition, messages }, ctx);
      } catch (err) {
        throw handlerFailure(deps, err, { topic, partition, firstOffset: messages[0]?.offset, lastOffset });
      } finally {
        clearInterval(timer);
      }
    }
    // A handler that caught the DlqLimitExceededError of `deadLetter` does not get its batch committed.
    const fatal = deps.fatal();
    if (fatal !== undefined) throw fatal;

    // 5. Commit last: resolving the batch's last offset lets kafkajs commit it (and any
    //    transaction marker after it) as soon as this function returns.
    limits.set(key, tryLimit(handlerDead).trial);
    resolveOffset(lastOffset);
    if (deps.commitByInterval) await commitOffsetsIfNecessary();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics?.counter('tributary_kafka_messages_consumed_total').inc({ topic, group: groupId }, raws.length);
    metrics
      ?.histogram('tributary_kafka_consumer_batch_duration_seconds')
      .observe({ topic, group: groupId }, seconds);
    const lag = Number(BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n);
    metrics
      ?.gauge('tributary_kafka_consumer_lag')
      .set({ topic, partition: String(partition), group: groupId }, Math.max(0, lag));
    logger?.debug(LogEvents.kafkaBatchProcessed, `${key}: ${raws.length} records`, {
      topic,
      partition,
      groupId,
      count: raws.length,
      skipped: batch.messages.length - raws.length,
      deadLettered: decodeFailures.length + handlerDead.size,
      firstOffset: batch.messages[0]?.offset,
      lastOffset,
      durationMs: Math.round(seconds * 1000),
    });
    await heartbeat();
  };
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

async function loadNextOffset(
  store: ExternalOffsetStore,
  groupId: string,
  topic: string,
  partition: number,
): Promise<string | undefined> {
  try {
    return await store.load(groupId, topic, partition);
  } catch (err) {
    if (err instanceof TributaryError) throw err;
    throw new DependencyError(
      'OFFSET_STORE_FAILED',
      `load offset of ${topic}[${partition}]: ${errorMessage(err)}`,
      {
        cause: err,
        details: { groupId, topic, partition },
      },
    );
  }
}

/**
 * A handler error: retriable ones are rethrown for kafkajs to retry the batch (not committed);
 * anything else stops the consumer (per-record failures belong in `ctx.deadLetter`).
 */
function handlerFailure<T>(
  deps: BatchProcessorDeps<T>,
  err: unknown,
  where: Record<string, unknown>,
): unknown {
  const fields = { ...where, groupId: deps.groupId, err };
  const fatal = deps.fatal();
  if (fatal !== undefined) return fatal;
  if (isRetriable(err)) {
    deps.logger?.warn(LogEvents.kafkaConsumerFailed, `batch failed, will retry: ${errorMessage(err)}`, {
      ...fields,
      retry: true,
    });
    return err;
  }
  deps.logger?.error(LogEvents.kafkaConsumerFailed, `batch failed, consumer stops: ${errorMessage(err)}`, {
    ...fields,
    retry: false,
  });
  // kafkajs retries any error not marked `retriable: false`: make sure this one is.
  const error =
    err instanceof TributaryError && !err.retriable
      ? err
      : new TributaryError('CONSUMER_HANDLER_FAILED', `handleBatch failed: ${errorMessage(err)}`, {
          cause: err,
          details: where,
        });
  deps.onFatal(error);
  return error;
}

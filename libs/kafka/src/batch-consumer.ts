import type { Consumer, Kafka } from 'kafkajs';
import { TributaryError, errorMessage } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from './client';
import type { SchemaCodec } from './codec';
import type { ContractLike } from './contract';
import type { DlqPolicy } from './dlq-limit';
import { DlqRouter } from './dlq';
import { toKafkaError } from './errors';
import {
  createBatchProcessor,
  type BatchContext,
  type DecodedBatch,
  type ExternalOffsetStore,
} from './batch-processor';

export interface BatchConsumerOptions<T = unknown> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  codec: SchemaCodec;
  /** The contract of each subscribed topic (decodes its values). */
  contractFor(topic: string): ContractLike<T>;
  /** Read only committed transactions (default true). */
  readCommitted?: boolean;
  /** Where a group without committed offsets starts (default true: the beginning). */
  fromBeginning?: boolean;
  /**
   * Applies one batch. Resolve: the batch is committed. Throw a retriable TributaryError (e.g. a
   * DependencyError): the batch is not committed and is redelivered after a backoff. Throw anything
   * else: the consumer stops and `done` rejects with it (a non-TributaryError wrapped as
   * CONSUMER_HANDLER_FAILED, its `cause`). Per-record failures: `ctx.deadLetter`.
   */
  handleBatch(batch: DecodedBatch<T>, ctx: BatchContext<T>): Promise<void>;
  /** Records below the stored next offset are skipped (already applied by an earlier run). */
  offsets?: ExternalOffsetStore;
  /**
   * Commit consumed offsets to Kafka at most this often, ms, instead of after every batch. Only
   * sensible with `offsets`: there the Kafka commit only says where a restarted member starts
   * fetching (the store skips what was applied), and a broker round trip per batch is latency for
   * nothing. Offsets not yet committed when the member stops are fetched again and skipped.
   */
  commitIntervalMs?: number;
  dlq?: DlqPolicy;
  /** Fetch size limits, bytes (kafkajs defaults: 10 MiB per fetch, 1 MiB per partition). */
  maxBytes?: number;
  maxBytesPerPartition?: number;
  /** Group membership timing, ms (defaults: session 30000, heartbeat 3000, rebalance 60000). */
  sessionTimeout?: number;
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  /** How long a fetch waits for data, ms (default 5000; low values make tests fast). */
  maxWaitTimeInMs?: number;
  /** Partitions handled at the same time (default 1); each partition stays in order. */
  partitionsConsumedConcurrently?: number;
  /** Backoff of retried batches (kafkajs retry options). */
  retry?: { initialRetryTime?: number; maxRetryTime?: number; retries?: number };
  logger?: KafkaLogger;
  metrics?: Pick<Metrics, 'counter' | 'histogram' | 'gauge'>;
}

export interface BatchConsumer {
  /** Lets the batch in flight finish (and commit), leaves the group and disconnects. */
  stop(): Promise<void>;
  /**
   * Resolves after `stop()`; rejects when the consumer stopped on its own error: a
   * DlqLimitExceededError, a non-retriable handler error, no contract for a topic.
   */
  done: Promise<void>;
}

/**
 * Joins `groupId`, subscribes to `topics` and runs `handleBatch` on every fetched batch (kafkajs
 * `eachBatch`, offsets resolved by hand and committed only after the handler succeeded).
 * Resolves once the consumer has joined the group.
 */
export async function runBatchConsumer<T = unknown>(
  options: BatchConsumerOptions<T>,
): Promise<BatchConsumer> {
  const { kafka, groupId, topics, logger, metrics } = options;
  const heartbeatInterval = options.heartbeatInterval ?? 3000;
  const router = new DlqRouter({ kafka, groupId, logger, metrics });
  let fatalError: TributaryError | undefined;
  /** Set by `stop()`, or when the consumer failed. */
  let stopping = false;
  let stopRequested = false;
  let stopped: Promise<void> | undefined;
  const consumer: Consumer = kafka.consumer({
    groupId,
    readUncommitted: !(options.readCommitted ?? true),
    allowAutoTopicCreation: false,
    heartbeatInterval,
    ...(options.sessionTimeout !== undefined ? { sessionTimeout: options.sessionTimeout } : {}),
    ...(options.rebalanceTimeout !== undefined ? { rebalanceTimeout: options.rebalanceTimeout } : {}),
    ...(options.maxWaitTimeInMs !== undefined ? { maxWaitTimeInMs: options.maxWaitTimeInMs } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.maxBytesPerPartition !== undefined
      ? { maxBytesPerPartition: options.maxBytesPerPartition }
      : {}),
    retry: {
      ...options.retry,
      // A crash we decided on stays a crash; anything else (retries exhausted) rejoins and goes on.
      restartOnFailure: async () => fatalError === undefined && !stopping,
    },
  });

  const resumeTimers = new Set<NodeJS.Timeout>();
  let settle!: { resolve(): void; reject(err: unknown): void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Marked handled: the failure is logged here; callers that await `done` still see it.
  done.catch(() => undefined);

  const finish = async (error?: unknown): Promise<void> => {
    for (const timer of resumeTimers) clearTimeout(timer);
    resumeTimers.clear();
    await router.close().catch(() => undefined);
    logger?.info(LogEvents.kafkaDisconnected, `consumer ${groupId} stopped`, {
      groupId,
      topics,
      failed: !!error,
    });
    if (error === undefined) settle.resolve();
    else settle.reject(error);
  };

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    logger?.info(LogEvents.kafkaRebalanced, `consumer ${groupId} joined its group`, {
      groupId,
      memberId: payload.memberId,
      assignment: payload.memberAssignment,
    });
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) {
      logger?.warn(
        LogEvents.kafkaConsumerFailed,
        `consumer ${groupId} restarts: ${errorMessage(payload.error)}`,
        {
          groupId,
          err: payload.error,
        },
      );
      return;
    }
    // A crash while `stop()` was already under way is part of stopping, not a failure.
    const error = fatalError ?? (stopRequested ? undefined : unwrapKafkaError(payload.error));
    stopping = true;
    stopped ??= finish(error);
  });

  const eachBatch = createBatchProcessor<T>({
    groupId,
    codec: options.codec,
    contractFor: options.contractFor,
    handleBatch: options.handleBatch,
    offsets: options.offsets,
    commitByInterval: options.commitIntervalMs !== undefined,
    dlq: options.dlq,
    router,
    heartbeatIntervalMs: heartbeatInterval,
    logger,
    metrics,
    onFatal: (error) => {
      fatalError ??= error;
    },
    fatal: () => fatalError,
    isStopping: () => stopping || fatalError !== undefined,
    schedulePause: (pause, resumeAfterMs, where) => {
      const resume = pause();
      logger?.info(LogEvents.kafkaConsumerPaused, `${where} paused`, {
        groupId,
        partition: where,
        resumeAfterMs,
      });
      let resumed = false;
      let timer: NodeJS.Timeout | undefined;
      const resumeOnce = (): void => {
        if (resumed) return;
        resumed = true;
        if (timer) {
          clearTimeout(timer);
          resumeTimers.delete(timer);
        }
        if (stopping) return;
        resume();
        logger?.info(LogEvents.kafkaConsumerResumed, `${where} resumed`, { groupId, partition: where });
      };
      if (resumeAfterMs !== undefined) {
        timer = setTimeout(resumeOnce, resumeAfterMs);
        resumeTimers.add(timer);
      }
      return resumeOnce;
    },
  });

  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      eachBatchAutoResolve: false,
      ...(options.commitIntervalMs !== undefined
        ? { autoCommit: false, autoCommitInterval: options.commitIntervalMs }
        : { autoCommit: true }),
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch,
    });
  } catch (err) {
    stopping = true;
    await consumer.disconnect().catch(() => undefined);
    await router.close().catch(() => undefined);
    throw toKafkaError('KAFKA_CONSUMER_START_FAILED', `consumer ${groupId} start`, err, { groupId, topics });
  }
  logger?.info(LogEvents.kafkaConnected, `consumer ${groupId} consuming ${topics.join(', ')}`, {
    groupId,
    topics,
  });

  return {
    done,
    stop() {
      stopping = true;
      stopRequested = true;
      stopped ??= consumer.disconnect().then(
        () => finish(fatalError),
        (err: unknown) =>
          finish(fatalError ?? toKafkaError('KAFKA_CONSUMER_STOP_FAILED', `consumer ${groupId} stop`, err)),
      );
      return stopped;
    },
  };
}

/** The error a kafkajs crash wraps (KafkaJSNonRetriableError keeps the original as `cause`). */
function unwrapKafkaError(error: Error): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth += 1) {
    if (current instanceof TributaryError) return current;
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === current) break;
    current = cause;
  }
  return toKafkaError('KAFKA_CONSUMER_CRASHED', 'consumer crashed', error);
}

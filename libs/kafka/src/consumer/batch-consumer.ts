import type { Consumer, Kafka } from 'kafkajs';
import { DependencyError, TributaryError, errorMessage } from '@tributary/core';
import { LogEvents, type Metrics } from '@tributary/observability';
import type { KafkaLogger } from '../client';
import type { SchemaCodec } from '../codec';
import type { ContractLike } from '../contract';
import { DlqLimitExceededError, type DlqPolicy } from '../dlq-limit';
import {
  DlqLimitTrippedError,
  InMemoryDlqLimitStore,
  tripOf,
  type DlqLimitStore,
  type DlqTrip,
} from '../dlq-limit-store';
import { DlqRouter } from '../dlq';
import { toKafkaError } from '../errors';
import { createBatchProcessor } from './batch-processor';
import { DeadLetterStep } from './dead-letter';
import { Pauses } from './pauses';
import { KnownPositions } from './skip-applied';
import {
  directRunner,
  transactionalRunner,
  type BatchHandler,
  type BatchRunner,
  type TransactionalGroupCommit,
  type TransactionalHandler,
} from './runners';
import type { Checkpointer } from './types';

/** What every consumer of the runtime is configured with, whatever its handler. */
export interface ConsumerOptions<T = unknown> {
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
  dlq?: DlqPolicy;
  /**
   * Where the DLQ counts and the trip are kept (default: in memory, for this consumer's life). With
   * a persistent store the limit holds across restarts: a group whose limit tripped does not start
   * (DlqLimitTrippedError) until an operator clears it.
   */
  dlqLimitStore?: DlqLimitStore<unknown>;
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

/** A consumer whose offsets Kafka holds (at-least-once; the handler is idempotent). */
export interface BatchConsumerOptions<T = unknown> extends ConsumerOptions<T> {
  /**
   * Applies one batch; returns the records it could never apply (they go to the DLQ). Resolve: the
   * batch is committed. Throw a retriable TributaryError (e.g. a DependencyError): the batch is not
   * committed and is redelivered after a backoff. Throw anything else: the consumer stops and `done`
   * rejects with it (a non-TributaryError wrapped as CONSUMER_HANDLER_FAILED, its `cause`).
   */
  handleBatch: BatchHandler<T>;
}

/** A consumer that applies records in its own transactions, its checkpoint in the same one. */
export interface TransactionalConsumerOptions<T, Tx> extends ConsumerOptions<T>, TransactionalHandler<T, Tx> {
  /** The DLQ counts are saved in the handler's transaction, with the checkpoint. */
  dlqLimitStore?: DlqLimitStore<Tx>;
  /**
   * Batches of concurrently consumed partitions that arrive together share one transaction; large
   * ones of one topic may each have their own, side by side (`soloFromRecords`, `concurrency`).
   */
  groupCommit?: TransactionalGroupCommit;
  /**
   * Commit consumed offsets to Kafka at most this often, ms, instead of after every batch: the
   * checkpointer holds the authoritative positions, the Kafka commit only says where a restarted
   * member starts fetching. Offsets not yet committed when the member stops are fetched again and
   * skipped.
   */
  commitIntervalMs?: number;
}

export interface BatchConsumer {
  /** Lets the batch in flight finish (and commit), leaves the group and disconnects. */
  stop(): Promise<void>;
  /**
   * Resolves after `stop()`; rejects when the consumer stopped on its own error: a
   * DlqLimitExceededError (its trip saved in the DlqLimitStore first), a non-retriable handler
   * error, no contract for a topic.
   */
  done: Promise<void>;
}

/**
 * Joins the group and runs `handleBatch` on every fetched batch; resolves once joined. Rejects with
 * DlqLimitTrippedError, without joining, when the group's DLQ limit tripped and was not cleared.
 */
export function runBatchConsumer<T = unknown>(options: BatchConsumerOptions<T>): Promise<BatchConsumer> {
  return startConsumer(options, { runner: (deadLetters) => directRunner(options.handleBatch, deadLetters) });
}

/**
 * Joins the group and applies every fetched batch in the handler's transactions, with the
 * checkpointer's `store` in the same transaction and its `read` skipping what was applied
 * (exactly-once effect); resolves once joined.
 */
export function runTransactionalConsumer<T, Tx>(
  options: TransactionalConsumerOptions<T, Tx>,
): Promise<BatchConsumer> {
  return startConsumer(options, {
    checkpointer: options.checkpointer,
    commitIntervalMs: options.commitIntervalMs,
    runner: (deadLetters) =>
      transactionalRunner<T, Tx>(options, {
        groupId: options.groupId,
        deadLetters,
        groupCommit: options.groupCommit,
      }),
  });
}

interface Strategy<T> {
  checkpointer?: Pick<Checkpointer<unknown>, 'read'>;
  commitIntervalMs?: number;
  runner(deadLetters: DeadLetterStep): BatchRunner<T>;
}

async function startConsumer<T>(options: ConsumerOptions<T>, strategy: Strategy<T>): Promise<BatchConsumer> {
  const { kafka, groupId, topics, logger, metrics } = options;
  const heartbeatInterval = options.heartbeatInterval ?? 3000;
  const limitStore = options.dlqLimitStore ?? new InMemoryDlqLimitStore();
  await refuseIfTripped(limitStore, groupId);
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

  const pauses = new Pauses(groupId, () => stopping, logger);
  let settle!: { resolve(): void; reject(err: unknown): void };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Marked handled: the failure is logged here; callers that await `done` still see it.
  done.catch(() => undefined);

  const finish = async (error?: unknown): Promise<void> => {
    pauses.clear();
    if (error instanceof DlqLimitExceededError) {
      // Stored before `done` rejects: the group stays stopped across restarts until an operator acts.
      await limitStore.trip(tripOf(error, new Date())).catch((err: unknown) => {
        logger?.error(
          LogEvents.kafkaDlqLimitExceeded,
          `consumer ${groupId}: trip not stored: ${errorMessage(err)}`,
          {
            groupId,
            err,
          },
        );
      });
    }
    await router.close().catch(() => undefined);
    logger?.info(LogEvents.kafkaDisconnected, `consumer ${groupId} stopped`, {
      groupId,
      topics,
      failed: !!error,
    });
    if (error === undefined) settle.resolve();
    else settle.reject(error);
  };

  /** The checkpointer's positions as this member knows them: read once per assignment. */
  const known = new KnownPositions();
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    // Partitions may have moved: their DLQ counts and positions are read again from the store.
    deadLetters.forget();
    known.clear();
    logger?.info(LogEvents.kafkaRebalanced, `consumer ${groupId} joined its group`, {
      groupId,
      memberId: payload.memberId,
      assignment: payload.memberAssignment,
    });
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    known.clear();
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

  const onFatal = (error: TributaryError): void => {
    fatalError ??= error;
  };
  const deadLetters = new DeadLetterStep({
    groupId,
    router,
    policy: options.dlq,
    store: limitStore,
    logger,
    onFatal,
  });
  const processBatch = createBatchProcessor<T>({
    groupId,
    codec: options.codec,
    contractFor: options.contractFor,
    checkpointer: strategy.checkpointer,
    known,
    run: strategy.runner(deadLetters),
    deadLetters,
    commitByInterval: strategy.commitIntervalMs !== undefined,
    heartbeatIntervalMs: heartbeatInterval,
    logger: stopAware(logger, () => stopRequested),
    metrics,
    onFatal,
    fatal: () => fatalError,
    isStopping: () => stopping || fatalError !== undefined,
    schedulePause: (pause, resumeAfterMs, where) => pauses.schedule(pause, resumeAfterMs, where),
  });
  // A batch that stop() interrupted (an ingest's sync aborted at a page boundary) ends here, not as
  // a crash: nothing of it was committed, kafkajs goes on stopping (and leaves the group), and the
  // batch is delivered again on the next start. A DLQ limit crossed meanwhile still stops for good.
  const eachBatch: typeof processBatch = async (payload) => {
    try {
      await processBatch(payload);
    } catch (err) {
      if (!stopRequested || !interruptedByStop(err)) throw err;
      if (fatalError === err) fatalError = undefined;
    }
  };

  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      eachBatchAutoResolve: false,
      ...(strategy.commitIntervalMs !== undefined
        ? { autoCommit: false, autoCommitInterval: strategy.commitIntervalMs }
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

/**
 * The batch steps' logger: once `stop()` was called, a batch that fails is the stop interrupting it
 * (an ingest's sync aborted at a page boundary), not a consumer failure. It is said at info; the
 * batch is not committed and is delivered again on the next start.
 */
function stopAware(logger: KafkaLogger | undefined, stopRequested: () => boolean): KafkaLogger | undefined {
  if (!logger) return undefined;
  return {
    debug: (event, msg, fields) => logger.debug(event, msg, fields),
    info: (event, msg, fields) => logger.info(event, msg, fields),
    warn: (event, msg, fields) => logger.warn(event, msg, fields),
    error: (event, msg, fields) => {
      if (!stopRequested() || event !== LogEvents.kafkaConsumerFailed)
        return logger.error(event, msg, fields);
      const { err, ...rest } = fields ?? {};
      logger.info(
        event,
        `batch interrupted by stop (not committed; delivered again on the next start): ${errorMessage(err)}`,
        rest,
      );
    },
  };
}

/** A handler's own failure (wrapped as CONSUMER_HANDLER_FAILED) or a retriable one: what a stop interrupts. */
function interruptedByStop(err: unknown): boolean {
  return err instanceof TributaryError && (err.code === 'CONSUMER_HANDLER_FAILED' || err.retriable);
}

/** A group whose DLQ limit tripped does not start: DlqLimitTrippedError (a failed read: retriable). */
async function refuseIfTripped(store: Pick<DlqLimitStore, 'tripped'>, groupId: string): Promise<void> {
  let trip: DlqTrip | undefined;
  try {
    trip = await store.tripped(groupId);
  } catch (err) {
    throw new DependencyError(
      'DLQ_LIMIT_STORE_FAILED',
      `read the DLQ trip of ${groupId}: ${errorMessage(err)}`,
      {
        cause: err,
        details: { groupId },
      },
    );
  }
  if (trip) throw new DlqLimitTrippedError(trip);
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
